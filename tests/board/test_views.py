"""The battle map's pages: scoping, figures equal to the registry's, filters, search,
flat query counts, masked ID numbers, and no inline script anywhere."""

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from battlemap.accounts.models import Role
from battlemap.core import crypto
from battlemap.core.figures import INDICATORS, key_figures
from battlemap.registry.selectors import region_figures
from battlemap.registry.services import household_event_add, income_record_set, person_leave
from tests import personas
from tests.factories import ACTOR, id_number, make_county, register

pytestmark = pytest.mark.django_db
D = dt.date
TODAY_ISH = D(2020, 6, 30)
ZHANG_ID = id_number(9001)


def build():
    county = make_county()
    h1 = register(
        county.v1,
        "H1",
        D(2015, 10, 1),
        [{"name": "张三", "id_number": ZHANG_ID}, {"name": "李四"}, {}],
        phone="13812345678",
    )
    h2 = register(county.v1, "H2", D(2015, 10, 1), 2)
    household_event_add(actor=ACTOR, household=h2, kind="exited", date=D(2017, 12, 1))
    h3 = register(county.v2, "H3", D(2016, 3, 1), 2, main_cause="因学")
    household_event_add(actor=ACTOR, household=h3, kind="exited", date=D(2018, 12, 1))
    household_event_add(actor=ACTOR, household=h3, kind="removed", date=D(2019, 6, 1))
    h4 = register(county.v3, "H4", D(2015, 10, 1), [{"name": "王五"}])
    person_leave(
        actor=ACTOR, person=h1.members.order_by("id").last(), left_on=D(2018, 5, 1), reason="死亡"
    )
    income_record_set(
        actor=ACTOR, household=h1, year=2016, wages=Decimal("6000"), transfers=Decimal("900")
    )
    income_record_set(
        actor=ACTOR, household=h1, year=2019, wages=Decimal("9000"), costs=Decimal("600")
    )
    county.h = {"H1": h1, "H2": h2, "H3": h3, "H4": h4}
    county.boss = personas.county_admin(county.county)
    county.huayang_official = personas.cadre(
        county.huayang, username="huayang", role=Role.TOWNSHIP_OFFICIAL
    )
    county.outsider = personas.outsider()
    return county


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page(user, url, status=200) -> str:
    response = client_for(user).get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def shown_figures(html: str) -> dict[str, str]:
    """The strip of key figures as the page shows it: {indicator: value text}."""
    found = re.findall(
        r'data-figure="(\w+)".*?<span class="figure-value">([^<]*)</span>', html, flags=re.S
    )
    return dict(found)


def households_on_page(html: str) -> list[str]:
    return re.findall(r'href="/households/\d+/[^"]*">([^<]+)</a>', html)


# --- who gets in --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/map/341824000000/",
        "/screen/341824000000/",
        "/map/341824100201/households/",
        "/households/1/",
    ],
)
def test_anonymous_is_sent_to_login(world, url):
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_home_opens_the_map_of_the_users_top_region(world):
    assert client_for(world.boss).get("/")["Location"] == "/map/341824000000/"
    response = client_for(world.huayang_official).get("/?date=2016-12-31")
    assert response["Location"] == "/map/341824100000/?date=2016-12-31"


def test_home_without_a_role_says_so(world):
    assert "尚未分配任何区划" in page(world.outsider, "/")


def test_a_village_map_is_its_household_list(world):
    response = client_for(world.boss).get("/map/341824100201/?date=2016-12-31")
    assert response.status_code == 302
    assert response["Location"] == "/map/341824100201/households/?date=2016-12-31"


def outside_urls(world) -> list[str]:
    linxi, h4 = world.linxi.code, world.h["H4"].pk
    return [
        f"/map/{linxi}/",
        "/map/341824000000/",  # the county above the township is outside too
        f"/screen/{linxi}/",
        "/screen/341824000000/",
        f"/map/{linxi}/households/",
        f"/map/{world.v3.code}/households/",
        f"/households/{h4}/",
        f"/api/v1/board/{linxi}/",
        f"/api/v1/board/{linxi}/geo/",
        "/map/999999000000/",  # does not exist: the same answer
        "/households/999999/",
    ]


