"""Template filters for figures: percentages, thousands separators, indicator values, codes."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

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


@register.filter
def yuan(value) -> str:
    """Money in 元 with thousands separators and two places: 450,000.00; empty → '—'."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(str(value)):,.2f}"


@register.filter
def figure(value, decimals: int = 0) -> str:
    """An indicator's value as the map's JavaScript shows it: 5,307 or 7.10; None → '—'."""
    if value is None:
        return "—"
    decimals = int(decimals)
    if decimals:
        return f"{value:,.{decimals}f}"
    return f"{value:,}"


@register.filter
def codelabel(code) -> str:
    """A code-table entry in the user's language (the tables carry an English label)."""
    if code is None:
        return "—"
    if get_language() == "en" and code.label_en:
        return code.label_en
    return code.label
