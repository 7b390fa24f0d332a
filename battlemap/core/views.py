"""Pages every user reaches first: the home page with the figures of their regions."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from battlemap.accounts.scopes import top_region_codes
from battlemap.regions.models import Region
from battlemap.registry.selectors import region_figures


@login_required
def home(request):
    """The user's top regions with today's registry figures."""
    today = timezone.localdate()
    regions = Region.objects.visible_to(request.user).filter(
        code__in=top_region_codes(request.user)
    )
    cards = [{"region": region, "figures": region_figures(region, today)} for region in regions]
    return render(request, "home.html", {"cards": cards, "today": today})
