"""The registry's bulk path: all rules checked set-based, all-or-nothing."""

import datetime as dt

import pytest

from battlemap.audit.models import AuditRecord
from battlemap.core import crypto
from battlemap.regions.services import region_upsert
from battlemap.registry.bulk import BulkRejected
from battlemap.registry.codebook import CodeBook
from battlemap.registry.models import Household, HouseholdEvent, Person
from battlemap.registry.services import HouseholdRow, PersonRow, registry_bulk_register
from tests.factories import ACTOR, id_number, register

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def book(county):
    return CodeBook()


IDENTIFIED = ((dt.date(2015, 10, 1), "identified"),)


def hh(book, village, number, events=IDENTIFIED, phone=""):
    return HouseholdRow(
        village.code if hasattr(village, "code") else village,
        number,
        book.id("poverty_cause", "因病"),
        book.id("poverty_cause", "缺技术"),
        None,
        None,
        None,
        (True, True, True, False, True),
        phone,
        tuple(events),
    )


def person(book, number, relation="户主", id_no=None, *, joined_on=None, left_on=None):
    return PersonRow(
        number,
        book.id("relation", relation),
        f"{number}-{relation}",
        id_no or id_number(),
        book.id("health", "健康"),
        book.id("labour", "普通劳动力"),
        book.id("ethnicity", "汉族"),
        None,
        None,
        None,
        (True, False, True),
        joined_on,
        None,
        left_on,
        None,
    )


def counts():
    return (
        Household.objects.count(),
        Person.objects.count(),
        HouseholdEvent.objects.count(),
        AuditRecord.objects.count(),
    )


def test_bulk_register_writes_everything(county, book):
    wife_id = id_number(birth=D(1966, 2, 3), male=False)
    households = [
        hh(
            book,
            county.v1,
            "B1",
            [(D(2015, 10, 1), "identified"), (D(2018, 12, 1), "exited")],
            phone="13812345678",
        ),
        hh(book, county.v3, "B2"),
    ]
    persons = [
        person(book, "B1"),
        person(book, "B1", "配偶", wife_id, left_on=D(2019, 6, 30)),
        person(book, "B2"),
    ]
    result = registry_bulk_register(actor=ACTOR, households=households, persons=iter(persons))
    assert tuple(result) == (2, 3, 3)
    b1 = Household.objects.get(number="B1")
    assert (b1.village_id, b1.county_code, b1.version) == (county.v1.code, "341824", 1)
    assert (b1.main_cause.label, b1.other_cause_1.label, b1.housing_secure) == (
        "因病",
        "缺技术",
        False,
    )
    assert b1.phone == "13812345678"
    assert list(b1.events.values_list("date", "kind")) == [
        (D(2015, 10, 1), "identified"),
        (D(2018, 12, 1), "exited"),
    ]
    wife = Person.objects.get(id_index=crypto.blind_index(wife_id))
    assert (wife.household, wife.sex, wife.birth_date, wife.left_on) == (
        b1,
        "F",
        D(1966, 2, 3),
        D(2019, 6, 30),
    )
    assert wife.id_number == wife_id
    assert wife.ethnicity.label == "汉族"
    # The bulk rows answer the same date queries as rows written one by one.
    assert list(Household.objects.poor_on(D(2018, 12, 1)).values_list("number", flat=True)) == [
        "B2"
    ]
    assert Person.objects.present_on(D(2019, 6, 30)).filter(household=b1).count() == 1
    record = AuditRecord.objects.get(action="registry.bulk_register")
    assert (record.actor_label, record.action, record.region_code) == (
        "test",
        "registry.bulk_register",
        "341824",
    )
    assert record.after == {"households": 2, "persons": 3}


def refused(households, persons):
    before = counts()
    with pytest.raises(BulkRejected) as exc:
        registry_bulk_register(actor=ACTOR, households=households, persons=persons)
    assert counts() == before
    return exc.value.problems


