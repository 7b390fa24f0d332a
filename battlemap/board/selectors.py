"""Battle-map reads: one indexed row per region and measure, whatever the registry's size."""

import datetime as dt

from .indicators import INDICATORS
from .measures import MEASURES
from .models import Figure


def measures_on(region_code: str, date: dt.date, names=None) -> dict[str, int]:
    """Each measure's value for a region on a date (0 before its first change)."""
    out = {}
    for name in names or MEASURES:
        value = (
            Figure.objects.filter(region_code=region_code, measure=name, date__lte=date)
            .order_by("-date")
            .values_list("value", flat=True)
            .first()
        )
        out[name] = value or 0
    return out


def series(region_code: str, name: str) -> list[tuple[dt.date, int]]:
    """The stored step function of one measure: (date, value from that date on)."""
    return list(
        Figure.objects.filter(region_code=region_code, measure=name)
        .order_by("date")
        .values_list("date", "value")
    )


def value_at(steps: list[tuple[dt.date, int]], date: dt.date) -> int:
    value = 0
    for step_date, step_value in steps:
        if step_date > date:
            break
        value = step_value
    return value


def region_summary(region, date: dt.date) -> dict:
    """The registry's key figures from the rollups (`battlemap stats`, the map, reports)."""
    measures = measures_on(region.code, date, STATS_MEASURES)
    population = measures["rural_population"]
    return {
        "region": region.code,
        "date": date.isoformat(),
        **{name: measures[name] for name in STATS_MEASURES[:5]},
        "poverty_incidence": measures["persons_poor"] / population if population else None,
        "poor_villages": measures["poor_villages"],
        "poor_villages_exited": measures["poor_villages_exited"],
    }


STATS_MEASURES = (
    "households_registered",
    "persons_registered",
    "households_poor",
    "persons_poor",
    "rural_population",
    "poor_villages",
    "poor_villages_exited",
)


def indicator_values(measures: dict[str, int]) -> dict:
    return {name: item.value(measures) for name, item in INDICATORS.items()}


def first_date() -> dt.date | None:
    """The earliest date anything was recorded: where the map's date control starts."""
    return Figure.objects.order_by("date").values_list("date", flat=True).first()


def board(region, date: dt.date, indicator: str) -> dict:
    """Everything the map page draws for a region on a date: its figures and its children's."""
    measures = measures_on(region.code, date)
    children = []
    for child in region.children.order_by("code"):
        child_measures = measures_on(child.code, date)
        children.append(
            {
                "code": child.code,
                "name": child.name,
                "level": child.level,
                "measures": child_measures,
                "indicators": indicator_values(child_measures),
            }
        )
    chosen = INDICATORS[indicator]

    # Worst first; regions without a value (no population, no poor villages) last.
    def rank_key(child):
        value = child["indicators"][indicator]
        if value is None:
            return (1, 0)
        return (0, -value if chosen.higher_is_worse else value)

    ranking = [c["code"] for c in sorted(children, key=rank_key)]
    return {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "date": date.isoformat(),
        "indicator": indicator,
        "measures": measures,
        "indicators": indicator_values(measures),
        "children": children,
        "ranking": ranking,
    }


def trend(region, *, period: str, until: dt.date) -> list[dict]:
    """Measures and indicators at each year-end or month-end from the first record to `until`."""
    start = first_date()
    if start is None:
        return []
    steps = {name: series(region.code, name) for name in MEASURES}
    points = []
    year, month = start.year, start.month if period == "month" else 12
    while True:
        if period == "month":
            nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
            point = nxt - dt.timedelta(days=1)
        else:
            point = dt.date(year, 12, 31)
        point = min(point, until)
        measures = {name: value_at(rows, point) for name, rows in steps.items()}
        points.append(
            {
                "date": point.isoformat(),
                "measures": measures,
                "indicators": indicator_values(measures),
            }
        )
        if point >= until:
            return points
        if period == "month":
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        else:
            year += 1
