"""Measures: the counts stored as rollups, and the sources that compute them per village.

A source takes a list of village codes (or None for all villages) and yields
(village code, measure, date, delta): the change of the measure in that village on
that date. Later issues add measures by registering a source here and nowhere else.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

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
