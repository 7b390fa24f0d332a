"""Pages every user reaches first: the home page with the figures of their regions."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from battlemap.accounts.scopes import top_region_codes
from battlemap.regions.models import Region
from battlemap.registry.selectors import region_figures


@login_required
def home(request):
    """The user's top regions with their registry figures on ?date= (default today)."""
    today = timezone.localdate()
    date = _date_param(request.GET.get("date"), today)
    regions = Region.objects.visible_to(request.user).filter(
        code__in=top_region_codes(request.user)
    )
    cards = [{"region": region, "figures": region_figures(region, date)} for region in regions]
    return render(request, "home.html", {"cards": cards, "date": date, "today": today})


def _date_param(raw: str | None, today: dt.date) -> dt.date:
    """The ?date= of a page: a real date not after today; anything else means today."""
    try:
        value = dt.date.fromisoformat(raw or "")
    except ValueError:
        return today
    return min(value, today)
