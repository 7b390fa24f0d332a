"""Template filters for figures: percentages and thousands separators."""

from django import template

register = template.Library()


@register.filter
def percent(value, places: int = 2) -> str:
    """0.071 → '7.10%'; None → '—'."""
    if value is None:
        return "—"
    return f"{value * 100:.{int(places)}f}%"


@register.filter
def thousands(value) -> str:
    if value is None:
        return "—"
    return f"{value:,}"
