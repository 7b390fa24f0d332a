"""Battle-map reads: one indexed row per region and measure, whatever the registry's size."""

import datetime as dt

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