def test_duplicate_id_within_the_batch_is_refused(county, book):
    twice = id_number()
    problems = refused(
        [hh(book, county.v1, "B1"), hh(book, county.v2, "B2")],
        [
            person(book, "B1", id_no=twice),
            person(book, "B2"),
            person(book, "B2", "之子", twice.lower()),
        ],
    )
    assert [(p.kind, p.index, p.field) for p in problems] == [
        ("person", 0, "id_number"),
        ("person", 2, "id_number"),
    ]
    assert all("文件中重复" in p.reason for p in problems)
    assert problems[0].value == crypto.mask_id_number(twice)


def test_id_already_in_the_registry_is_refused(county, book):
    existing = register(county.v4, "R1", D(2015, 10, 1), 1).members.get().id_number
    problems = refused(
        [hh(book, county.v1, "B1")], [person(book, "B1"), person(book, "B1", "之子", existing)]
    )
    assert [(p.kind, p.index, p.field) for p in problems] == [("person", 1, "id_number")]
    assert "登记册" in problems[0].reason
    assert existing not in str(problems)


def test_household_numbers_unique_in_batch_and_county(county, book):
    register(county.v4, "R1", D(2015, 10, 1), 1)
    problems = refused(
        [hh(book, county.v1, "B1"), hh(book, county.v2, "B1"), hh(book, county.v3, "R1")],
        [person(book, "B1"), person(book, "R1")],
    )
    assert sorted((p.index, p.reason) for p in problems if p.field == "number") == [
        (0, "户编号在文件中重复。"),
        (1, "户编号在文件中重复。"),
        (2, "户编号在本县已存在。"),
    ]


@pytest.mark.parametrize(
    "events",
    [
        [(D(2015, 10, 1), "exited")],
        [(D(2015, 10, 1), "identified"), (D(2016, 1, 1), "relapsed")],
        [(D(2015, 10, 1), "identified"), (D(2016, 1, 1), "exited"), (D(2017, 1, 1), "exited")],
        [(D(2015, 10, 1), "identified"), (D(2015, 10, 1), "exited")],
        [(D(2015, 10, 1), "identified"), (D(2016, 1, 1), "removed"), (D(2017, 1, 1), "identified")],
    ],
)
def test_broken_event_sequence_is_refused(county, book, events):
    problems = refused([hh(book, county.v1, "B1", events)], [person(book, "B1")])
    assert [(p.kind, p.index, p.field) for p in problems] == [("household", 0, "events")]


def test_every_problem_is_listed(county, book):
    problems = refused(
        [
            hh(book, county.huayang, "B1"),  # a township
            hh(book, "341824109999", "B2"),  # no such village
            hh(book, county.v1, "B3"),  # no head
            hh(book, county.v2, "B4"),  # two heads
        ],
        [
            person(book, "B1"),
            person(book, "B2"),
            person(book, "B3", "配偶"),
            person(book, "B4"),
            person(book, "B4"),
            person(book, "B9"),  # no such household in the batch
            person(book, "B1", "之子", "341824198001011235"),  # bad checksum
        ],
    )
    keys = {(p.kind, p.index, p.field) for p in problems}
    assert keys == {
        ("household", 0, "village"),
        ("household", 1, "village"),
        ("household", 2, "relation"),
        ("household", 3, "relation"),
        ("person", 5, "household"),
        ("person", 6, "id_number"),
    }
    bad_id = next(p for p in problems if p.field == "id_number")
    assert "校验位" in bad_id.reason and bad_id.value == "3418**********1235"


def test_rejection_message_summarises(county, book):
    with pytest.raises(BulkRejected) as exc:
        registry_bulk_register(
            actor=ACTOR,
            households=[hh(book, county.v1, "B1")],
            persons=[person(book, "B1", "配偶")],
        )
    assert "1条记录有错误" in str(exc.value) and "未写入任何数据" in str(exc.value)


