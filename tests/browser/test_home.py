"""A county user logs in and lands on the county's battle map, in Chinese, served offline."""

import pytest
from django.conf import settings

from battlemap.accounts.models import Role
from battlemap.accounts.services import user_ensure
from tests.factories import ACTOR, make_county, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_and_home_figures(page, live_server):
    county = make_county()
    register(county.v1, "H1", members=3)
    user_ensure(
        actor=ACTOR,
        username="county_admin",
        password="pw-12345678",
        role=Role.COUNTY_ADMIN,
        region=county.county,
    )

    page.goto(live_server.url + "/")
    assert "/login/" in page.url
    page.fill("input[name=username]", "county_admin")
    page.fill("input[name=password]", "pw-12345678")
    page.click(".login button[type=submit]")
    page.wait_for_url("**/map/341824000000/")
    page.wait_for_selector("#map-chart[data-ready='1']")
    text = page.inner_text("main")
    assert "绩溪县" in text
    figures = shown_figures(page)
    assert figures["建档立卡户"] == "1"
    assert figures["未脱贫人口"] == "3"
    hosts = {url.split("/")[2] for url in page.requests}
    assert hosts == {live_server.url.split("/")[2]}, "a page loaded something from elsewhere"
    assert settings.LANGUAGE_CODE == "zh-hans"


def test_wrong_password_says_so(page, live_server):
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", "nobody")
    page.fill("input[name=password]", "wrong")
    page.click(".login button[type=submit]")
    assert "用户名或密码不正确" in page.inner_text(".login")


def test_home_figures_on_a_past_date(page, live_server):
    import datetime as dt

    county = make_county()
    household = register(county.v1, "H1", members=2, identified_on=dt.date(2015, 3, 1))
    from battlemap.registry.services import household_event_add

    household_event_add(actor=ACTOR, household=household, kind="exited", date=dt.date(2016, 12, 1))
    user_ensure(
        actor=ACTOR,
        username="u",
        password="pw-12345678",
        role=Role.COUNTY_ADMIN,
        region=county.county,
    )
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", "u")
    page.fill("input[name=password]", "pw-12345678")
    page.click(".login button[type=submit]")
    page.wait_for_url("**/map/341824000000/")
    page.fill("input[name=date]", "2016-06-30")
    page.click(".board-controls button[type=submit]")
    page.wait_for_url("**date=2016-06-30**")
    assert shown_figures(page)["未脱贫人口"] == "2"
    page.goto(live_server.url + "/?date=2017-01-01")
    assert page.url.endswith("/map/341824000000/?date=2017-01-01")
    assert page.locator(".figure-value").nth(3).inner_text() == "0"


def shown_figures(page) -> dict[str, str]:
    return dict(
        zip(
            page.locator(".figure-label").all_inner_texts(),
            page.locator(".figure-value").all_inner_texts(),
            strict=True,
        )
    )
