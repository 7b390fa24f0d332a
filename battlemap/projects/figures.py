"""The project library's figures on the battle map: measures read on demand from the project
tables (a year's projects are a few hundred rows per county; a township-level project has no
village to sit in, and "of the date's year" steps down every 1 January), and indicators."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from battlemap.core.figures import GREENS, computed_measure, indicator, reader

from .selectors import project_measures

computed_measure("projects_planned", _("年度计划项目数"), pgettext_lazy("unit", "个"))
computed_measure("projects_completed", _("已竣工项目数"), pgettext_lazy("unit", "个"))
computed_measure("funds_allocated_fen", _("下达专项资金（分）"), pgettext_lazy("unit", "分"))
computed_measure("funds_disbursed_fen", _("已支付资金（分）"), pgettext_lazy("unit", "分"))
computed_measure("milestones_late", _("逾期节点数"), pgettext_lazy("unit", "个"))


@reader
def projects_reader(codes, dates):
    return project_measures(codes, dates)


def projects_of_the_year(region, date) -> str:
    """The project library filtered to the region and the date's year."""
    return reverse("projects:list") + "?" + urlencode({"region": region.prefix, "year": date.year})


indicator(
    name="projects_planned",
    label=_("年度计划项目"),
    unit=pgettext_lazy("unit", "个"),
    numerator="projects_planned",
    higher_is_worse=False,
    colors=GREENS,
    records="projects",
    records_link=projects_of_the_year,
    summary=True,
)
indicator(
    name="projects_completed",
    label=_("已竣工项目"),
    unit=pgettext_lazy("unit", "个"),
    numerator="projects_completed",
    higher_is_worse=False,
    colors=GREENS,
    records="projects",
    records_link=projects_of_the_year,
    summary=True,
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
    records_link=projects_of_the_year,
    key=70,
)
indicator(
    name="funds_allocated",
    label=_("下达专项资金"),
    unit=pgettext_lazy("unit", "元"),
    numerator="funds_allocated_fen",
    factor=0.01,
    decimals=2,
    higher_is_worse=False,
    colors=GREENS,
    records="projects",
    records_link=projects_of_the_year,
    summary=True,
    money=True,
)
indicator(
    name="funds_disbursed",
    label=_("已支付资金"),
    unit=pgettext_lazy("unit", "元"),
    numerator="funds_disbursed_fen",
    factor=0.01,
    decimals=2,
    higher_is_worse=False,
    colors=GREENS,
    records="projects",
    records_link=projects_of_the_year,
    summary=True,
    money=True,
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
    records_link=projects_of_the_year,
    detail_scale=100,  # shown as 元 paid / allocated
    key=80,
    summary=True,
)
indicator(
    name="milestones_late",
    label=_("逾期节点"),
    unit=pgettext_lazy("unit", "个"),
    numerator="milestones_late",
    records="projects",
    records_link=projects_of_the_year,
    key=90,
)
