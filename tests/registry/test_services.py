"""Registry writes: registration, one person one file, validation, optimistic locking."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from battlemap.audit.models import AuditRecord
from battlemap.core import crypto
from battlemap.core.errors import Conflict, StaleWrite, ValidationFailed
from battlemap.regions.services import region_upsert
from battlemap.registry.models import Household, HouseholdEvent, IncomeRecord, Person
from battlemap.registry.services import (
    household_update,
    income_record_set,
    person_add,
    person_leave,
    person_update,
)
from tests.factories import ACTOR, id_number, member, register

pytestmark = pytest.mark.django_db
D = dt.date


def counts():
    return (
        Household.objects.count(),
        Person.objects.count(),
        HouseholdEvent.objects.count(),
        AuditRecord.objects.count(),
    )


# --- registration -------------------------------------------------------------------------------


def test_register_writes_household_members_and_first_event(county):
    head_id = id_number(birth=D(1962, 3, 4), male=True)
    wife_id = id_number(birth=D(1965, 7, 8), male=False)
    household = register(
        county.v1,
        "3418241002010001",
        D(2015, 10, 1),
        [{"name": "胡大", "id_number": head_id}, {"name": "汪氏", "id_number": wife_id}],
        phone="138 1234-5678",
        other_cause_1="缺技术",
        household_type="一般贫困户",
    )
    household.refresh_from_db()
    assert household.county_code == "341824"
    assert household.village == county.v1
    assert household.main_cause.label == "因病"
    assert household.other_cause_1.label == "缺技术"
    assert household.household_type.label == "一般贫困户"
    assert household.phone == "13812345678"
    assert household.phone_masked == "138****5678"
    assert household.version == 1
    assert list(household.events.values_list("kind", "date")) == [("identified", D(2015, 10, 1))]
    head, wife = household.members.order_by("id")
    assert (head.name, head.relation.label, head.sex, head.birth_date) == (
        "胡大",
        "户主",
        "M",
        D(1962, 3, 4),
    )
    assert (wife.relation.label, wife.sex, wife.birth_date) == ("配偶", "F", D(1965, 7, 8))
    assert head.id_number == head_id
    assert head.id_index == crypto.blind_index(head_id)
    assert head.id_number_masked == head_id[:4] + "*" * 10 + head_id[-4:]
    actions = list(
        AuditRecord.objects.filter(object_type__startswith="registry").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["household.register", "person.add", "person.add"]


def test_register_accepts_village_code_and_normalises_id(county):
    number = id_number(birth=D(1970, 1, 1)).replace("X", "x")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    household = register(county.v1.code, "H1", D(2015, 10, 1), [{"id_number": full_width}])
    assert household.members.get().id_number == number.upper()


def test_register_newly_identified(county):
    household = register(county.v1, "H1", D(2020, 3, 1), 1, kind="newly_identified")
    assert list(household.events.values_list("kind", flat=True)) == ["newly_identified"]


@pytest.mark.parametrize(
    "kwargs, error, reason",
    [
        ({"village": "341824100000"}, ValidationFailed, "不是村级"),
        ({"village": "341824199999"}, ValidationFailed, "不存在"),
        ({"number": "  "}, ValidationFailed, "户编号"),
        ({"identified_on": D(2099, 1, 1)}, ValidationFailed, "未来"),
        ({"kind": "exited"}, ValidationFailed, "识别"),
        ({"main_cause": "太穷"}, ValidationFailed, "因病"),
        ({"main_cause": ""}, ValidationFailed, "必填"),
        ({"other_cause_1": "因病"}, ValidationFailed, "其他致贫原因"),
        ({"phone": "138-abc"}, ValidationFailed, "电话"),
        ({"members": [{}, {"relation": "户主"}]}, ValidationFailed, "2名"),
        ({"members": [{"relation": "配偶"}]}, ValidationFailed, "0名"),
        ({"members": [{}, {"id_number": "341824198001011235"}]}, ValidationFailed, "校验位"),
        ({"members": [{}, {"health": "不好"}]}, ValidationFailed, "健康"),
        ({"members": [{}, {"name": " "}]}, ValidationFailed, "姓名"),
        (
            {
                "members": [
                    {},
                    {"id_number": id_number(birth=D(2000, 1, 1)), "joined_on": D(1999, 1, 1)},
                ]
            },
            ValidationFailed,
            "出生日期",
        ),
        (
            {"members": [{}, {"joined_on": D(2010, 1, 1), "left_on": D(2009, 1, 1)}]},
            ValidationFailed,
            "早于加入",
        ),
        ({"members": [{}, {"joined_on": D(2099, 1, 1)}]}, ValidationFailed, "未来"),
    ],
)
def test_register_refuses_and_writes_nothing(county, kwargs, error, reason):
    register(county.v2, "EXISTING", D(2015, 10, 1), 1)
    before = counts()
    args = {"village": county.v1, "number": "H1", "identified_on": D(2015, 10, 1), **kwargs}
    members = args.pop("members", 2)
    with pytest.raises(error, match=reason):
        register(members=members, **args)
    assert counts() == before


def test_household_number_is_unique_within_the_county_only(county):
    register(county.v1, "0001", D(2015, 10, 1), 1)
    before = counts()
    with pytest.raises(Conflict, match="0001"):
        register(county.v3, "0001", D(2015, 10, 1), 1)
    assert counts() == before
    region_upsert(actor=ACTOR, code="341825000000", name="旌德县")
    region_upsert(actor=ACTOR, code="341825100000", name="旌阳镇", parent_code="341825000000")
    other, _ = region_upsert(
        actor=ACTOR, code="341825100201", name="某村", parent_code="341825100000"
    )
    assert register(other, "0001", D(2015, 10, 1), 1).county_code == "341825"


# --- one person, one file -----------------------------------------------------------------------


def test_same_id_in_another_household_is_refused_naming_it(county):
    taken = id_number()
    register(county.v1, "3418241002010007", D(2015, 10, 1), [{"id_number": taken}])
    before = counts()
    with pytest.raises(Conflict) as exc:
        register(county.v3, "3418241012010001", D(2016, 1, 1), [{}, {"id_number": taken}])
    assert "3418241002010007" in str(exc.value)
    assert "城西村" in str(exc.value)
    assert taken not in str(exc.value)  # the message shows the number masked
    assert crypto.mask_id_number(taken) in str(exc.value)
    assert exc.value.field == "id_number"
    assert counts() == before
    assert not Household.objects.filter(number="3418241012010001").exists()


def test_same_id_twice_in_one_registration_is_refused(county):
    twice = id_number()
    with pytest.raises(Conflict):
        register(county.v1, "H1", D(2015, 10, 1), [{"id_number": twice}, {"id_number": twice}])
    assert counts() == (0, 0, 0, AuditRecord.objects.count())
    assert not Household.objects.exists()


def test_same_id_typed_differently_is_still_the_same_person(county):
    number = make_x_id()
    register(county.v1, "H1", D(2015, 10, 1), [{"id_number": number}])
    with pytest.raises(Conflict):
        register(county.v2, "H2", D(2015, 10, 1), [{"id_number": " " + number.lower()}])


def make_x_id():
    for n in range(400, 500):
        candidate = id_number(n)
        if candidate.endswith("X"):
            return candidate
    raise AssertionError("no ID ending in X in range")


def test_person_add_refuses_an_id_on_file(county):
    first = register(county.v1, "H1", D(2015, 10, 1), 2)
    second = register(county.v2, "H2", D(2015, 10, 1), 1)
    taken = first.members.first().id_number
    before = counts()
    with pytest.raises(Conflict, match="H1"):
        person_add(actor=ACTOR, household=second, **member("之子", id_number=taken))
    assert counts() == before


def test_person_update_refuses_an_id_on_file_but_keeps_its_own(county):
    a, b = register(county.v1, "H1", D(2015, 10, 1), 2).members.order_by("id")
    with pytest.raises(Conflict, match="H1"):
        person_update(actor=ACTOR, person=b, expected_version=b.version, id_number=a.id_number)
    b.refresh_from_db()
    assert b.id_index != a.id_index
    person_update(
        actor=ACTOR, person=b, expected_version=b.version, id_number=b.id_number, name="改名"
    )
    assert Person.objects.get(pk=b.pk).name == "改名"


# --- heads of household -------------------------------------------------------------------------


def test_second_head_is_refused_until_the_first_left(county):
    household = register(county.v1, "H1", D(2015, 10, 1), 2)
    with pytest.raises(ValidationFailed, match="已有户主"):
        person_add(actor=ACTOR, household=household, **member("户主"))
    head = household.members.get(relation__label="户主")
    person_leave(actor=ACTOR, person=head, left_on=D(2018, 3, 1), reason="死亡")
    new_head = person_add(actor=ACTOR, household=household, **member("户主"))
    assert new_head.relation.label == "户主"


def test_person_update_cannot_make_a_second_head(county):
    household = register(county.v1, "H1", D(2015, 10, 1), 2)
    spouse = household.members.get(relation__label="配偶")
    with pytest.raises(ValidationFailed, match="户主"):
        person_update(actor=ACTOR, person=spouse, expected_version=spouse.version, relation="户主")
    assert household.members.filter(relation__label="户主").count() == 1


def test_head_can_change_by_demoting_then_promoting(county):
    household = register(county.v1, "H1", D(2015, 10, 1), 2)
    head = household.members.get(relation__label="户主")
    spouse = household.members.get(relation__label="配偶")
    person_update(actor=ACTOR, person=head, expected_version=head.version, relation="配偶")
    person_update(actor=ACTOR, person=spouse, expected_version=spouse.version, relation="户主")
    assert household.members.get(relation__label="户主").pk == spouse.pk


# --- updates and optimistic locking -------------------------------------------------------------


def test_person_update_bumps_version_and_audits_masked(county):
    person = register(county.v1, "H1", D(2015, 10, 1), 1).members.get()
    updated = person_update(
        actor=ACTOR, person=person, expected_version=1, name="胡新", health="长期慢性病"
    )
    assert (updated.version, updated.name, updated.health.label) == (2, "胡新", "长期慢性病")
    record = AuditRecord.objects.get(action="person.update")
    assert record.before["name"] != "胡新" and record.after["name"] == "胡新"
    assert record.after["health"] == "长期慢性病"
    assert record.before["id_number"] == person.id_number_masked
    assert person.id_number not in json.dumps([record.before, record.after])


def test_person_update_with_stale_version_changes_nothing(county):
    person = register(county.v1, "H1", D(2015, 10, 1), 1).members.get()
    other_clerk = Person.objects.get(pk=person.pk)
    person_update(actor=ACTOR, person=other_clerk, expected_version=1, name="先改")
    audits = AuditRecord.objects.count()
    with pytest.raises(StaleWrite):
        person_update(
            actor=ACTOR, person=person, expected_version=1, name="后改", id_number=id_number()
        )
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.name, fresh.version, fresh.id_index) == ("先改", 2, other_clerk.id_index)
    assert AuditRecord.objects.count() == audits


def test_household_update_with_stale_version_changes_nothing(county):
    household = register(county.v1, "H1", D(2015, 10, 1), 1, phone="13812345678")
    other_clerk = Household.objects.get(pk=household.pk)
    household_update(actor=ACTOR, household=other_clerk, expected_version=1, note="先改")
    audits = AuditRecord.objects.count()
    with pytest.raises(StaleWrite):
        household_update(
            actor=ACTOR,
            household=household,
            expected_version=1,
            note="后改",
            phone="13900000000",
            main_cause="因学",
        )
    fresh = Household.objects.get(pk=household.pk)
    assert (fresh.note, fresh.version, fresh.phone, fresh.main_cause.label) == (
        "先改",
        2,
        "13812345678",
        "因病",
    )
    assert AuditRecord.objects.count() == audits


def test_household_update_changes_and_audits(county):
    household = register(county.v1, "H1", D(2015, 10, 1), 1, phone="13812345678")
    household_update(
        actor=ACTOR,
        household=household,
        expected_version=1,
        phone="13900001111",
        housing_secure=False,
        other_cause_1="因学",
    )
    fresh = Household.objects.get(pk=household.pk)
    assert (fresh.version, fresh.phone, fresh.housing_secure, fresh.other_cause_1.label) == (
        2,
        "13900001111",
        False,
        "因学",
    )
    record = AuditRecord.objects.get(action="household.update")
    assert record.before["phone"] == "138****5678" and record.after["phone"] == "139****1111"
    assert record.before["housing_secure"] is True and record.after["housing_secure"] is False


def test_household_update_refusing_a_cause_rolls_back(county):
    household = register(county.v1, "H1", D(2015, 10, 1), 1)
    audits = AuditRecord.objects.count()
    with pytest.raises(ValidationFailed, match="其他致贫原因"):
        household_update(
            actor=ACTOR,
            household=household,
            expected_version=1,
            other_cause_1="因病",
            note="不应保存",
        )
    fresh = Household.objects.get(pk=household.pk)
    assert (fresh.version, fresh.other_cause_1_id, fresh.note) == (1, None, "")
    assert AuditRecord.objects.count() == audits


def test_person_leave(county):
    person = register(county.v1, "H1", D(2015, 10, 1), 2).members.get(relation__label="配偶")
    person_leave(actor=ACTOR, person=person, left_on=D(2019, 6, 30), reason="死亡")
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.left_on, fresh.leave_reason.label, fresh.version) == (D(2019, 6, 30), "死亡", 2)
    with pytest.raises(ValidationFailed, match="减少原因|不在代码表"):
        person_leave(actor=ACTOR, person=fresh, left_on=D(2019, 7, 1), reason="失踪")


def test_income_record_set(county):
    household = register(county.v1, "H1", D(2015, 10, 1), 1)
    record = income_record_set(
        actor=ACTOR, household=household, year=2019, wages=8000, transfers=1200, costs=500
    )
    assert record.net_income == 8700
    income_record_set(actor=ACTOR, household=household, year=2019, wages=9000)
    assert IncomeRecord.objects.get(household=household, year=2019).wages == 9000
    audit = AuditRecord.objects.filter(action="income.set").first()
    assert Decimal(audit.before["wages"]) == 8000 and Decimal(audit.after["wages"]) == 9000
    with pytest.raises(ValidationFailed, match="负数"):
        income_record_set(actor=ACTOR, household=household, year=2019, wages=-1)
    with pytest.raises(ValidationFailed, match="未知"):
        income_record_set(actor=ACTOR, household=household, year=2019, bonus=1)
    with pytest.raises(ValidationFailed, match="年度"):
        income_record_set(actor=ACTOR, household=household, year=1999, wages=1)
