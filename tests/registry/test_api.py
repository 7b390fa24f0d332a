"""The REST API: filters, masking, and scoping by role (county administrator, village cadre,
outsider)."""

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from battlemap.core import crypto
from battlemap.registry.models import Household, Person
from battlemap.registry.services import household_event_add, person_add
from tests import personas
from tests.factories import ACTOR, make_county, member, register

pytestmark = pytest.mark.django_db
D = dt.date
MASKED_ID = re.compile(r"^\d{4}\*{10}[\dX]{4}$")


def build():
    county = make_county(population=False)
    h1 = register(county.v1, "H1", D(2015, 10, 1), 3, phone="13812345678")
    h2 = register(county.v1, "H2", D(2015, 10, 1), 2)
    household_event_add(actor=ACTOR, household=h2, kind="exited", date=D(2019, 12, 1))
    h3 = register(county.v2, "H3", D(2016, 3, 1), 2)
    household_event_add(actor=ACTOR, household=h3, kind="exited", date=D(2018, 12, 1))
    household_event_add(actor=ACTOR, household=h3, kind="relapsed", date=D(2020, 5, 1))
    h4 = register(county.v3, "H4", D(2015, 10, 1), 1)
    county.h = {"H1": h1, "H2": h2, "H3": h3, "H4": h4}
    county.boss = personas.county_admin(county.county)
    county.cadre = personas.cadre(county.v1)
    county.outsider = personas.outsider()
    return county


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def get(user, url, status=200):
    response = client_for(user).get(url)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    return response.json() if status == 200 else response


def numbers(data):
    return sorted(row["number"] for row in data["results"])


# --- anonymous ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/v1/households/", "/api/v1/persons/", "/api/v1/regions/", "/api/v1/households/1/"]
)
def test_anonymous_is_refused(world, url):
    assert client_for(None).get(url).status_code in (401, 403)


# --- households ---------------------------------------------------------------------------------


def test_county_admin_sees_all_households(world):
    data = get(world.boss, "/api/v1/households/")
    assert data["count"] == 4
    assert numbers(data) == ["H1", "H2", "H3", "H4"]
    row = next(r for r in data["results"] if r["number"] == "H1")
    assert row["village"] == "341824100201"
    assert row["village_name"] == "城西村"
    assert row["main_cause"] == "因病"
    assert row["status"] == "poor"


@pytest.mark.parametrize(
    "region, expected",
    [
        ("341824", ["H1", "H2", "H3", "H4"]),
        ("341824100", ["H1", "H2", "H3"]),  # 9-digit township prefix
        ("341824100000", ["H1", "H2", "H3"]),
        ("341824101", ["H4"]),
        ("341824100201", ["H1", "H2"]),
        ("341824100202", ["H3"]),
        ("341824101202", []),
        ("341825", []),
        ("3418241", []),  # not a valid length: nothing, never everything
        ("abc", []),
    ],
)
def test_household_region_filter(world, region, expected):
    assert numbers(get(world.boss, f"/api/v1/households/?region={region}")) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("status=poor", ["H1", "H3", "H4"]),
        ("status=exited", ["H2"]),
        ("status=removed", []),
        ("status=poor&date=2019-06-30", ["H1", "H2", "H4"]),
        ("status=exited&date=2019-06-30", ["H3"]),
        ("status=poor&date=2020-05-01", ["H1", "H3", "H4"]),
        ("status=poor&region=341824100", ["H1", "H3"]),
        ("number=H2", ["H2"]),
    ],
)
def test_household_status_filter(world, query, expected):
    assert numbers(get(world.boss, f"/api/v1/households/?{query}")) == expected


