"""The registry's pages: the household list of a region (the village page), the household
file, and the reveal of one personal number. URLs under /map/<code>/households/ and
/households/<id>/; templates in templates/registry/."""

import base64
import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from battlemap.audit.actions import VIEW_AUDIT
from battlemap.core import crypto
from battlemap.core.codes import Level
from battlemap.core.errors import Forbidden
from battlemap.core.figures import default_indicator
from battlemap.core.scoping import user_can
from battlemap.regions.actions import VIEW_REGISTRY
from battlemap.regions.models import Region
from battlemap.regions.selectors import breadcrumb as region_breadcrumb
from battlemap.regions.selectors import get_region_for

from .actions import REVEAL_PERSONAL_DATA
from .codebook import HEAD
from .filters import HouseholdFilter, is_full_id_number
from .models import Guarantee, Household, Person
from .personal import household_phone_reveal, person_id_reveal
from .sections import household_sections
from .selectors import get_household_for, guarantees_on, household_incomes
from .status import KIND_STATE, POOR, state_label, state_on

PAGE_SIZE = 50
STATUS_CHOICES = ("registered", "poor", "exited", "removed")


def page_date(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """The ?date= of a page (a real date, not after today; anything else means today), and today."""
    today = timezone.localdate()
    try:
        value = dt.date.fromisoformat(request.GET.get("date") or "")
    except ValueError:
        return today, today
    return min(value, today), today


def _url(name: str, code: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse(name, args=[code]) + (f"?{query}" if query else "")


def region_link(region: dict | Region, date: dt.date, indicator: str) -> str:
    """Where a click on a region goes: its map, or for a village its household list."""
    code = region["code"] if isinstance(region, dict) else region.code
    level = region["level"] if isinstance(region, dict) else region.level
    if level == Level.VILLAGE:
        return _url("registry:households", code, date=date.isoformat())
    return _url("board:map", code, date=date.isoformat(), indicator=indicator)


# Searches by full ID number kept in the session, by opaque key; the newest few only,
# encrypted like the registry's own numbers (sessions are rows in the database).
SEARCHES, SEARCHES_KEPT = "household_searches", 20


def _searched(request, key: str) -> str:
    """The ID number a search key of this session stands for ("" if none: expired)."""
    blob = request.session.get(SEARCHES, {}).get(key)
    return crypto.decrypt(base64.b64decode(blob)) if blob else ""


def _search_query(request, source) -> dict:
    """The household list's query string for a search: a full ID number never goes in a
    URL (access logs and browser history keep URLs) but into the session, under an opaque
    key `s`; names and household numbers stay in `q`, so those links can be shared."""
    query = {k: source[k] for k in ("status", "date") if source.get(k)}
    text = (source.get("q") or "").strip()
    if is_full_id_number(text):
        searches = request.session.get(SEARCHES, {})
        # The same number gives the same key in this session (and only in it): two posts
        # of one search racing each other (htmx's typing trigger and Enter) keep one key.
        key = salted_hmac(
            "battlemap.household_search", f"{request.session.session_key}:{text.upper()}"
        ).hexdigest()[:16]
        searches[key] = base64.b64encode(crypto.encrypt(text)).decode()
        request.session[SEARCHES] = dict(list(searches.items())[-SEARCHES_KEPT:])
        query["s"] = key
    elif text:
        query["q"] = text
    return query


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def household_list(request, code: str):
    """The households of a region (the village page) with status and members on a date.
    The search form posts; the answer is a redirect to the list's URL (see _search_query)."""
    region = get_region_for(request.user, code)
    if request.method == "POST" or is_full_id_number(request.GET.get("q", "")):
        # An old link with ?q=<ID number> is moved out of the URL too.
        source = request.POST if request.method == "POST" else request.GET
        query = urlencode(_search_query(request, source))
        return redirect(f"{request.path}?{query}" if query else request.path)
    date, today = page_date(request)
    data = request.GET.copy()
    data["region"] = region.code
    data["date"] = date.isoformat()
    key = data.pop("s")[-1] if "s" in data else None
    if key is not None:
        data["q"] = _searched(request, key)
    expired = key is not None and not data["q"]
    queryset = Household.objects.visible_to(request.user).select_related("village", "main_cause")
    filterset = HouseholdFilter(data, queryset=queryset)
    households = filterset.qs.order_by("village_id", "number")
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    # One query each for members and incomes of the whole page, whatever its length.
    rows = household_rows(
        page.object_list.prefetch_related(
            Prefetch(
                "members",
                queryset=Person.objects.visible_to(request.user).select_related("relation"),
            ),
            "incomes",
        ),
        date,
    )
    query = data.copy()
    query.pop("region", None)
    query.pop("page", None)
    if key is not None and is_full_id_number(query.get("q", "")):
        query["s"] = key  # the next pages search by the same key
        query.pop("q")
    chosen = data.get("status") if data.get("status") in STATUS_CHOICES else ""
    return render(
        request,
        "registry/households.html",
        {
            "region": region,
            "date": date,
            "today": today,
            "breadcrumb": [
                {**crumb, "url": region_link(crumb, date, default_indicator())}
                for crumb in region_breadcrumb(request.user, region)
            ],
            "filterset": filterset,
            "status_choices": [
                (value, label)
                for value, label in filterset.form.fields["status"].choices
                if value in STATUS_CHOICES
            ],
            "status": chosen,
            "q": data.get("q", ""),
            "search_expired": expired,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
        },
    )


def household_rows(households, date: dt.date) -> list[dict]:
    """Each household with its head, members present on the date and latest income per person."""
    rows = []
    for household in households:
        members = list(household.members.all())
        present = [p for p in members if p.present_on(date)]
        head = household_head(members, present)
        incomes = [row for row in household_incomes(household) if row["year"] <= date.year]
        state = KIND_STATE.get(household.status_kind or "", "none")
        rows.append(
            {
                "household": household,
                "head": head,
                "members": len(present),
                "state": state,
                "state_label": state_label(state),
                "income": incomes[-1] if incomes else None,
            }
        )
    return rows


def household_head(members: list, present: list):
    """The head (户主) among the members present, else the last one on file."""
    heads = [p for p in present if p.relation.label == HEAD]
    heads = heads or [p for p in members if p.relation.label == HEAD]
    return heads[-1] if heads else None


HOUSEHOLD_FILE_RELATED = (
    "village__parent",
    "main_cause",
    "other_cause_1",
    "other_cause_2",
    "household_type",
    "standard",
)
MEMBER_RELATED = (
    "relation",
    "health",
    "labour",
    "education",
    "schooling",
    "work_status",
    "ethnicity",
    "join_reason",
    "leave_reason",
)


def household_for_file(request, pk: int, action: str = VIEW_REGISTRY) -> Household:
    return get_household_for(
        request.user,
        pk,
        action,
        select=HOUSEHOLD_FILE_RELATED,
        prefetch=(
            Prefetch(
                "members",
                queryset=Person.objects.visible_to(request.user).select_related(*MEMBER_RELATED),
            ),
            "events",
            "incomes",
        ),
    )


@login_required
def household_file(request, pk: int):
    """One household's file: members, status history, income by year, basic guarantees."""
    return render_household_file(request, household_for_file(request, pk))


@never_cache
@require_POST
@login_required
def household_reveal(request, pk: int):
    """Show one personal number in clear: `person=<id>` (its ID number) or `field=phone`.
    An explicit click, recorded in the audit trail. The page's script asks for JSON and
    puts the number in place; without the script the file is shown again with it."""
    household = household_for_file(request, pk)
    try:
        if request.POST.get("field") == "phone":
            value = household_phone_reveal(actor=request.user, household=household)
            revealed = {"phone": value}
        else:
            person = next(
                (p for p in household.members.all() if str(p.pk) == request.POST.get("person")),
                None,
            )
            if person is None:
                raise Http404(_("对象不存在或无权访问。"))
            value = person_id_reveal(actor=request.user, person=person)
            revealed = {"person": person.pk, "id_number": value}
    except Forbidden as exc:
        raise PermissionDenied(str(exc.message)) from None
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"value": value})
    return render_household_file(request, household, revealed=revealed)


