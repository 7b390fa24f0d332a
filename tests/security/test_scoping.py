"""The generic scoping suite: every endpoint of tests/security/endpoints.py, every object
of township A, every persona — the county administrator, the official of township A
(华阳镇), the cadre of village A1 (城西村) and the official of township B (临溪镇) as
the outsider — by page, API and export. What each persona sees, what each may change,
and that the outsider gets 404 on every object of A.

The expectations come from the issue, written out here (SPEC), not from the code's
permission table: a change of the table that widens a role fails this suite.
"""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook
from rest_framework.test import APIClient

from battlemap.accounts.actions import MANAGE_USERS, RAISE_PROBLEM, VERIFY_PROBLEM
from battlemap.accounts.models import Role
from battlemap.accounts.services import household_assign
from battlemap.audit.actions import VIEW_AUDIT
from battlemap.audit.models import AuditRecord
from battlemap.board.bulletins import bulletin_generate
from battlemap.board.models import Bulletin
from battlemap.core.actions import declared_actions
from battlemap.core.kinds import KINDS
from battlemap.projects.actions import EDIT_PROJECTS, FILE_REPORT, VIEW_PROJECTS
from battlemap.projects.models import Project
from battlemap.projects.services import milestone_add
from battlemap.regions.actions import VIEW_REGISTRY
from battlemap.registry.actions import (
    EDIT_REGISTRY,
    EXPORT_REGISTRY,
    REVEAL_PERSONAL_DATA,
    VIEW_PERSONAL_DATA,
)
from battlemap.registry.exports import member_rows
from tests import personas
from tests.factories import ACTOR, make_county, make_project, register

from .endpoints import (
    ADMIN_NAMESPACE,
    EXPORTS,
    LIST_ENDPOINTS,
    OBJECT_ENDPOINTS,
    PUBLIC,
    app_modules,
)

pytestmark = pytest.mark.django_db
D = dt.date

EVERYTHING = {a.name for a in declared_actions()}
SPEC = {
    Role.COUNTY_ADMIN: EVERYTHING,
    Role.TOWNSHIP_OFFICIAL: {
        VIEW_REGISTRY,
        EDIT_REGISTRY,
        VIEW_PERSONAL_DATA,
        REVEAL_PERSONAL_DATA,
        EXPORT_REGISTRY,
        MANAGE_USERS,
        VIEW_AUDIT,
        VIEW_PROJECTS,
        EDIT_PROJECTS,
        FILE_REPORT,
    },
    # A village cadre reads and reports on the village's projects; the township plans them.
    Role.VILLAGE_CADRE: {
        VIEW_REGISTRY,
        EDIT_REGISTRY,
        REVEAL_PERSONAL_DATA,
        EXPORT_REGISTRY,
        VIEW_PROJECTS,
        FILE_REPORT,
    },
    # Leaders read everything, but never a personal number, and change nothing.
    Role.LEADER: {VIEW_REGISTRY, EXPORT_REGISTRY, VIEW_PROJECTS},
    # Departments match their deliveries to persons by ID number, one at a time.
    Role.DEPARTMENT: {VIEW_REGISTRY, REVEAL_PERSONAL_DATA, EXPORT_REGISTRY, VIEW_PROJECTS},
    # Inspectors read, follow the audit trail, and raise and verify problems.
    Role.INSPECTOR: {
        VIEW_REGISTRY,
        EXPORT_REGISTRY,
        VIEW_AUDIT,
        RAISE_PROBLEM,
        VERIFY_PROBLEM,
        VIEW_PROJECTS,
    },
    # A paired cadre visits their households: read, and reveal a number to call.
    Role.PAIRED_CADRE: {VIEW_REGISTRY, REVEAL_PERSONAL_DATA},
}
# A project's responsible person (责任人, no role): reads and reports on their project.
RESPONSIBLE = {VIEW_PROJECTS, FILE_REPORT}
# Every role, each over its region (the paired cadre over household A1-1), and the
# responsible person of project A1; official_b is the outsider of township A.
PERSONAS = [
    "county_admin",
    "leader",
    "department",
    "inspector",
    "official_a",
    "cadre_a1",
    "official_b",
    "paired_a1",
    "owner_a1",
]
REGION_PERSONAS = [p for p in PERSONAS if p not in ("paired_a1", "owner_a1")]


