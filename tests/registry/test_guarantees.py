"""两不愁三保障 as a dated history: assessed on a date through a service (audited), shown
on the household file and in the API as of the day viewed, 未评估 before any assessment;
the registry's flags migrated into the history."""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from battlemap.audit.models import AuditRecord
from battlemap.core.errors import Forbidden, ValidationFailed
from battlemap.registry.models import GuaranteeAssessment
from battlemap.registry.selectors import guarantees_on
from battlemap.registry.services import guarantees_assess
from tests import personas
from tests.factories import ACTOR, make_county, register

pytestmark = pytest.mark.django_db
D = dt.date
ALL = ("food", "clothing", "education", "medical", "housing", "water")


@pytest.fixture
def world():
    w = make_county(population=False)
    w.household = register(w.v1, "H1", identified_on=D(2014, 10, 1))
    w.admin = personas.county_admin(w.county)
    return w


def assess(household, date, insecure=(), notes=None, actor=ACTOR):
    return guarantees_assess(
        actor=actor,
        household=household,
        date=date,
        assessed={g: g not in insecure for g in ALL},
        notes=notes,
    )


def guarantee_items(html: str) -> dict[str, str]:
    block = html.split('<ul class="guarantees">')[1].split("</ul>")[0]
    items = re.findall(r"<li[^>]*><span>([^<]+)</span><span>(.*?)</span></li>", block, re.S)
    return {label: re.sub(r"<[^>]+>", "", state).strip() for label, state in items}


def test_the_household_file_shows_the_guarantees_as_of_the_date(world):
    assess(
        world.household, D(2016, 6, 1), insecure=("housing", "medical"), notes={"housing": "危房"}
    )
    assess(world.household, D(2018, 3, 1))
    client = Client()
    client.force_login(world.admin)
    url = f"/households/{world.household.pk}/"

    before = guarantee_items(client.get(url, {"date": "2015-12-31"}).content.decode())
    assert len(before) == 6 and set(before.values()) == {"未评估"}
    poor = guarantee_items(client.get(url, {"date": "2016-12-31"}).content.decode())
    assert poor["住房安全有保障"] == "未保障 2016-06-01评估 · 危房"
    assert poor["基本医疗有保障"].startswith("未保障")
    assert poor["不愁吃"] == "已保障 2016-06-01评估" and "不愁穿" in poor
    later = guarantee_items(client.get(url, {"date": "2019-01-01"}).content.decode())
    assert set(later.values()) == {"已保障 2018-03-01评估"}

    data = client.get(f"/api/v1/households/{world.household.pk}/", {"date": "2016-12-31"}).json()
    housing = next(g for g in data["guarantees"] if g["guarantee"] == "housing")
    assert housing == {
        "guarantee": "housing",
        "label": "住房安全有保障",
        "secure": False,
        "date": "2016-06-01",
        "note": "危房",
    }
    early = client.get(f"/api/v1/households/{world.household.pk}/", {"date": "2015-01-01"}).json()
    assert {g["secure"] for g in early["guarantees"]} == {None}


def test_assessing_is_audited_checked_and_keeps_history(world):
    assess(world.household, D(2016, 6, 1), insecure=("water",))
    assess(world.household, D(2016, 6, 1), insecure=())  # the same day corrected
    assess(world.household, D(2017, 6, 1), insecure=("water",), notes={"water": "水源干涸"})
    rows = GuaranteeAssessment.objects.filter(household=world.household, guarantee="water")
    assert [(r.date, r.secure, r.note) for r in rows] == [
        (D(2016, 6, 1), True, ""),
        (D(2017, 6, 1), False, "水源干涸"),
    ]
    assert rows[0].assessor == "test"
    record = AuditRecord.objects.filter(action="household.guarantees").order_by("id").last()
    assert record.region_code == world.v1.code
    assert record.before["guarantees"]["water"] is True
    assert record.after["guarantees"]["water"] is False
    assert guarantees_on(world.household, D(2016, 12, 31))["water"].secure is True

    outsider = personas.cadre(world.v3, username="v3")
    with pytest.raises(Forbidden):
        assess(world.household, D(2018, 1, 1), actor=outsider)
    with pytest.raises(ValidationFailed):
        assess(world.household, timezone.localdate() + dt.timedelta(days=2))
    with pytest.raises(ValidationFailed):
        guarantees_assess(
            actor=ACTOR, household=world.household, date=D(2018, 1, 1), assessed={"tv": True}
        )


def test_the_registry_flags_become_the_first_assessment(world):
    migration = importlib.import_module("battlemap.registry.migrations.0010_guarantee_history")
    world.household.housing_secure = False
    world.household.food_clothing_secure = False
    world.household.save()
    GuaranteeAssessment.objects.all().delete()
    migration.forward(apps, None)
    rows = {r.guarantee: r for r in GuaranteeAssessment.objects.filter(household=world.household)}
    assert set(rows) == set(ALL)
    assert [g for g in ALL if not rows[g].secure] == ["food", "clothing", "housing"]
    # Dated by the record's last write (here: its registration, today), not identification.
    registered = AuditRecord.objects.get(
        action="household.register", object_id=str(world.household.pk)
    )
    assert {r.date for r in rows.values()} == {timezone.localdate(registered.at)}
