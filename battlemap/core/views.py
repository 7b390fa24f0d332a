"""The page every user reaches first, chosen by the apps' landing hooks.

Each app may register a hook (`register_landing`) that returns a response for a user it
has something for, or None: the battle map opens a user's top region, the project library
a responsible person's projects, the registry a paired cadre's households. The first hook
(lowest order) that answers wins; core knows none of them.
"""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static

Landing = Callable[..., object]  # (request) -> HttpResponse | None
_LANDINGS: list[tuple[int, Landing]] = []


def register_landing(order: int, hook: Landing) -> None:
    if all(h is not hook for _o, h in _LANDINGS):
        _LANDINGS.append((order, hook))
        _LANDINGS.sort(key=lambda entry: entry[0])


@login_required
def home(request):
    """The first landing an app offers the user; a user with nothing to see is told so."""
    for _order, hook in _LANDINGS:
        response = hook(request)
        if response is not None:
            return response
    return render(request, "home.html", {"households": []})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the icon."""
    return redirect(static("favicon.svg"))
