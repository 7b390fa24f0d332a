"""One project's page and API answer show the project as it stood on the date asked
(today without one): its own money whatever its year, its stage, records and reports."""

import datetime as dt

import pytest
from django.test import Client

from battlemap.projects import services as s
from tests import personas
from tests.factories import ACTOR, make_county, make_project

from .test_services import advance, to_under_way

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def world():
    w = make_county(population=False)
    w.project = make_project(w.v1, "城西村组道硬化工程")
    to_under_way(w.project, ("county", "297600"))  # under way 2019-03-01
    s.disbursement_add(
        actor=ACTOR, project=w.project, amount="297600", date=D(2019, 5, 1), payee="甲"
    )
    s.report_file(actor=ACTOR, project=w.project, date=D(2019, 6, 14), progress=40, work="六月")
    s.report_file(actor=ACTOR, project=w.project, date=D(2019, 7, 1), progress=60, work="七月")
    step = s.milestone_add(
        actor=ACTOR,
        project=w.project,
        name="施工",
        owner="王工",
        start=D(2019, 3, 1),
        due=D(2019, 8, 1),
    )
    s.milestone_complete(actor=ACTOR, milestone=step, done_on=D(2019, 7, 20))
    advance(w.project, "accepted", D(2019, 10, 7))
    w.client = Client()
    w.client.force_login(personas.county_admin(w.county))
    return w


def test_a_past_years_project_shows_its_own_totals_today(world):
    page = world.client.get(f"/projects/{world.project.pk}/").content.decode()
    assert "297,600.00" in page and "100.00%" in page
    assert "县级" in page  # the by-source table is filled
    answer = world.client.get(f"/api/v1/projects/{world.project.pk}/").json()
    assert [(f["key"], f["allocated"], f["disbursed"]) for f in answer["funds"]] == [
        ("county", "297600.00", "297600.00")
    ]
    assert answer["stage"] == "accepted"


def test_the_page_and_the_api_show_the_stage_and_reports_of_the_date(world):
    base = f"/projects/{world.project.pk}/"
    page = world.client.get(f"{base}?date=2019-06-15").content.decode()
    stage = page.split('id="project-stage">')[1].split("<")[0]
    assert stage == "实施"
    assert "六月" in page and "七月" not in page
    assert "2019-10-07" not in page  # the acceptance record comes later
    answer = world.client.get(f"/api/v1/{base[1:]}?date=2019-06-15").json()
    assert answer["stage"] == "under_way"
    assert [r["work"] for r in answer["reports"]] == ["六月"]
    assert [r["stage"] for r in answer["stage_records"]][-1] == "under_way"
    assert answer["milestones"][0]["done_on"] is None
    earlier = world.client.get(f"/api/v1/{base[1:]}?date=2019-04-30").json()
    assert (earlier["allocated"], earlier["disbursed"]) == ("297600.00", "0.00")
    assert all(float(step["paid"]) == 0 for step in _money(world, "2019-04-30"))


def _money(world, date):
    import json

    page = world.client.get(f"/projects/{world.project.pk}/?date={date}").content.decode()
    data = page.split('id="project-data" type="application/json">')[1].split("</script>")[0]
    return json.loads(data)["money"]