def build():
    w = make_county()
    w.h_a1 = register(w.v1, "A1-1", D(2015, 10, 1), 2, phone="13812345678")
    w.h_a2 = register(w.v2, "A2-1", D(2015, 10, 1), 2, phone="13912345678")
    w.h_b = register(w.v3, "B1-1", D(2015, 10, 1), 1)
    w.p_a1 = w.h_a1.members.order_by("id").first()
    w.p_a2 = w.h_a2.members.order_by("id").first()
    w.p_b = w.h_b.members.get()
    records = AuditRecord.objects.filter(action="household.register")
    w.audit_a1 = records.get(object_id=str(w.h_a1.pk))
    w.audit_a2 = records.get(object_id=str(w.h_a2.pk))
    w.audit_b = records.get(object_id=str(w.h_b.pk))
    w.user_a1 = personas.cadre(w.v1, username="other_cadre_a1")
    w.user_a2 = personas.cadre(w.v2, username="other_cadre_a2")
    w.user_b = personas.cadre(w.v3, username="other_cadre_b")
    w.personas = {
        "county_admin": (personas.county_admin(w.county), Role.COUNTY_ADMIN, w.county),
        "official_a": (
            personas.cadre(w.huayang, username="official_a", role=Role.TOWNSHIP_OFFICIAL),
            Role.TOWNSHIP_OFFICIAL,
            w.huayang,
        ),
        "cadre_a1": (personas.cadre(w.v1, username="cadre_a1"), Role.VILLAGE_CADRE, w.v1),
        "official_b": (
            personas.cadre(w.linxi, username="official_b", role=Role.TOWNSHIP_OFFICIAL),
            Role.TOWNSHIP_OFFICIAL,
            w.linxi,
        ),
    }
    w.personas.update(
        {
            role: (personas.holder(w.county, username=role, role=role), role, w.county)
            for role in (Role.LEADER, Role.DEPARTMENT, Role.INSPECTOR)
        }
    )
    paired = personas.outsider("paired_a1")
    household_assign(actor=ACTOR, user=paired, household=w.h_a1)
    w.personas["paired_a1"] = (paired, Role.PAIRED_CADRE, w.h_a1)
    w.project_a1 = make_project(w.v1)
    w.project_a = make_project(w.huayang, "华阳镇扶贫车间建设")
    for project in (w.project_a1, w.project_a):
        milestone_add(
            actor=ACTOR,
            project=project,
            name="施工",
            owner="王工",
            start=D(2019, 3, 1),
            due=D(2019, 9, 30),
        )
    w.project_b = make_project(w.v3, "临溪村安全饮水工程")
    owner = personas.outsider("owner_a1")
    Project.objects.filter(pk=w.project_a1.pk).update(responsible_user=owner)
    w.project_a1.refresh_from_db()
    w.personas["owner_a1"] = (owner, None, w.project_a1)
    w.bulletin_a = bulletin_generate(actor=ACTOR, region=w.huayang, date=D(2019, 6, 1))
    w.bulletin_county = bulletin_generate(actor=ACTOR, region=w.county, date=D(2019, 6, 1))
    w.bulletin_b = bulletin_generate(actor=ACTOR, region=w.linxi, date=D(2019, 6, 1))
    # The objects of township A, by kind; the outsider must get 404 on each of them.
    w.objects_a = {
        "project": [w.project_a1, w.project_a],
        "bulletin": [w.bulletin_a],
        "region": [w.huayang, w.v1, w.v2],
        "household": [w.h_a1, w.h_a2],
        "person": [w.p_a1, w.p_a2],
        "audit": [w.audit_a1, w.audit_a2],
        "user": [w.user_a1, w.user_a2],
    }
    for module in app_modules():  # objects of the apps that classify their own endpoints
        if hasattr(module, "objects"):
            w.objects_a.update(module.objects(w))
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


def code_of(obj) -> str:
    if hasattr(obj, "level"):
        return obj.code
    if hasattr(obj, "village_id"):
        return obj.village_id
    if hasattr(obj, "household"):
        return obj.household.village_id
    if hasattr(obj, "region_code"):
        return obj.region_code
    if hasattr(obj, "region_id"):  # projects, bulletins
        return obj.region_id
    return obj.role_assignments.get().region_id


def held_anywhere(world, persona: str) -> set[str]:
    _user, role, _where = world.personas[persona]
    return RESPONSIBLE if role is None else SPEC[role]


