"""The page every user reaches first: the battle map of their top region."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse

from battlemap.accounts.scopes import top_region_codes
from battlemap.regions.models import Region
from battlemap.registry.models import Household


@login_required
def home(request):
    """Open the map of the user's first top region (keeping ?date= and ?indicator=); a
    paired cadre without a region sees the list of their households."""
    top = (
        Region.objects.visible_to(request.user)
        .filter(code__in=top_region_codes(request.user))
        .order_by("code")
        .first()
    )
    if top is None:
        from battlemap.projects.models import Project

        if Project.objects.visible_to(request.user).exists():
            # A project's responsible person without a region: their projects.
            return redirect("projects:list")
        households = (
            Household.objects.visible_to(request.user)
            .select_related("village")
            .order_by("village_id", "number")
        )
        return render(request, "home.html", {"households": households})
    url = reverse("board:map", args=[top.code])
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the icon."""
    return redirect(static("favicon.svg"))
