"""The audit trail: written by the services for every actor, never changed, never leaking."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from battlemap.audit.models import AuditRecord
from battlemap.audit.services import SystemActor, audit_record, audit_record_many
from battlemap.regions.services import region_upsert
from battlemap.registry.services import household_event_add, person_update
from tests import personas
from tests.factories import ACTOR, id_number, register

pytestmark = pytest.mark.django_db
D = dt.date


def test_system_actor_is_named(county):
    record = AuditRecord.objects.get(action="region.create", object_id=county.v1.code)
    assert (record.actor_id, record.actor_label) == (None, "test")
    assert record.object_type == "regions.region"
    assert record.region_code == county.v1.code
    assert record.before is None
    assert record.after == {"name": "城西村", "parent": "341824100000", "level": "village"}
    assert record.at is not None and record.at.tzinfo is not None


def test_user_actor_is_linked_and_named(county):
    # Regions are the county's set-up: its administrator's (a superuser holds no region).
    user = personas.county_admin(county.county, "clerk")
    region_upsert(actor=user, code=county.v1.code, name="城西社区", parent_code=county.huayang.code)
    record = AuditRecord.objects.get(action="region.update")
    assert (record.actor, record.actor_label) == (user, "clerk")
    assert record.before == {"name": "城西村", "parent": "341824100000", "level": "village"}
    assert record.after == {"name": "城西社区", "parent": "341824100000", "level": "village"}


def test_no_actor_is_system(db):
    record = audit_record(actor=None, action="x.test", obj="thing")
    assert (record.actor_label, record.object_type, record.object_id) == ("system", "thing", "")


def test_registry_services_audit_without_clear_numbers(county):
    head_id, child_id = id_number(), id_number()
    household = register(
        county.v1,
        "H1",
        D(2015, 10, 1),
        [{"id_number": head_id}, {"id_number": child_id, "relation": "之子"}],
        phone="13812345678",
    )
    child = household.members.get(relation__label="之子")
    new_id, old_name = id_number(), child.name
    person_update(actor=ACTOR, person=child, expected_version=1, id_number=new_id, name="新名")
    household_event_add(actor=ACTOR, household=household, kind="exited", date=D(2019, 1, 1))

    records = AuditRecord.objects.filter(object_type__startswith="registry").order_by("id")
    assert [r.action for r in records] == [
        "household.register",
        "person.add",
        "person.add",
        "person.update",
        "household.event",
    ]
    assert {r.actor_label for r in records} == {"test"}
    assert {r.region_code for r in records} == {county.v1.code}
    register_record = records[0]
    assert register_record.after["number"] == "H1"
    assert register_record.after["main_cause"] == "因病"
    assert register_record.after["phone"] == "138****5678"
    assert register_record.after["events"] == [["2015-10-01", "identified"]]
    update = records[3]
    assert update.object_id == str(child.pk)
    assert update.before["id_number"] == child_id[:4] + "*" * 10 + child_id[-4:]
    assert update.after["id_number"] == new_id[:4] + "*" * 10 + new_id[-4:]
    assert (update.before["name"], update.after["name"]) == (old_name, "新名")
    everything = json.dumps(
        [[r.before, r.after] for r in AuditRecord.objects.all()], ensure_ascii=False
    )
    for secret in (head_id, child_id, new_id, "13812345678"):
        assert secret not in everything


def test_refused_write_leaves_no_audit(county):
    household = register(county.v1, "H1", D(2015, 10, 1), 1)
    before = AuditRecord.objects.count()
    with pytest.raises(Exception):  # noqa: B017 -- any refusal; the point is the count
        household_event_add(actor=ACTOR, household=household, kind="relapsed", date=D(2016, 1, 1))
    assert AuditRecord.objects.count() == before


def test_commands_audit_as_the_command(tmp_path, db):
    wb = Workbook()
    ws = wb.active
    ws.title = "区划"
    ws.append(["代码", "名称", "上级代码"])
    ws.append(["341824000000", "绩溪县", None])
    ws.append(["341824100000", "华阳镇", "341824000000"])
    wb.save(tmp_path / "r.xlsx")
    call_command("import_regions", str(tmp_path / "r.xlsx"), stdout=io.StringIO())
    records = AuditRecord.objects.all()
    assert records.count() == 2
    assert {r.actor_label for r in records} == {"command:import_regions"}
    assert {r.actor_id for r in records} == {None}


def test_audit_record_many(db):
    n = audit_record_many(
        actor=SystemActor("job:screening"),
        action="x.bulk",
        entries=[
            (("registry.household", "1"), "341824100201", None, {"a": 1}),
            (("registry.household", "2"), "", {"a": 1}, None),
        ],
    )
    assert n == 2
    rows = list(
        AuditRecord.objects.order_by("id").values_list(
            "actor_label", "object_type", "object_id", "region_code", "before", "after"
        )
    )
    assert rows == [
        ("job:screening", "registry.household", "1", "341824100201", None, {"a": 1}),
        ("job:screening", "registry.household", "2", "", {"a": 1}, None),
    ]


def test_records_cannot_be_changed_or_deleted(county):
    record = AuditRecord.objects.first()
    original = (record.action, record.after)
    record.action = "forged"
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(PermissionError):
        AuditRecord.objects.filter(pk=record.pk).update(action="forged")
    with pytest.raises(PermissionError):
        AuditRecord.objects.filter(pk=record.pk).delete()
    with pytest.raises(PermissionError):
        AuditRecord.objects.all().delete()
    fresh = AuditRecord.objects.get(pk=record.pk)
    assert (fresh.action, fresh.after) == original
    assert AuditRecord.objects.count() == 7 + 7  # 7 regions + 7 population rows