def held_over(world, persona: str, obj) -> set[str]:
    """The actions a persona holds over one object, as the issue says roles work."""
    _user, role, where = world.personas[persona]
    if role is None:  # the responsible person: their project and its rows
        return RESPONSIBLE if obj == where else set()
    if role == Role.PAIRED_CADRE:  # the household and its members
        household = getattr(obj, "household", None) if not isinstance(obj, type(where)) else obj
        return SPEC[role] if household == where else set()
    # A bulletin is read below its region too (a village reads its township's and county's).
    above = isinstance(obj, Bulletin) and where.code.startswith(obj.region.prefix)
    return SPEC[role] if code_of(obj).startswith(where.prefix) or above else set()


class Denied(int):
    """403 or 404: a persona whose roles bind it to one household or project may be
    refused a page of regions either way (404 says no more than 403 does)."""

    def __eq__(self, other):
        return other in (403, 404)

    def __ne__(self, other):
        return other not in (403, 404)

    __hash__ = int.__hash__


def expected(world, persona: str, scope: str, action: str, obj, ok: int) -> int:
    if scope not in held_anywhere(world, persona):
        return 403 if persona in REGION_PERSONAS else Denied(403)
    held = held_over(world, persona, obj)
    if scope not in held:
        return 404
    if action not in held:
        return 403
    return ok


def call(world, persona: str, endpoint, obj) -> int:
    user = world.personas[persona][0]
    client = APIClient() if endpoint.api else Client()
    client.force_login(user)
    url = endpoint.url(world, obj)
    data = endpoint.data(world, obj) if endpoint.data else {}
    if endpoint.method == "get":
        response = client.get(url)
    elif endpoint.api:
        response = getattr(client, endpoint.method)(url, data, format="json")
    else:
        response = getattr(client, endpoint.method)(url, data)
    assert "Content-Security-Policy" in response.headers, url
    return response.status_code


# --- every URL is classified ---------------------------------------------------------------


def url_names(patterns=None, namespace=None):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            inner = p.namespace or namespace
            if namespace and p.namespace:
                inner = f"{namespace}:{p.namespace}"
            yield from url_names(p.url_patterns, inner)
        elif isinstance(p, URLPattern):
            yield f"{namespace}:{p.name}" if namespace else p.name


def test_every_url_is_classified():
    classified = {e.name for e in OBJECT_ENDPOINTS} | set(LIST_ENDPOINTS) | PUBLIC
    names = set(url_names())
    unclassified = sorted(
        n for n in names if n not in classified and not str(n).startswith(f"{ADMIN_NAMESPACE}:")
    )
    assert unclassified == [], "classify these URLs in tests/security/endpoints.py"
    stale = sorted(classified - names)
    assert stale == [], "these classified URLs no longer exist"


# --- the matrix: endpoint × object of A × persona -------------------------------------------


@pytest.mark.parametrize(
    "endpoint",
    OBJECT_ENDPOINTS,
    ids=[f"{e.method.upper()} {e.name}" for e in OBJECT_ENDPOINTS],
)
def test_endpoint_answers_each_persona_by_scope(world, endpoint):
    wrong = []
    for obj in world.objects_a[endpoint.kind]:
        for persona in PERSONAS:
            want = expected(
                world, persona, endpoint.scope, endpoint.action, obj, endpoint.expected_ok(obj)
            )
            got = call(world, persona, endpoint, obj)
            if want != got:
                wrong.append((persona, endpoint.url(world, obj), f"expected {want}, got {got}"))
    assert wrong == []


def test_the_outsider_gets_404_on_every_object_of_a(world):
    """The same fact as the matrix, said plainly: for official_b, township A does not
    exist — by page, by API, and by export."""
    seen = []
    for endpoint in OBJECT_ENDPOINTS:
        # official_b holds every action of a township (in B): A's objects are still 404.
        for obj in world.objects_a[endpoint.kind]:
            status = call(world, "official_b", endpoint, obj)
            seen.append(status)
            assert status == 404, (endpoint.name, endpoint.method, endpoint.url(world, obj))
    assert len(seen) > 40
    user = world.personas["official_b"][0]
    for region in world.objects_a["region"]:
        with pytest.raises(Http404):
            member_rows(user, region.code)


