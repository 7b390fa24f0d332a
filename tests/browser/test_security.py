"""In the browser: the village cadre sees one village and nothing else; revealing a number
is a click that the audit trail records; and the pages an administrator uses (audit
trail, user management, tokens, API docs, the map with its tooltips) draw without a
single Content-Security-Policy violation (the page fixture fails the test on any)."""

import datetime as dt

import pytest

from battlemap.accounts.models import Role
from battlemap.accounts.services import user_ensure
from battlemap.audit.models import AuditRecord
from tests.factories import ACTOR, id_number, make_county, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-12345678"
HEAD_ID = id_number(4242)


def log_in(page, live_server, username):
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click(".login button[type=submit]")


def test_village_cadre_sees_one_village_only(page, live_server):
    county = make_county()
    mine = register(
        county.v1, "V1-01", dt.date(2015, 10, 1), [{"name": "张三", "id_number": HEAD_ID}]
    )
    register(county.v1, "V1-02", dt.date(2015, 10, 1), 2)
    register(county.v2, "V2-01", dt.date(2015, 10, 1), 2)
    register(county.v3, "V3-01", dt.date(2015, 10, 1), 2)
    user_ensure(
        actor=ACTOR,
        username="village_cadre",
        password=PASSWORD,
        role=Role.VILLAGE_CADRE,
        region=county.v1,
    )
    log_in(page, live_server, "village_cadre")
    # Home is the village: its map is its household list.
    page.wait_for_url(f"**/map/{county.v1.code}/households/")
    assert county.v1.name in page.inner_text("h1")
    numbers = page.locator("table.households tbody a").all_inner_texts()
    assert sorted(numbers) == ["V1-01", "V1-02"]
    crumbs = page.locator(".breadcrumb").inner_text()
    assert county.county.name not in crumbs and county.huayang.name not in crumbs
    # Everything above or beside the village does not exist for her.
    for url in (
        f"/map/{county.county.code}/",
        f"/map/{county.huayang.code}/",
        f"/map/{county.v2.code}/households/",
        f"/screen/{county.county.code}/",
        f"/api/v1/board/{county.county.code}/",
    ):
        assert page.goto(live_server.url + url).status == 404, url
    data = page.evaluate("() => fetch('/api/v1/households/').then(r => r.json())")
    assert sorted(r["number"] for r in data["results"]) == ["V1-01", "V1-02"]

    # Her household's file: the ID number masked until she clicks 显示.
    page.goto(f"{live_server.url}/households/{mine.pk}/")
    cell = page.locator("table.members tbody tr", has_text="张三").locator("[data-personal]")
    assert HEAD_ID not in page.inner_text("main")
    assert cell.inner_text().count("*") == 10
    page.locator("table.members tbody tr", has_text="张三").locator(
        "form[data-reveal] button"
    ).click()
    page.wait_for_function("el => !el.textContent.includes('*')", arg=cell.element_handle())
    assert cell.inner_text() == HEAD_ID
    record = AuditRecord.objects.get(action="person.reveal")
    assert record.actor_label == "village_cadre" and record.after["person"] == "张三"


def test_administrator_pages_draw_without_csp_violations(page, live_server):
    county = make_county()
    register(county.v1, "H1", dt.date(2015, 10, 1), 2, phone="13812345678")
    user_ensure(
        actor=ACTOR,
        username="county_admin",
        password=PASSWORD,
        role=Role.COUNTY_ADMIN,
        region=county.county,
        staff=True,
    )
    log_in(page, live_server, "county_admin")
    page.wait_for_url(f"**/map/{county.county.code}/")
    page.wait_for_selector("#map-chart[data-ready='1']")
    page.wait_for_selector("#trend-chart[data-ready='1']")
    # Tooltips are HTML that ECharts writes: hover the map and the trend to draw them.
    for chart, text in (("#map-chart", "建档立卡户"), ("#trend-chart", "未脱贫人口")):
        box = page.locator(chart).bounding_box()
        for share in (0.3, 0.5, 0.7):
            page.locator(chart).hover(
                position={"x": box["width"] * share, "y": box["height"] * 0.6}
            )
            page.wait_for_timeout(150)
        page.wait_for_function(
            "([sel, text]) => Array.from(document.querySelectorAll(sel + ' div'))"
            ".some(d => d.textContent.includes(text))",
            arg=[chart, text],
        )
    for path, ready in (
        ("/audit/", "table.audit"),
        ("/users/", "table.users"),
        ("/users/new/", "form"),
        ("/users/import/", "form"),
        ("/account/tokens/", "form"),
        (f"/map/{county.v1.code}/households/", "table.households"),
        ("/api/v1/docs/", ".swagger-ui .info"),
        ("/admin/", "#content"),
    ):
        page.goto(live_server.url + path)
        page.wait_for_selector(ready)
    page.goto(live_server.url + "/account/tokens/")
    page.fill("input[name=name]", "脚本")
    page.click("form.filters button[type=submit]")
    token = page.inner_text("#new-token")
    assert token.startswith("bm_")
    assert page.csp_violations == []
