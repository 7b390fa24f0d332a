"""The registry's landing: a paired cadre without a region sees their households."""

from django.shortcuts import render

from .models import Household


def households_landing(request):
    households = (
        Household.objects.visible_to(request.user)
        .select_related("village")
        .order_by("village_id", "number")
    )
    if not households.exists():
        return None
    return render(request, "home.html", {"households": households})