def render_household_file(request, household: Household, revealed: dict | None = None):
    revealed = revealed or {}
    date, today = page_date(request)
    events = sorted(household.events.all(), key=lambda e: e.date)
    timeline = []
    for event in events:
        state = KIND_STATE[event.kind]
        timeline.append({"event": event, "state": state, "state_label": state_label(state)})
    state = state_on([(e.date, e.kind) for e in events], date)
    members = [
        {
            "person": person,
            "present": person.present_on(date),
            "id_shown": revealed["id_number"]
            if revealed.get("person") == person.pk
            else crypto.mask_id_number(person.id_number),
            "id_revealed": revealed.get("person") == person.pk,
        }
        for person in household.members.all()
    ]
    # As assessed on the day viewed: each guarantee's latest assessment on or before it.
    guarantees = [
        {"label": Guarantee(g).label, "assessment": row}
        for g, row in guarantees_on(household, date).items()
    ]
    village = household.village
    breadcrumb = region_breadcrumb(request.user, village)
    # A paired cadre sees their households, not the village's list: back goes home.
    if breadcrumb and breadcrumb[-1]["code"] == village.code:
        back = _url("registry:households", village.code, date=date.isoformat())
    else:
        back = reverse("home")
    return render(
        request,
        "registry/household.html",
        {
            "household": household,
            "can_reveal": user_can(request.user, REVEAL_PERSONAL_DATA, household),
            "can_audit": user_can(request.user, VIEW_AUDIT, household),
            "phone_shown": revealed.get("phone") or household.phone_masked,
            "phone_revealed": "phone" in revealed,
            "date": date,
            "today": today,
            "state": state,
            "state_label": state_label(state),
            "is_poor": state == POOR,
            "timeline": timeline,
            "members": members,
            "present_count": sum(1 for m in members if m["present"]),
            "head": household_head(
                [m["person"] for m in members], [m["person"] for m in members if m["present"]]
            ),
            "incomes": household_incomes(household),
            "guarantees": guarantees,
            "breadcrumb": [
                {**crumb, "url": region_link(crumb, date, default_indicator())}
                for crumb in breadcrumb
            ],
            "back": back,
            "sections": household_sections(request.user, household, date),
        },
    )
