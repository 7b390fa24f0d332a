"""The daily report is offered only where it can be filed, back-dated at most
BATTLEMAP_REPORT_BACKDATE_DAYS days by a person, and its filing is confirmed."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from battlemap.core.errors import ValidationFailed
from battlemap.projects import services as s
from tests.factories import ACTOR, make_county, make_project

from .test_services import advance, to_under_way

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def world():
    w = make_county(population=False)
    w.owner = get_user_model().objects.create_user("owner", first_name="胡建华")
    w.running = make_project(w.v1, "城西村组道硬化工程", responsible_user=w.owner)
    to_under_way(w.running)  # under way since 2019-03-01, still today
    w.done = make_project(w.v1, "城西村桥梁工程", responsible_user=w.owner)
    to_under_way(w.done)
    advance(w.done, "accepted", D(2019, 10, 7))
    w.client = Client()
    w.client.force_login(w.owner)
    return w


def form(date: dt.date, work="浇筑混凝土") -> dict:
    return {
        "date": date.isoformat(),
        "progress": "40",
        "work": work,
        "amount_paid": "",
        "problems": "",
    }


def test_the_button_only_where_a_report_can_be_filed(world):
    running = world.client.get(f"/projects/{world.running.pk}/").content.decode()
    assert f"/projects/{world.running.pk}/report/" in running
    done = world.client.get(f"/projects/{world.done.pk}/").content.decode()
    assert f"/projects/{world.done.pk}/report/" not in done
    response = world.client.get(f"/projects/{world.done.pk}/report/", follow=True)
    assert "只有实施中的项目填报日报告" in response.content.decode()


def test_filing_is_confirmed_and_back_dating_is_limited(world, today, settings):
    url = f"/projects/{world.running.pk}/report/"
    page = world.client.get(url).content.decode()
    assert f'min="{(today - dt.timedelta(days=7)).isoformat()}"' in page
    response = world.client.post(url, form(today), follow=True)
    assert "日报告已提交" in response.content.decode()
    assert world.running.reports.get().date == today
    too_old = today - dt.timedelta(days=8)
    refused = world.client.post(url, form(too_old)).content.decode()
    assert "最多补报7天" in refused and not world.running.reports.filter(date=too_old).exists()
    world.client.post(url, form(today - dt.timedelta(days=7)))
    assert world.running.reports.count() == 2
    settings.BATTLEMAP_REPORT_BACKDATE_DAYS = 1
    with pytest.raises(ValidationFailed, match="最多补报1天"):
        s.report_file(
            actor=world.owner,
            project=world.running,
            date=today - dt.timedelta(days=2),
            progress=50,
            work="补报",
        )
    # Commands and imports carry history: the limit is for persons.
    s.report_file(actor=ACTOR, project=world.running, date=D(2019, 3, 4), progress=1, work="开工")