def test_a_township_official_sees_the_other_township_as_404(world):
    for url in outside_urls(world):
        page(world.huayang_official, url, status=404)
    page(world.huayang_official, f"/map/{world.huayang.code}/")
    page(world.huayang_official, f"/screen/{world.huayang.code}/")
    page(world.huayang_official, f"/map/{world.v1.code}/households/")
    page(world.huayang_official, f"/households/{world.h['H1'].pk}/")


def test_an_outsider_sees_nothing(world):
    for url in [
        *outside_urls(world),
        f"/map/{world.huayang.code}/",
        f"/households/{world.h['H1'].pk}/",
    ]:
        page(world.outsider, url, status=404)


def test_the_township_list_holds_only_its_households(world):
    html = page(world.huayang_official, f"/map/{world.huayang.code}/households/?date=2016-12-31")
    assert sorted(households_on_page(html)) == ["H1", "H2", "H3"]


# --- the map page -------------------------------------------------------------------------------


@pytest.mark.parametrize("date", [D(2015, 12, 31), D(2017, 12, 31), D(2019, 11, 30), TODAY_ISH])
@pytest.mark.parametrize("code", ["341824000000", "341824100000", "341824101000"])
def test_figures_on_the_map_equal_the_registry_figures(world, code, date):
    html = page(world.boss, f"/map/{code}/?date={date.isoformat()}")
    figures = region_figures(world.regions[code], date)
    shown = shown_figures(html)
    assert list(shown) == list(key_figures())
    for name in ("households_registered", "persons_registered", "households_poor", "persons_poor"):
        assert shown[name] == f"{figures[name]:,}", name
    incidence = figures["poverty_incidence"]  # None before any population figure (2018)
    assert shown["poverty_incidence"] == (f"{incidence * 100:.2f}" if incidence else "—")
    if figures["poor_villages"]:
        rate = figures["poor_villages_exited"] / figures["poor_villages"] * 100
        assert shown["village_exit_rate"] == f"{rate:.1f}"
    else:
        assert shown["village_exit_rate"] == "—"


def test_each_figure_links_to_the_records_behind_it(world):
    html = page(world.boss, "/map/341824100000/?date=2016-12-31")
    assert 'href="/map/341824100000/households/?status=poor&amp;date=2016-12-31"' in html
    assert 'href="/map/341824100000/households/?status=registered&amp;date=2016-12-31"' in html
    listed = households_on_page(
        page(world.boss, "/map/341824100000/households/?status=poor&date=2016-12-31")
    )
    assert len(listed) == region_figures(world.huayang, D(2016, 12, 31))["households_poor"]


def test_map_page_ranks_children_worst_first_and_links_them(world):
    html = page(world.boss, "/map/341824000000/?date=2016-12-31&indicator=households_poor")
    rows = re.findall(r'<td class="name"><a href="([^"]+)">([^<]+)</a>', html)
    # On that date 华阳镇 has three poor households (H1, H2, H3), 临溪镇 one (H4).
    assert [name for _href, name in rows] == ["华阳镇", "临溪镇"]
    assert rows[0][0] == "/map/341824100000/?date=2016-12-31&amp;indicator=households_poor"
    township = page(world.boss, "/map/341824100000/?date=2016-12-31")
    villages = re.findall(r'<td class="name"><a href="([^"]+)">', township)
    assert all("/households/?date=2016-12-31" in href for href in villages)


def test_map_page_embeds_the_api_answer_and_the_indicator_registry(world):
    html = page(world.boss, "/map/341824000000/?date=2019-11-30&indicator=persons_poor")
    assert '<script id="board-data" type="application/json">' in html
    assert '"indicator": "persons_poor"' in html
    assert '<option value="persons_poor" selected>' in html
    for item in INDICATORS.values():
        assert f'<option value="{item.name}"' in html
    assert 'data-board-url="/api/v1/board/341824000000/"' in html
    assert 'data-geo-url="/api/v1/board/341824000000/geo/"' in html
    assert 'value="2019-11-30"' in html  # the date control


def test_a_bad_date_or_indicator_falls_back(world, today):
    html = page(world.boss, "/map/341824000000/?date=yesterday&indicator=nonsense")
    assert f'value="{today.isoformat()}"' in html
    assert '<option value="poverty_incidence" selected>' in html
    future = page(world.boss, "/map/341824000000/?date=2999-01-01")
    assert f'value="{today.isoformat()}"' in future