def test_a_full_id_number_is_searched_by_post_never_in_the_url(world):
    """Issue 13, finding 6: URLs end up in access logs, so ?q= refuses a full ID number
    and says where to send it; POST …/search/ takes it (and the other filters) in the body."""
    person = world.h["H3"].members.order_by("id").first()
    refused = get(world.boss, f"/api/v1/households/?q={person.id_number}", status=400)
    assert "POST /api/v1/households/search/" in refused.content.decode()
    client = client_for(world.boss)
    found = client.post(
        "/api/v1/households/search/", {"q": person.id_number.lower()}, format="json"
    )
    assert found.status_code == 200 and numbers(found.json()) == ["H3"]
    both = client.post(
        "/api/v1/households/search/",
        {"q": person.id_number, "status": "exited", "date": "2019-06-30"},
        format="json",
    )
    assert numbers(both.json()) == ["H3"]
    none = client.post(
        "/api/v1/households/search/", {"q": person.id_number, "status": "removed"}, format="json"
    )
    assert numbers(none.json()) == []
    bad = client.post("/api/v1/households/search/", {"status": "rich"}, format="json")
    assert bad.status_code == 400
    cadre = client_for(world.cadre).post(
        "/api/v1/households/search/", {"q": person.id_number}, format="json"
    )
    assert numbers(cadre.json()) == []  # H3 is in V2, outside the cadre's village
    assert numbers(get(world.boss, "/api/v1/households/?q=H")) == ["H1", "H2", "H3", "H4"]


def test_list_status_follows_date(world):
    data = get(world.boss, "/api/v1/households/?date=2019-06-30")
    assert {r["number"]: r["status"] for r in data["results"]} == {
        "H1": "poor",
        "H2": "poor",
        "H3": "exited",
        "H4": "poor",
    }
    data = get(world.boss, "/api/v1/households/?date=2015-01-01")
    assert {r["status"] for r in data["results"]} == {"none"}


def test_bad_filter_values_are_400(world):
    get(world.boss, "/api/v1/households/?status=rich", status=400)
    get(world.boss, "/api/v1/households/?date=2019-13-01", status=400)


def test_household_detail_has_masked_members_and_events(world):
    h3 = world.h["H3"]
    data = get(world.boss, f"/api/v1/households/{h3.pk}/")
    assert data["number"] == "H3"
    assert data["status"] == "poor"  # relapsed
    assert [(e["kind"], e["date"]) for e in data["events"]] == [
        ("identified", "2016-03-01"),
        ("exited", "2018-12-01"),
        ("relapsed", "2020-05-01"),
    ]
    assert data["events"][2]["kind_label"] == "返贫"
    assert len(data["members"]) == 2
    for row in data["members"]:
        person = Person.objects.get(pk=row["id"])
        assert MASKED_ID.match(row["id_number"])
        assert row["id_number"] == crypto.mask_id_number(person.id_number)
        assert row["household_number"] == "H3"
    assert {m["relation"] for m in data["members"]} == {"户主", "配偶"}


def test_household_detail_masks_phone_and_never_shows_clear_numbers(world):
    h1 = world.h["H1"]
    response = client_for(world.boss).get(f"/api/v1/households/{h1.pk}/")
    body = response.content.decode()
    assert response.json()["phone"] == "138****5678"
    assert "13812345678" not in body
    for person in h1.members.all():
        assert person.id_number not in body
        assert person.id_number_masked in body


def test_api_writes_only_what_it_offers(world):
    """No creating or deleting through the API; PATCH needs the version that was read."""
    client = client_for(world.boss)
    assert client.post("/api/v1/households/", {"number": "X"}).status_code == 405
    url = f"/api/v1/households/{world.h['H1'].pk}/"
    assert client.delete(url).status_code == 405
    assert client.put(url, {"note": "x"}).status_code == 405
    response = client.patch(url, {"note": "x"}, format="json")
    assert response.status_code == 400 and "version" in response.json()
    assert Household.objects.count() == 4


# --- persons ------------------------------------------------------------------------------------


def test_persons_list_is_masked(world):
    response = client_for(world.boss).get("/api/v1/persons/")
    data = response.json()
    assert data["count"] == 8
    assert all(MASKED_ID.match(row["id_number"]) for row in data["results"])
    body = response.content.decode()
    for person in Person.objects.all():
        assert person.id_number not in body