def export_rows(user, export: str, code: str) -> list[str]:
    """Every cell of an export as text: a kind's workbook, or the registry's rows."""
    if export in KINDS:
        _name, content = KINDS[export].export(user, code)
        book = load_workbook(io.BytesIO(content), read_only=True)
        return [
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
    _columns, rows = member_rows(user, code)
    return [str(value) for row in rows for value in row if value is not None]


@pytest.mark.parametrize("export", EXPORTS)
def test_export_follows_the_same_scope(world, export):
    """Each export answers each persona as its pages do, and what it writes names no
    record of a region the persona may not see (B's village, household and project)."""
    action = KINDS[export].export_action if export in KINDS else EXPORT_REGISTRY
    outside = {world.v3.code, world.h_b.number, world.project_b.name}
    for region in [world.county, *world.objects_a["region"]]:
        for persona in PERSONAS:
            user = world.personas[persona][0]
            want = expected(world, persona, action, action, region, 200)
            try:
                cells = export_rows(user, export, region.code)
                got = 200
            except Http404:
                got = 404
            except PermissionDenied:
                got = 403
            assert want == got, (persona, region.code)
            if got == 200:
                where = world.personas[persona][2]
                if not where.prefix.startswith(world.linxi.prefix[:6]) or where == world.county:
                    continue
                assert not outside & set(cells), (persona, region.code)
    # What the registry's rows show is exactly the persona's households.
    if export == "registry":
        for persona in REGION_PERSONAS:
            user, _role, top = world.personas[persona]
            if EXPORT_REGISTRY not in held_anywhere(world, persona):
                continue
            cells = set(export_rows(user, export, top.code))
            for household in (world.h_a1, world.h_a2, world.h_b):
                shown = household.number in cells
                assert shown == bool(visible(world, persona, [household])), (persona, household)


# --- lists: each persona sees exactly its scope ---------------------------------------------


def visible(world, persona: str, objs, scope=VIEW_REGISTRY):
    return [o for o in objs if scope in held_over(world, persona, o)]


def api_get(world, persona, url):
    client = APIClient()
    client.force_login(world.personas[persona][0])
    return client.get(url)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_lists_show_exactly_the_scope(world, persona):
    households = [world.h_a1, world.h_a2, world.h_b]
    data = api_get(world, persona, "/api/v1/households/").json()
    assert sorted(r["number"] for r in data["results"]) == sorted(
        h.number for h in visible(world, persona, households)
    )
    data = api_get(world, persona, "/api/v1/persons/?page_size=100").json()
    persons = list(world.h_a1.members.all()) + list(world.h_a2.members.all()) + [world.p_b]
    assert sorted(r["id"] for r in data["results"]) == sorted(
        p.pk for p in visible(world, persona, persons)
    )
    data = api_get(world, persona, "/api/v1/regions/").json()
    assert sorted(r["code"] for r in data["results"]) == sorted(
        r.code for r in visible(world, persona, list(world.regions.values()))
    )
    # A search by a full ID number of A (it posts: never in a URL) finds nothing for the
    # outsider; nor does a search by part of A's household number.
    client = APIClient()
    client.force_login(world.personas[persona][0])
    data = client.post(
        "/api/v1/households/search/", {"q": world.p_a1.id_number}, format="json"
    ).json()
    want = [world.h_a1.number] if visible(world, persona, [world.h_a1]) else []
    assert [r["number"] for r in data["results"]] == want
    data = api_get(world, persona, "/api/v1/households/?q=A1-").json()
    assert [r["number"] for r in data["results"]] == want


@pytest.mark.parametrize("persona", PERSONAS)
def test_audit_lists_show_exactly_the_scope(world, persona):
    client = Client()
    client.force_login(world.personas[persona][0])
    _user, role, region = world.personas[persona]
    if VIEW_AUDIT not in held_anywhere(world, persona):
        assert client.get("/audit/").status_code == 403
        assert api_get(world, persona, "/api/v1/audit/").status_code == 403
        return
    data = api_get(world, persona, "/api/v1/audit/?action=household.register").json()
    codes = {r["region_code"] for r in data["results"]}
    want = {
        r.region_code
        for r in visible(
            world, persona, [world.audit_a1, world.audit_a2, world.audit_b], VIEW_AUDIT
        )
    }
    assert codes == want
    every = api_get(world, persona, "/api/v1/audit/?page_size=1000").json()
    assert all(r["region_code"].startswith(region.prefix) for r in every["results"])
    html = client.get("/audit/?action=household.register").content.decode()
    for record in (world.audit_a1, world.audit_a2, world.audit_b):
        shown = f"/audit/{record.pk}/" in html
        assert shown == (record.region_code in want), (persona, record.region_code)


@pytest.mark.parametrize("persona", PERSONAS)
def test_user_lists_show_exactly_the_scope(world, persona):
    client = Client()
    client.force_login(world.personas[persona][0])
    _user, role, _region = world.personas[persona]
    response = client.get("/users/")
    if MANAGE_USERS not in held_anywhere(world, persona):
        assert response.status_code == 403
        return
    html = response.content.decode()
    accounts = [world.user_a1, world.user_a2, world.user_b]
    for account in accounts:
        shown = f"/users/{account.pk}/" in html
        assert shown == (account in visible(world, persona, accounts, MANAGE_USERS)), (
            persona,
            account.username,
        )


def test_user_forms_offer_only_the_scope(world):
    """A township official hands out village-cadre roles in the township, nothing else."""
    client = Client()
    client.force_login(world.personas["official_a"][0])
    html = client.get("/users/new/").content.decode()
    assert 'value="village_cadre"' in html
    assert 'value="county_admin"' not in html and 'value="township_official"' not in html
    assert world.v1.code in html and world.v2.code in html
    assert world.v3.code not in html and world.county.code not in html
    response = client.post(
        "/users/new/",
        {"username": "sneaky", "role": "village_cadre", "region": world.v3.code},
    )
    assert response.status_code == 200  # the form refuses a region it does not offer
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="sneaky").exists()


