"""Indicators: defined once, here, and used by the map, the boards and `battlemap stats`.

An indicator is a measure (a count that adds up the region tree) or the ratio of two.
Ratios are computed from the summed numerator and denominator of each region, never
by averaging children. Later issues add indicators here and nowhere else.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# ColorBrewer "Reds" (light → dark) and "Greens": sequential, print-safe.
REDS = ("#fff5f0", "#fee0d2", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15")
GREENS = ("#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#31a354", "#006d2c")


@dataclass(frozen=True)
class Indicator:
    """How a figure is computed, shown and coloured."""

    name: str
    label: str
    unit: str
    numerator: str
    denominator: str | None = None
    factor: float = 1.0  # 100 for a percentage
    decimals: int = 0
    higher_is_worse: bool = True
    colors: tuple[str, ...] = field(default=REDS)
    records: str = ""  # which records a click on the figure lists (see board views)
    detail_scale: int = 1  # the numerator and denominator shown divided by this (fen → 元)

    @property
    def rollup(self) -> str:
        return "ratio" if self.denominator else "sum"

    def value(self, measures: dict[str, int]) -> float | int | None:
        top = measures.get(self.numerator, 0)
        if self.denominator is None:
            return top
        bottom = measures.get(self.denominator, 0)
        if not bottom:
            return None
        return round(top / bottom * self.factor, self.decimals)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "label": str(self.label),
            "unit": str(self.unit),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "rollup": self.rollup,
            "decimals": self.decimals,
            "higher_is_worse": self.higher_is_worse,
            "colors": list(self.colors if self.higher_is_worse else self.colors),
            "records": self.records,
            "detail_scale": self.detail_scale,
        }


INDICATORS: dict[str, Indicator] = {}


def indicator(**kwargs) -> Indicator:
    item = Indicator(**kwargs)
    INDICATORS[item.name] = item
    return item


indicator(
    name="households_registered",
    label=_("建档立卡户"),
    unit=pgettext_lazy("unit", "户"),
    numerator="households_registered",
    higher_is_worse=False,
    records="registered",
)
indicator(
    name="persons_registered",
    label=_("建档立卡人口"),
    unit=pgettext_lazy("unit", "人"),
    numerator="persons_registered",
    higher_is_worse=False,
    records="registered",
)
indicator(
    name="households_poor",
    label=_("未脱贫户"),
    unit=pgettext_lazy("unit", "户"),
    numerator="households_poor",
    records="poor",
)
indicator(
    name="persons_poor",
    label=_("未脱贫人口"),
    unit=pgettext_lazy("unit", "人"),
    numerator="persons_poor",
    records="poor",
)
indicator(
    name="poverty_incidence",
    label=_("贫困发生率"),
    unit="%",
    numerator="persons_poor",
    denominator="rural_population",
    factor=100,
    decimals=2,
    records="poor",
)
indicator(
    name="rural_population",
    label=_("农村户籍人口"),
    unit=pgettext_lazy("unit", "人"),
    numerator="rural_population",
    higher_is_worse=False,
    colors=GREENS,
)
indicator(
    name="poor_villages",
    label=_("贫困村"),
    unit=pgettext_lazy("unit", "个"),
    numerator="poor_villages",
    records="poor_villages",
)
indicator(
    name="poor_villages_exited",
    label=_("已出列贫困村"),
    unit=pgettext_lazy("unit", "个"),
    numerator="poor_villages_exited",
    higher_is_worse=False,
    colors=GREENS,
    records="poor_villages",
)
indicator(
    name="village_exit_rate",
    label=_("贫困村出列率"),
    unit="%",
    numerator="poor_villages_exited",
    denominator="poor_villages",
    factor=100,
    decimals=1,
    higher_is_worse=False,
    colors=GREENS,
    records="poor_villages",
)

indicator(
    name="project_completion_rate",
    label=_("项目完工率"),
    unit="%",
    numerator="projects_completed",
    denominator="projects_planned",
    factor=100,
    decimals=1,
    higher_is_worse=False,
    colors=GREENS,
    records="projects",
)
indicator(
    name="expenditure_rate",
    label=_("资金支出率"),
    unit="%",
    numerator="funds_disbursed_fen",
    denominator="funds_allocated_fen",
    factor=100,
    decimals=2,
    higher_is_worse=False,
    colors=GREENS,
    records="projects",
    detail_scale=100,  # shown as 元 paid / allocated
)
indicator(
    name="milestones_late",
    label=_("逾期节点"),
    unit=pgettext_lazy("unit", "个"),
    numerator="milestones_late",
    records="projects",
)

DEFAULT_INDICATOR = "poverty_incidence"
# The strip of key figures at the top of the map, in order.
KEY_FIGURES = (
    "households_registered",
    "persons_registered",
    "households_poor",
    "persons_poor",
    "poverty_incidence",
    "village_exit_rate",
    "project_completion_rate",
    "expenditure_rate",
    "milestones_late",
)