def test_persons_region_filter(world):
    data = get(world.boss, "/api/v1/persons/?region=341824100")
    assert data["count"] == 7
    assert {r["household_number"] for r in data["results"]} == {"H1", "H2", "H3"}
    data = get(world.boss, f"/api/v1/persons/?household={world.h['H4'].pk}")
    assert data["count"] == 1


def test_person_detail(world):
    person = world.h["H4"].members.get()
    data = get(world.boss, f"/api/v1/persons/{person.pk}/")
    assert data["id_number"] == person.id_number_masked
    assert data["relation"] == "户主" and data["health"] == "健康"
    assert data["birth_date"] == person.birth_date.isoformat()


# --- regions ------------------------------------------------------------------------------------


def test_regions(world):
    data = get(world.boss, "/api/v1/regions/")
    assert [r["code"] for r in data["results"]] == sorted(world.regions)
    data = get(world.boss, "/api/v1/regions/?within=341824100")
    assert [r["code"] for r in data["results"]] == ["341824100000", "341824100201", "341824100202"]
    data = get(world.boss, "/api/v1/regions/?level=village")
    assert len(data["results"]) == 4
    data = get(world.boss, "/api/v1/regions/341824100201/")
    assert data == {
        "code": "341824100201",
        "name": "城西村",
        "level": "village",
        "parent": "341824100000",
    }


# --- scoping ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/households/",
        "/api/v1/persons/",
        "/api/v1/regions/",
        "/api/v1/households/?region=341824",
    ],
)
def test_outsider_sees_empty_lists(world, url):
    data = get(world.outsider, url)
    assert data["count"] == 0 and data["results"] == []


def test_outsider_gets_404_on_details(world):
    get(world.outsider, f"/api/v1/households/{world.h['H1'].pk}/", status=404)
    get(world.outsider, f"/api/v1/persons/{world.h['H1'].members.first().pk}/", status=404)
    get(world.outsider, "/api/v1/regions/341824100201/", status=404)


def test_missing_and_hidden_look_the_same(world):
    hidden = get(world.outsider, f"/api/v1/households/{world.h['H1'].pk}/", status=404)
    missing = get(world.outsider, "/api/v1/households/999999/", status=404)
    assert hidden.json() == missing.json()


def test_village_cadre_sees_only_their_village(world):
    assert numbers(get(world.cadre, "/api/v1/households/")) == ["H1", "H2"]
    assert numbers(get(world.cadre, "/api/v1/households/?region=341824")) == ["H1", "H2"]
    assert numbers(get(world.cadre, "/api/v1/households/?region=341824100202")) == []
    persons = get(world.cadre, "/api/v1/persons/")
    assert persons["count"] == 5
    assert {r["household_number"] for r in persons["results"]} == {"H1", "H2"}
    regions = get(world.cadre, "/api/v1/regions/")
    assert [r["code"] for r in regions["results"]] == ["341824100201"]
    get(world.cadre, f"/api/v1/households/{world.h['H1'].pk}/")
    get(world.cadre, f"/api/v1/households/{world.h['H3'].pk}/", status=404)
    get(world.cadre, f"/api/v1/persons/{world.h['H4'].members.get().pk}/", status=404)
    get(world.cadre, "/api/v1/regions/341824100000/", status=404)


def test_township_official_sees_the_township(world):
    official = personas.cadre(world.huayang, username="official", role="township_official")
    assert numbers(get(official, "/api/v1/households/")) == ["H1", "H2", "H3"]


# --- schema and query counts --------------------------------------------------------------------


def test_schema(world):
    response = client_for(world.boss).get("/api/v1/schema/")
    assert response.status_code == 200
    body = response.content.decode()
    for path in ("/api/v1/households/", "/api/v1/persons/", "/api/v1/regions/"):
        assert path in body


