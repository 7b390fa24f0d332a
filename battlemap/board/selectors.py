"""Battle-map reads: one indexed row per region and measure, whatever the registry's size."""

import datetime as dt

from django.db import connection

from battlemap.core.figures import COMPUTED, INDICATORS, MEASURES, READERS, summary_indicators
from battlemap.regions.models import Region
from battlemap.regions.selectors import breadcrumb, get_region_for  # noqa: F401  (board's pages)

from .models import Figure


def region_for(user, code: str) -> Region:
    """A region the user may see; any other code answers 404, existing or not."""
    return get_region_for(user, code)


def measures_at(codes, dates, names=None) -> dict[tuple[str, dt.date], dict[str, int]]:
    """Each measure's value for every (region, date) pair, 0 before its first change.

    One statement of indexed look-ups (the latest row on or before each date), so the
    cost depends on how many figures are asked for, not on the size of the registry; the
    computed measures (the projects') come from their readers, a few queries per call.
    """
    names = list(names or [*MEASURES, *COMPUTED])
    codes, dates = list(codes), list(dates)
    pairs = [(code, date) for code in codes for date in dates]
    out = {pair: dict.fromkeys(names, 0) for pair in pairs}
    if not pairs:
        return out
    computed = [name for name in names if name in COMPUTED]
    if computed:
        for read in READERS:
            for key, values in read(codes, dates).items():
                out[key].update({name: values[name] for name in computed if name in values})
    names = [name for name in names if name in MEASURES]
    table = connection.ops.quote_name(Figure._meta.db_table)
    lookup = (
        f"SELECT %s, %s, %s, (SELECT f.value FROM {table} f WHERE f.region_code = %s "  # noqa: S608
        "AND f.measure = %s AND f.date <= %s ORDER BY f.date DESC LIMIT 1)"
    )
    for start in range(0, len(pairs) * len(names), LOOKUPS_PER_STATEMENT):
        batch = [(c, d, n) for c, d in pairs for n in names][start : start + LOOKUPS_PER_STATEMENT]
        sql = " UNION ALL ".join([lookup] * len(batch))
        params = [v for c, d, n in batch for v in (c, d.isoformat(), n, c, n, d)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for code, date, name, value in cursor.fetchall():
                key = (code, date if isinstance(date, dt.date) else dt.date.fromisoformat(date))
                out[key][name] = value or 0
    return out


LOOKUPS_PER_STATEMENT = 400


def measures_on(region_code: str, date: dt.date, names=None) -> dict[str, int]:
    """Each measure's value for a region on a date (0 before its first change)."""
    return measures_at([region_code], [date], names)[(region_code, date)]


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
    """The figures of a region on a date for `battlemap stats` and reports: every indicator
    the apps declared for summaries, exact (counts, money in 元, unrounded fractions),
    from the same measures the map reads."""
    items = summary_indicators()
    names = {n for item in items for n in (item.numerator, item.denominator) if n}
    measures = measures_on(region.code, date, names)
    return {
        "region": region.code,
        "date": date.isoformat(),
        **{item.name: item.exact(measures) for item in items},
    }


def indicator_values(measures: dict[str, int]) -> dict:
    return {name: item.value(measures) for name, item in INDICATORS.items()}


def first_date(region_code: str | None = None) -> dt.date | None:
    """The earliest date anything was recorded for a region (all regions when None):
    where the map's date control starts. One index look-up per measure."""
    rows = Figure.objects.all()
    if region_code:
        rows = rows.filter(region_code=region_code)
    dates = [
        rows.filter(measure=name).order_by("date").values_list("date", flat=True).first()
        for name in MEASURES
    ]
    dates = [d for d in dates if d is not None]
    return min(dates) if dates else None


def last_poor_date(region_code: str) -> dt.date | None:
    """The last day the rollups show a poor household in a region (None when there never
    was one, or there still is one): where an empty map sends the user. Two index look-ups."""
    rows = Figure.objects.filter(region_code=region_code, measure="households_poor")
    last_poor = rows.filter(value__gt=0).order_by("-date").values_list("date", flat=True).first()
    if last_poor is None:
        return None
    none_left = rows.filter(date__gt=last_poor).order_by("date").values_list("date", flat=True)
    ended = none_left.first()
    return ended - dt.timedelta(days=1) if ended else None


def board(region, date: dt.date, indicator: str) -> dict:
    """Everything the map page draws for a region on a date: its figures and its children's."""
    kids = list(region.children.order_by("code"))
    values = measures_at([region.code, *(c.code for c in kids)], [date])
    measures = values[(region.code, date)]
    children = []
    for child in kids:
        child_measures = values[(child.code, date)]
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
    start = first_date(region.code)
    if start is None:
        return []
    points = []
    year, month = start.year, start.month if period == "month" else 12
    while True:
        if period == "month":
            point = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        else:
            point = dt.date(year, 12, 31)
            year += 1
        points.append(min(point, until))
        if point >= until:
            break
    values = measures_at([region.code], points)
    return [
        {
            "date": point.isoformat(),
            "measures": values[(region.code, point)],
            "indicators": indicator_values(values[(region.code, point)]),
        }
        for point in points
    ]