@pytest.mark.parametrize("persona", REGION_PERSONAS)
def test_home_opens_the_users_own_region(world, persona):
    client = Client()
    client.force_login(world.personas[persona][0])
    region = world.personas[persona][2]
    assert client.get("/")["Location"] == f"/map/{region.code}/"


@pytest.mark.parametrize("persona", REGION_PERSONAS)
def test_household_list_page_shows_exactly_the_scope(world, persona):
    client = Client()
    client.force_login(world.personas[persona][0])
    region = world.personas[persona][2]
    html = client.get(f"/map/{region.code}/households/").content.decode()
    for household in (world.h_a1, world.h_a2, world.h_b):
        shown = f"/households/{household.pk}/" in html
        assert shown == bool(visible(world, persona, [household])), (persona, household.number)


def test_anonymous_reaches_nothing_but_the_login(world):
    client = APIClient()
    for endpoint in OBJECT_ENDPOINTS:
        for obj in world.objects_a[endpoint.kind][:1]:
            url = endpoint.url(world, obj)
            response = getattr(client, endpoint.method)(url)
            if endpoint.api:
                assert response.status_code == 401, url
            else:
                assert response.status_code == 302, url
                assert response["Location"].startswith("/login/")
    for url in ["/", "/audit/", "/users/", "/account/tokens/", "/api/v1/audit/"]:
        assert client.get(url).status_code in (302, 401)


def test_a_paired_cadre_sees_their_households_only(world):
    """A role over households (干部包户): the household and its members, nothing else."""
    from battlemap.accounts.services import household_assign
    from battlemap.audit.services import SystemActor

    user = personas.outsider("paired")
    household_assign(actor=SystemActor("test"), user=user, household=world.h_a2)
    client = APIClient()
    client.force_login(user)
    data = client.get("/api/v1/households/").json()
    assert [r["number"] for r in data["results"]] == [world.h_a2.number]
    assert client.get(f"/api/v1/households/{world.h_a1.pk}/").status_code == 404
    assert client.get(f"/api/v1/persons/{world.p_a2.pk}/").status_code == 200
    assert client.get(f"/api/v1/regions/{world.v2.code}/").status_code == 404
    assert client.get(f"/map/{world.v2.code}/households/").status_code == 404
    assert world.h_a2.number in client.get("/").content.decode()
    assert client.get(f"/households/{world.h_a2.pk}/").status_code == 200
    assert client.post(f"/api/v1/persons/{world.p_a2.pk}/reveal/").status_code == 200


