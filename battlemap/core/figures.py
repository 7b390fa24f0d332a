"""Figures, as the apps declare them: measures (counts that add up the region tree), the
sources and readers that compute them, and the indicators shown on the battle map.

Each domain app declares its own in its `figures.py` (imported by its `ready()`); the
battle map (`board`) stores, sums and draws them and knows no app by name.

A source takes a list of village codes (or None for all villages) and yields
(village code, measure, date, delta): the change of the measure in that village on that
date. A reader computes measures on demand for (region codes, dates) from small tables.
An indicator is a measure or the ratio of two; ratios divide the summed numerator by the
summed denominator of each region, never average children.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

Delta = tuple[str, str, dt.date, int]
Source = Callable[[list[str] | None], Iterable[Delta]]
# A reader computes measures on demand for (region codes, dates): {(code, date): {name: value}}.
Reader = Callable[[list[str], list[dt.date]], dict[tuple[str, dt.date], dict[str, int]]]


@dataclass(frozen=True)
class Measure:
    """A count that adds up the region tree (households, persons, villages...)."""

    name: str
    label: str
    unit: str


MEASURES: dict[str, Measure] = {}
SOURCES: list[Source] = []
# Measures read on demand from small tables rather than stored as rollups: the projects of
# a year (a few hundred rows per county; a township-level project has no village to sit in,
# and "of the date's year" steps down every 1 January).
COMPUTED: dict[str, Measure] = {}
READERS: list[Reader] = []


def measure(name: str, label, unit) -> Measure:
    MEASURES[name] = Measure(name, label, unit)
    return MEASURES[name]


def computed_measure(name: str, label, unit) -> Measure:
    COMPUTED[name] = Measure(name, label, unit)
    return COMPUTED[name]


def reader(fn: Reader) -> Reader:
    READERS.append(fn)
    return fn


def source(fn: Source) -> Source:
    SOURCES.append(fn)
    return fn


def village_deltas(villages: list[str] | None) -> Iterable[Delta]:
    for fn in SOURCES:
        yield from fn(villages)


# ColorBrewer "Reds" (light → dark) and "Greens": sequential, print-safe.
REDS = ("#fff5f0", "#fee0d2", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15")
GREENS = ("#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#31a354", "#006d2c")

# (region, date) -> the address of the records a figure counts, or None.
RecordsLink = Callable[..., str | None]


@dataclass(frozen=True)
class Indicator:
    """How a figure is computed, shown, coloured, summed up and traced to its records."""

    name: str
    label: str
    unit: str
    numerator: str
    denominator: str | None = None
    factor: float = 1.0  # 100 for a percentage
    decimals: int = 0
    higher_is_worse: bool = True
    colors: tuple[str, ...] = field(default=REDS)
    records: str = ""  # the kind of records a click lists (the API says it to scripts)
    records_link: RecordsLink | None = None  # where those records are listed
    detail_scale: int = 1  # the numerator and denominator shown divided by this (fen → 元)
    key: int | None = None  # place in the strip of key figures at the top of the map
    default: bool = False  # the indicator a map opens with
    # The figure in region summaries (`battlemap stats`, reports): an exact value — a
    # count, money in 元 (`money`: the measure is in fen) or an unrounded fraction.
    summary: bool = False
    money: bool = False

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

    def exact(self, measures: dict[str, int]):
        """The summary value: a count, Decimal 元, or an unrounded fraction (None on 0)."""
        top = measures.get(self.numerator, 0)
        if self.denominator is not None:
            bottom = measures.get(self.denominator, 0)
            return top / bottom if bottom else None
        return (Decimal(top) / 100).quantize(Decimal("0.01")) if self.money else top

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
            "colors": list(self.colors),
            "records": self.records,
            "detail_scale": self.detail_scale,
        }


INDICATORS: dict[str, Indicator] = {}


def indicator(**kwargs) -> Indicator:
    item = Indicator(**kwargs)
    INDICATORS[item.name] = item
    return item


def default_indicator() -> str:
    return next(name for name, item in INDICATORS.items() if item.default)


def key_figures() -> tuple[str, ...]:
    """The strip of key figures at the top of the map, in their declared order."""
    keyed = [item for item in INDICATORS.values() if item.key is not None]
    return tuple(item.name for item in sorted(keyed, key=lambda item: item.key))


def summary_indicators() -> list[Indicator]:
    return [item for item in INDICATORS.values() if item.summary]