def test_same_number_in_another_county_is_not_a_clash(county, book):
    region_upsert(actor=ACTOR, code="341825000000", name="旌德县")
    region_upsert(actor=ACTOR, code="341825100000", name="旌阳镇", parent_code="341825000000")
    other, _ = region_upsert(
        actor=ACTOR, code="341825100201", name="某村", parent_code="341825100000"
    )
    existing = register(other, "N1", D(2015, 10, 1), 1)
    registry_bulk_register(
        actor=ACTOR,
        households=[hh(book, county.v1, "N1"), hh(book, other, "N2")],
        persons=[person(book, "N1"), person(book, "N2")],
    )
    new = Household.objects.get(county_code="341824", number="N1")
    assert new.members.count() == 1 and new.events.count() == 1
    assert existing.members.count() == 1 and existing.events.count() == 1


def test_clash_found_by_the_unique_index_is_named_like_any_problem(county, book):
    """The batch alone is clean: the unique indexes refuse the write, and the refusal
    still names each record already on file, with nothing written."""
    existing = register(county.v4, "R1", D(2015, 10, 1), 1)
    on_file = existing.members.get().id_number
    problems = refused(
        [hh(book, county.v1, "B1"), hh(book, county.v3, "R1")],
        [person(book, "B1"), person(book, "R1"), person(book, "B1", "之子", on_file)],
    )
    assert [(p.kind, p.index, p.field, p.reason) for p in problems] == [
        ("household", 1, "number", "户编号在本县已存在。"),
        ("person", 2, "id_number", "证件号码已在登记册中：一人只能有一个档案。"),
    ]


def test_income_bulk_set_writes_and_refuses_the_first_bad_row(county, book):
    from decimal import Decimal

    from battlemap.core.errors import ValidationFailed
    from battlemap.registry.models import IncomeRecord
    from battlemap.registry.services import income_bulk_set

    registry_bulk_register(
        actor=ACTOR,
        households=[hh(book, county.v1, "B1"), hh(book, county.v2, "B2")],
        persons=[person(book, "B1"), person(book, "B2")],
    )
    amounts = (Decimal("5200.00"), Decimal("3100.50"), Decimal("0"), Decimal("800"), Decimal("600"))
    assert income_bulk_set(actor=ACTOR, county_code="341824", rows=[]) == 0
    rows = [("B1", 2016, *amounts), ("B2", 2016, *amounts), ("B1", 2017, *amounts)]
    assert income_bulk_set(actor=ACTOR, county_code="341824", rows=rows) == 3
    b1 = IncomeRecord.objects.filter(household__number="B1").order_by("year")
    assert [(r.year, r.wages, r.net_income) for r in b1] == [
        (2016, Decimal("5200.00"), Decimal("8500.50")),
        (2017, Decimal("5200.00"), Decimal("8500.50")),
    ]
    negative = (*amounts[:4], Decimal("-1"))
    for bad, message in [
        ([("B2", 2018, *amounts), ("B9", 2018, *amounts), ("B1", 1999, *amounts)], "B9不存在"),
        ([("B2", 2018, *negative), ("B1", 1999, *amounts)], "负数"),
        ([("B2", 2018, *amounts), ("B1", 1999, *negative)], "1999"),
        # Nothing else wrong: the table's check refuses it, and the row is named.
        ([("B2", 2018, *amounts), ("B1", 2018, *negative)], "负数"),
    ]:
        with pytest.raises(ValidationFailed, match=message):
            income_bulk_set(actor=ACTOR, county_code="341824", rows=bad)
    # The declared figure (imports) is no source the table's check covers: checked here.
    with pytest.raises(ValidationFailed, match="负数"):
        income_bulk_set(
            actor=ACTOR,
            county_code="341824",
            rows=[("B2", 2018, Decimal("1200")), ("B1", 2018, Decimal("-5"))],
            fields=("declared_net_per_person",),
        )
    assert IncomeRecord.objects.count() == 3