def test_big_screen(world):
    html = page(world.boss, "/screen/341824000000/?date=2019-11-30")
    assert 'data-refresh-seconds="60"' in html
    assert 'data-pinned-date="2019-11-30"' in html
    assert (
        shown_figures(html)["persons_poor"]
        == f"{region_figures(world.county, D(2019, 11, 30))['persons_poor']:,}"
    )
    assert 'data-pinned-date=""' in page(world.boss, "/screen/341824000000/")


# --- the household list -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date=2016-12-31", ["H1", "H2", "H3", "H4"]),
        ("status=poor&date=2016-12-31", ["H1", "H2", "H3", "H4"]),
        ("status=poor&date=2018-06-30", ["H1", "H3", "H4"]),
        ("status=exited&date=2018-12-31", ["H2", "H3"]),
        ("status=removed&date=2019-12-31", ["H3"]),
        ("status=registered&date=2019-12-31", ["H1", "H2", "H4"]),
        ("status=poor&date=2015-12-31", ["H1", "H2", "H4"]),
        ("q=张三", ["H1"]),
        ("q=李", ["H1"]),
        (f"q={ZHANG_ID[:17]}", []),  # no partial match on ID numbers: they are encrypted
        ("q=H2", ["H2"]),
        ("q=王五&status=exited", []),
        ("q=nobody", []),
    ],
)
def test_household_list_filters_and_search(world, query, expected):
    html = page(world.boss, f"/map/341824000000/households/?{query}")
    assert sorted(households_on_page(html)) == expected


def search(user, data: dict, url="/map/341824000000/households/"):
    """Post the search form as the page does; (the URL it lands on, the page)."""
    client = client_for(user)
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    landed = response.redirect_chain[-1][0]
    return landed, response.content.decode(), client


def test_search_by_id_number_ignores_case_and_spaces(world):
    # Each test runs in a savepoint of the module's transaction: this household goes away after.
    register(world.v2, "HX", D(2016, 1, 1), [{"id_number": "11010519491231002X"}])
    _url, html, _client = search(world.boss, {"q": "11010519491231002x "})
    assert households_on_page(html) == ["HX"]


def test_a_search_by_full_id_number_never_puts_it_in_a_url(world):
    """Issue 13, finding 6: access logs keep URLs. The form posts; the number is kept in
    the session under an opaque key; the result's URL, its page links and the form's
    target hold no ID number, and a second page still searches by it."""
    landed, html, client = search(
        world.boss, {"q": ZHANG_ID, "status": "poor", "date": "2016-12-31"}
    )
    assert households_on_page(html) == ["H1"]
    assert ZHANG_ID not in landed and "s=" in landed and "status=poor" in landed
    assert not re.search(r'href="[^"]*' + ZHANG_ID, html)
    again = client.get(landed)
    assert households_on_page(again.content.decode()) == ["H1"]
    # The session (a database row) keeps the number encrypted, like the registry.
    assert ZHANG_ID not in str(dict(client.session))
    # A name stays in the URL (shareable); so does part of a household number.
    landed, html, _client = search(world.boss, {"q": "张三"})
    assert "q=" in landed and households_on_page(html) == ["H1"]


def test_search_by_part_of_a_household_number_or_name(world):
    register(world.v2, "34182410020300017", D(2016, 1, 1), [{"name": "欧阳修远"}])
    for text in ("0300017", "阳修"):
        _url, html, _client = search(world.boss, {"q": text})
        assert households_on_page(html) == ["34182410020300017"], text


def test_an_old_link_with_an_id_number_is_moved_out_of_the_url(world):
    client = client_for(world.boss)
    response = client.get(f"/map/341824000000/households/?q={ZHANG_ID}&date=2016-12-31")
    assert response.status_code == 302 and ZHANG_ID not in response["Location"]
    assert households_on_page(client.get(response["Location"]).content.decode()) == ["H1"]


def test_a_search_key_of_another_session_finds_nothing_of_it(world):
    landed, _html, _client = search(world.boss, {"q": ZHANG_ID})
    html = page(world.boss, landed)  # a new session: the key means nothing there
    assert "该搜索已失效" in html