def test_query_count_does_not_grow_with_rows(world):
    client = client_for(world.boss)
    client.get("/api/v1/households/")  # the session is loaded once per request anyway
    urls = [
        "/api/v1/households/",
        "/api/v1/persons/",
        "/api/v1/regions/",
        f"/api/v1/households/{world.h['H1'].pk}/",
    ]

    def query_counts():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    small = query_counts()
    # detail: household, members + 3 code tables, events, incomes, guarantees, session, user,
    # roles
    assert max(small) <= 11
    for i in range(6):
        register(world.v4, f"X{i}", D(2015, 10, 1), 3)
    household_event_add(actor=ACTOR, household=world.h["H1"], kind="exited", date=D(2021, 1, 1))
    person_add(actor=ACTOR, household=world.h["H1"], **member("之孙子"))
    assert query_counts() == small


# --- filters naming an object: outside the scope answers like nothing ------------------------------


def choice_filters():
    """(list URL, parameter, model) for every filter of the API that names an object."""
    from django.urls import reverse
    from django_filters.filters import QuerySetRequestMixin

    from battlemap.api_urls import router

    found = []
    for _prefix, viewset, basename in router.registry:
        filterset_class = getattr(viewset, "filterset_class", None)
        if filterset_class is None:
            continue
        for name, flt in filterset_class.base_filters.items():
            if isinstance(flt, QuerySetRequestMixin):
                model = flt.queryset.model if flt.queryset is not None else flt.model
                found.append((reverse(f"{basename}-list"), name, model))
    return found


def test_the_api_has_filters_that_name_objects():
    names = {(url, name) for url, name, _model in choice_filters()}
    assert ("/api/v1/persons/", "household") in names
    assert ("/api/v1/regions/", "parent") in names


@pytest.mark.parametrize("url,name,model", choice_filters())
def test_a_filter_naming_a_hidden_object_answers_like_a_missing_one(world, url, name, model):
    """`?household=<a household of another village>` must not tell that it exists."""
    manager = model._default_manager
    hidden = manager.exclude(pk__in=manager.visible_to(world.cadre).values("pk")).first()
    assert hidden is not None
    missing = "999999999" if isinstance(hidden.pk, int) else "349999999999"
    assert not manager.filter(pk=missing).exists()
    shown = client_for(world.cadre).get(f"{url}?{name}={hidden.pk}")
    absent = client_for(world.cadre).get(f"{url}?{name}={missing}")
    assert (shown.status_code, shown.json()) == (absent.status_code, absent.json())
    # And what the user may see still filters.
    own = manager.visible_to(world.cadre).first()
    if own is not None:
        assert client_for(world.cadre).get(f"{url}?{name}={own.pk}").status_code == 200


def test_the_household_filter_of_persons_keeps_working(world):
    household = world.h["H1"]
    data = get(world.cadre, f"/api/v1/persons/?household={household.pk}")
    assert data["count"] == household.members.count()
    data = get(world.boss, "/api/v1/regions/?parent=341824100000")
    assert [r["code"] for r in data["results"]] == ["341824100201", "341824100202"]


def test_every_filterset_is_scoped():
    """A new FilterSet that forgot the base would bring the oracle back."""
    import django_filters

    from battlemap.core.filters import ScopedFilterSet

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = {c for c in subclasses(django_filters.FilterSet) if c.__module__.startswith("battlemap")}
    assert {c.__name__ for c in ours} >= {"HouseholdFilter", "PersonFilter", "RegionFilter"}
    assert [c for c in ours if not issubclass(c, ScopedFilterSet)] == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/households/?region={code}",
        "/api/v1/persons/?region={code}",
        "/api/v1/regions/?within={code}",
        "/api/v1/projects/?region={code}",
        "/api/v1/audit/?region={code}",
    ],
)
def test_region_filters_answer_alike_for_hidden_and_missing_regions(world, url):
    """Filters by code prefix: another township's code and one that does not exist."""
    official = personas.cadre(world.huayang, username="tw", role="township_official")
    for user in (world.cadre, official):
        hidden = client_for(user).get(url.format(code=world.v3.code))  # 临溪镇's village
        missing = client_for(user).get(url.format(code="341824199999"))
        assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())
