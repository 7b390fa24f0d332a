"""A day without poor households (the campaign ended in 2020, so today in the demo) says
so on the map and the big screen and links to the last day that had some; and the ranking
marks places 1-3 as the worst only where they are worse than the best (never on a tie)."""

import datetime as dt
import re

import pytest
from django.test import Client

from battlemap.board.selectors import last_poor_date
from battlemap.registry.services import household_event_add
from tests import personas
from tests.factories import ACTOR, make_county, register

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def world():
    county = make_county()
    h1 = register(county.v1, "H1", D(2015, 10, 1), 2)
    h2 = register(county.v3, "H2", D(2015, 10, 1), 2)
    household_event_add(actor=ACTOR, household=h1, kind="exited", date=D(2018, 12, 1))
    household_event_add(actor=ACTOR, household=h2, kind="exited", date=D(2020, 6, 21))
    county.client = Client()
    county.client.force_login(personas.county_admin(county.county))
    return county


def test_last_poor_date_is_the_day_before_the_last_household_left(world):
    assert last_poor_date(world.county.code) == D(2020, 6, 20)
    assert last_poor_date(world.huayang.code) == D(2018, 11, 30)


def test_last_poor_date_is_none_while_a_household_is_still_poor(world):
    register(world.v2, "H3", D(2019, 3, 1), 1)
    assert last_poor_date(world.huayang.code) is None
    assert last_poor_date(world.county.code) is None


def notice(html: str) -> str | None:
    match = re.search(r'<p class="[^"]*" id="board-empty"[^>]*>(.*?)</p>', html, re.S)
    return match and match.group(0)


@pytest.mark.parametrize("page", ["map", "screen"])
def test_an_empty_day_says_so_and_links_to_the_last_poor_day(world, page):
    html = world.client.get(f"/{page}/{world.county.code}/").content.decode()
    shown = notice(html)
    assert shown and " hidden" not in shown.split(">")[0]
    assert "已没有未脱贫户" in shown
    assert "?date=2020-06-20" in shown


@pytest.mark.parametrize("page", ["map", "screen"])
def test_a_day_with_poor_households_hides_the_notice(world, page):
    html = world.client.get(f"/{page}/{world.county.code}/?date=2017-06-30").content.decode()
    shown = notice(html)
    assert shown is None or " hidden" in shown.split(">")[0]


def ranks(html: str) -> list[str]:
    return re.findall(r'<td class="rank( rank-\d)?">', html)


def test_a_tie_marks_nobody_as_worst(world):
    # On 2020-12-31 every township has 0.00 %: nobody is singled out in red.
    html = world.client.get(f"/map/{world.county.code}/?date=2020-12-31").content.decode()
    assert ranks(html) == ["", ""]


def test_the_really_worst_place_is_marked(world):
    # On 2019-06-30 only 临溪镇 has a poor household: it alone is marked.
    html = world.client.get(f"/map/{world.county.code}/?date=2019-06-30").content.decode()
    assert ranks(html) == [" rank-1", ""]