def test_household_list_columns(world):
    html = page(world.boss, f"/map/{world.v1.code}/households/?date=2019-12-31")
    row = re.search(r">H1</a>.*?</tr>", html, flags=re.S).group(0)
    assert "张三" in row  # the head
    assert "因病" in row
    assert "贫困" in row
    assert '<td class="num">2</td>' in row  # three members, one left in 2018
    assert "4,200.00" in row or "4200.00" in row  # 2019: (9000 - 600) / 2
    early = page(world.boss, f"/map/{world.v1.code}/households/?date=2016-12-31")
    row = re.search(r">H1</a>.*?</tr>", early, flags=re.S).group(0)
    assert '<td class="num">3</td>' in row
    assert "2300.00" in row or "2,300.00" in row  # 2016: 6900 / 3


def test_household_list_query_count_does_not_grow_with_rows(world):
    client = client_for(world.boss)
    url = "/map/341824000000/households/?date=2019-12-31"
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for i in range(8):
        household = register(world.v4, f"Q{i}", D(2015, 10, 1), 3)
        income_record_set(actor=ACTOR, household=household, year=2019, wages=Decimal("5000"))
    assert count() == before
    assert before <= 10, before  # session, user, roles, region, count, page, members, incomes


def test_household_list_pages(world, monkeypatch):
    from battlemap.registry import views

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    url = "/map/341824000000/households/?date=2016-12-31"
    assert households_on_page(page(world.boss, url)) == ["H1", "H2", "H3"]
    second = page(world.boss, url + "&page=2")
    assert households_on_page(second) == ["H4"]
    assert "第2页，共2页" in second
    assert 'href="?date=2016-12-31&amp;page=1"' in second  # the filters stay on
    assert households_on_page(page(world.boss, url + "&page=99")) == ["H4"]


# --- the household file -------------------------------------------------------------------------


def test_household_file(world):
    h1 = world.h["H1"]
    html = page(world.boss, f"/households/{h1.pk}/?date=2019-12-31")
    assert ZHANG_ID not in html
    assert crypto.mask_id_number(ZHANG_ID) in html
    assert "13812345678" not in html and "138****5678" in html
    assert "张三" in html and "李四" in html
    assert re.search(r'<tr class="gone">', html)  # the member who left in 2018
    assert "2015-10-01" in html  # the identification in the timeline
    assert "两不愁三保障" in html
    for year in ("2016", "2019"):
        assert f"<td>{year}</td>" in html
    assert 'href="/map/341824100201/households/?date=2019-12-31"' in html  # back to the list
    assert "household-section" not in html  # no section registered yet: nothing shown


def test_household_file_timeline_in_order(world):
    html = page(world.boss, f"/households/{world.h['H3'].pk}/")
    dates = re.findall(r'<time datetime="([\d-]+)">', html)
    assert dates == ["2016-03-01", "2018-12-01", "2019-06-01"]


def test_household_file_query_count_is_bounded(world):
    client = client_for(world.boss)
    url = f"/households/{world.h['H1'].pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) <= 12


# --- no inline script, nothing from elsewhere ---------------------------------------------------


class ScriptAudit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"inline handler {name} on <{tag}>")
            if name in ("src", "href") and value and re.match(r"^(https?:)?//", value):
                self.problems.append(f"external {name}={value}")
            if name == "style":
                self.problems.append(f"inline style on <{tag}>")
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")


@pytest.mark.parametrize(
    "url",
    [
        "/map/341824000000/",
        "/map/341824100000/",
        "/screen/341824000000/",
        "/map/341824000000/households/?q=张",
        "/households/{h1}/",
    ],
)
def test_pages_have_no_inline_script_and_load_nothing_from_elsewhere(world, url):
    audit = ScriptAudit()
    audit.feed(page(world.boss, url.format(h1=world.h["H1"].pk)))
    assert audit.problems == []


def test_map_page_in_english(world):
    client = client_for(world.boss)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/map/341824000000/?date=2016-12-31").content.decode()
    assert "People still in poverty" in html
    assert '<span class="figure-unit">households</span>' in html
    assert "Schematic" in html and "Ranking" in html
    listing = client.get("/map/341824000000/households/?status=poor").content.decode()
    assert "Illness" in listing  # the main cause in its English label
