"""The battle map's landing: the map of the user's first top region."""

from django.shortcuts import redirect
from django.urls import reverse

from battlemap.regions.models import Region
from battlemap.regions.selectors import top_region_codes


def map_landing(request):
    """Open the map of the user's first top region (keeping ?date= and ?indicator=)."""
    top = (
        Region.objects.visible_to(request.user)
        .filter(code__in=top_region_codes(request.user))
        .order_by("code")
        .first()
    )
    if top is None:
        return None
    url = reverse("board:map", args=[top.code])
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)