def test_admin_lists_are_scoped(world):
    """The Django admin reads through the same scopes: a staff official sees the
    households of the township; a superuser (system administration) sees none."""
    official = world.personas["official_a"][0]
    official.is_staff = True
    official.save()
    client = Client()
    client.force_login(official)
    html = client.get("/admin/registry/household/").content.decode()
    assert world.h_a1.number in html and world.h_a2.number in html
    assert world.h_b.number not in html
    assert client.get(f"/admin/registry/household/{world.h_b.pk}/change/").status_code in (
        302,
        404,
    )
    root = personas.superuser()
    client.force_login(root)
    assert client.get("/admin/registry/household/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 200  # what a superuser is for


@pytest.mark.parametrize("persona", PERSONAS)
def test_project_lists_show_exactly_the_scope(world, persona):
    """The project library (page and API) and the bulletins, per persona."""
    projects = [world.project_a1, world.project_a, world.project_b]
    want = sorted(p.name for p in visible(world, persona, projects, VIEW_PROJECTS))
    data = api_get(world, persona, "/api/v1/projects/").json()
    assert sorted(r["name"] for r in data["results"]) == want
    client = Client()
    client.force_login(world.personas[persona][0])
    page = client.get("/projects/").content.decode()
    assert sorted(p.name for p in projects if p.name in page) == want
    bulletins = [world.bulletin_a, world.bulletin_county, world.bulletin_b]
    page = client.get("/bulletins/").content.decode()
    shown = [b for b in bulletins if f"/bulletins/{b.pk}/" in page]
    assert shown == visible(world, persona, bulletins, VIEW_PROJECTS)


# --- import errors: nothing of a region outside the importer's --------------------------------


def _import_errors(run) -> list:
    from battlemap.core.tabular import ImportFailed

    try:
        with transaction.atomic():
            run()
    except ImportFailed as exc:
        return exc.errors
    raise AssertionError("the clashing file was taken")


def _registry_import(world, user, **cells):
    from battlemap.registry.workbook_import import registry_import
    from tests.exchange.workbooks import person, workbook

    content = workbook([person("B1-9", 村级区划代码=world.v3.code, **cells)])
    return lambda: registry_import(actor=user, content=content, filename="户.xlsx")


def _projects_import(world, user, **cells):
    from battlemap.projects.workbook import COLUMNS, projects_import
    from tests.exchange.test_projects import project
    from tests.exchange.workbooks import workbook

    content = workbook([project(**cells)], headers=[c.header for c in COLUMNS], sheet="项目库")
    return lambda: projects_import(actor=user, content=content, filename="库.xlsx")


def _accounts_import(world, user, code):
    from battlemap.accounts.workbook import read_accounts
    from tests.security.test_user_management import workbook

    return lambda: read_accounts(user, workbook([("far_away", "某", "村干部", code)]))


# Each kind of workbook, fed what clashes with township A's records.
IMPORT_CLASHES = {
    "registry: A's ID number": lambda w, u: _registry_import(w, u, 证件号码=w.p_a1.id_number),
    "registry: A's household number": lambda w, u: _registry_import(w, u, 户编号=w.h_a1.number),
    "projects: A's place": lambda w, u: _projects_import(w, u, 实施地点代码=w.v1.code),
    "projects: A's beneficiary": lambda w, u: _projects_import(
        w, u, 实施地点代码=w.v3.code, 受益贫困户=w.h_a2.number
    ),
    "accounts: A's village": lambda w, u: _accounts_import(w, u, w.v2.code),
}


@pytest.mark.parametrize("clash", IMPORT_CLASHES)
def test_import_errors_name_nothing_of_another_region(world, clash):
    """official_b's file clashes with A's records: refused, and not a name, code or household
    number of A in any error's words (the cell's value is what official_b typed).
    tests/exchange/test_conflicts.py shows the county administrator the full conflict."""
    user = world.personas["official_b"][0]
    errors = _import_errors(IMPORT_CLASHES[clash](world, user))
    assert errors
    secrets = [
        *(r.name for r in world.objects_a["region"]),
        *(r.code for r in world.objects_a["region"]),
        world.h_a1.number,
        world.h_a2.number,
        world.p_a1.name,
        world.p_a2.name,
    ]
    leaks = [
        (e.row, e.column, secret)
        for e in errors
        for secret in secrets
        if secret in f"{e.sheet} {e.column} {e.reason}".replace(str(e.value), "")
    ]
    assert leaks == []
