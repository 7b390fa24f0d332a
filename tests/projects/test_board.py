"""The battle map gains the projects' indicators: completed of planned, expenditure rate,
late milestones — for a region and its children, on any date, linked to the projects."""

import datetime as dt

import pytest
from django.test import Client
from rest_framework.test import APIClient

from battlemap.board.selectors import board, measures_at
from battlemap.projects import services as s
from battlemap.projects.selectors import project_figures
from tests import personas
from tests.factories import ACTOR, make_county, make_project

from .test_services import advance, to_under_way

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def world():
    w = make_county(population=False)
    w.a = make_project(w.v1)
    to_under_way(w.a, ("county", "100000"))
    s.disbursement_add(actor=ACTOR, project=w.a, amount="25000", date=D(2019, 4, 1), payee="甲")
    step = s.milestone_add(
        actor=ACTOR, project=w.a, name="施工", owner="王工", start=D(2019, 3, 1), due=D(2019, 5, 1)
    )
    s.milestone_complete(actor=ACTOR, milestone=step, done_on=D(2019, 5, 10))
    advance(w.a, "accepted", D(2019, 5, 20))
    w.b = make_project(w.huayang, "华阳镇扶贫车间建设")  # a township-level project
    to_under_way(w.b, ("central", "300000"))
    s.disbursement_add(actor=ACTOR, project=w.b, amount="300000", date=D(2019, 6, 1), payee="乙")
    w.c = make_project(w.v3, "临溪村安全饮水工程")  # planned only
    return w


def test_project_measures_match_the_figures_for_every_region_and_date(world):
    regions = [world.county, *world.townships, *world.villages]
    dates = [
        D(2019, 1, 1),
        D(2019, 4, 30),
        D(2019, 5, 5),
        D(2019, 5, 10),
        D(2019, 6, 30),
        D(2020, 1, 1),
    ]
    values = measures_at([r.code for r in regions], dates)
    for region in regions:
        for date in dates:
            f = project_figures(region, date)
            got = values[(region.code, date)]
            assert got["projects_planned"] == f["projects_planned"], (region.code, date)
            assert got["projects_completed"] == f["projects_completed"]
            assert got["funds_allocated_fen"] == int(f["funds_allocated"] * 100)
            assert got["funds_disbursed_fen"] == int(f["funds_disbursed"] * 100)
    assert values[(world.county.code, D(2019, 5, 5))]["milestones_late"] == 1
    assert values[(world.county.code, D(2019, 5, 10))]["milestones_late"] == 0
    assert values[(world.v1.code, D(2019, 5, 5))]["milestones_late"] == 1
    assert values[(world.v3.code, D(2019, 5, 5))]["milestones_late"] == 0


def test_board_indicators_and_ranking(world):
    data = board(world.county, D(2019, 6, 30), "expenditure_rate")
    assert data["indicators"]["expenditure_rate"] == pytest.approx(81.25)  # 325,000 / 400,000
    assert data["indicators"]["project_completion_rate"] == pytest.approx(33.3)
    children = {c["name"]: c["indicators"] for c in data["children"]}
    assert children["华阳镇"]["expenditure_rate"] == pytest.approx(81.25)
    assert children["临溪镇"]["expenditure_rate"] is None  # nothing allocated
    assert [c for c in data["ranking"]][0] == world.huayang.code


def test_map_page_shows_and_links_the_project_figures(world):
    admin = personas.county_admin(world.county)
    client = Client()
    client.force_login(admin)
    page = client.get(f"/map/{world.county.code}/?date=2019-06-30").content.decode()
    assert 'data-figure="expenditure_rate"' in page
    assert "/projects/?region=341824&amp;year=2019" in page
    assert "325,000 / 400,000" in page  # 元 paid / allocated
    api = APIClient()
    api.force_login(admin)
    data = api.get(
        f"/api/v1/board/{world.county.code}/?date=2019-06-30&indicator=milestones_late"
    ).json()
    assert data["measures"]["funds_disbursed_fen"] == 32_500_000
