"""bulk_insert: the raw set-based path (COPY on PostgreSQL, executemany on SQLite)."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from battlemap.core import crypto
from battlemap.core.bulk import (
    bulk_insert,
    foreign_keys_checked_once,
    indexes_built_after,
    reserve_ids,
    sqlite_page_cache,
)
from battlemap.regions.models import RegionPopulation
from battlemap.registry.models import Code, Household, HouseholdEvent, IncomeRecord, Person
from tests.factories import id_number, register

pytestmark = pytest.mark.django_db


def test_insert_with_date_columns_reads_back_as_dates(county):
    household = register(county.v1, "H1", dt.date(2015, 10, 1), 1)
    rows = [
        (household.pk, "exited", dt.date(2018, 12, 1), ""),
        (household.pk, "relapsed", dt.date(2020, 5, 1), "因病返贫"),
    ]
    assert bulk_insert(HouseholdEvent, ("household", "kind", "date", "note"), rows) == 2
    events = list(household.events.order_by("date").values_list("kind", "date", "note"))
    assert events == [
        ("identified", dt.date(2015, 10, 1), ""),
        ("exited", dt.date(2018, 12, 1), ""),
        ("relapsed", dt.date(2020, 5, 1), "因病返贫"),
    ]
    # Date comparisons in SQL work on what bulk_insert wrote.
    assert household.events.filter(date__gte=dt.date(2018, 12, 1)).count() == 2
    assert household.events.filter(date__lt=dt.date(2016, 1, 1)).count() == 1


def test_insert_nullable_dates_bytes_and_booleans(county):
    household = register(county.v1, "H1", dt.date(2015, 10, 1), 1)
    code = dict(
        Code.objects.filter(table__in=["relation", "health", "labour"]).values_list("label", "id")
    )
    number = id_number(birth=dt.date(2005, 1, 1), male=False)
    fields = (
        "household",
        "relation",
        "name",
        "id_cipher",
        "id_index",
        "sex",
        "birth_date",
        "health",
        "labour",
        "medical_insured",
        "pension_insured",
        "critical_illness_insured",
        "joined_on",
        "left_on",
        "version",
    )
    row = (
        household.pk,
        code["之女"],
        "小红",
        crypto.encrypt(number),
        crypto.blind_index(number),
        "F",
        dt.date(2005, 1, 1),
        code["健康"],
        code["普通劳动力"],
        True,
        False,
        True,
        dt.date(2005, 1, 1),
        None,
        1,
    )
    assert bulk_insert(Person, fields, [row]) == 1
    person = Person.objects.get(id_index=crypto.blind_index(number))
    assert person.id_number == number
    assert person.birth_date == dt.date(2005, 1, 1)
    assert person.joined_on == dt.date(2005, 1, 1)
    assert person.left_on is None
    assert (person.medical_insured, person.pension_insured) == (True, False)
    assert Person.objects.present_on(dt.date(2005, 1, 1)).filter(pk=person.pk).exists()
    assert not Person.objects.present_on(dt.date(2004, 12, 31)).filter(pk=person.pk).exists()


def test_insert_empty_and_generator(county):
    assert bulk_insert(RegionPopulation, ("region", "year", "registered", "rural"), []) == 0
    rows = ((v.code, 2021, 100, 90) for v in county.villages)
    assert bulk_insert(RegionPopulation, ("region", "year", "registered", "rural"), rows) == 4
    assert RegionPopulation.objects.filter(year=2021).count() == 4


def test_insert_more_than_one_batch(county):
    household = register(county.v1, "H1", dt.date(1980, 1, 1), 1)
    start = dt.date(1980, 1, 2)
    n = 10_050  # past the 10 000-row batch on SQLite
    rows = ((household.pk, "exited", start + dt.timedelta(days=i), "") for i in range(n))
    assert bulk_insert(HouseholdEvent, ("household", "kind", "date", "note"), rows) == n
    assert household.events.count() == n + 1
    assert household.events.order_by("-date").first().date == start + dt.timedelta(days=n - 1)


def test_reserved_ids_are_new_and_usable(county):
    household = register(county.v1, "H1", dt.date(2015, 10, 1), 1)
    with transaction.atomic():
        ids = reserve_ids(HouseholdEvent, 3)
        assert len(set(ids)) == 3 and min(ids) > household.events.get().pk
        rows = [
            (pk, household.pk, "exited", dt.date(2016 + i, 1, 1), "") for i, pk in enumerate(ids)
        ]
        bulk_insert(HouseholdEvent, ("id", "household", "kind", "date", "note"), rows)
    assert set(household.events.values_list("pk", flat=True)) >= set(ids)
    # The ORM goes on after the reserved keys.
    later = HouseholdEvent.objects.create(
        household=household, kind="relapsed", date=dt.date(2020, 1, 1)
    )
    assert later.pk > max(ids)
    assert reserve_ids(HouseholdEvent, 0) == []


def test_duplicate_key_raises_django_integrity_error(county):
    register(county.v1, "H1", dt.date(2015, 10, 1), 1)
    person = Person.objects.get()
    fields = ("household", "relation", "name", "id_cipher", "id_index", "sex", "birth_date")
    fields += ("health", "labour", "version")
    row = (person.household_id, person.relation_id, "重复", b"x", person.id_index, "M")
    row += (dt.date(1980, 1, 1), person.health_id, person.labour_id, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert(Person, fields, [row])


def _foreign_keys():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = 'registry_householdevent'::regclass"
        )
        return sorted(cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL drops and re-adds keys")
def test_foreign_keys_checked_once_restores_the_keys_and_refuses_orphans(county):
    household = register(county.v1, "H1", dt.date(2015, 10, 1), 1)
    before = _foreign_keys()
    with transaction.atomic(), foreign_keys_checked_once(HouseholdEvent):
        bulk_insert(
            HouseholdEvent,
            ("household", "kind", "date", "note"),
            [(household.pk, "exited", dt.date(2016, 1, 1), "")],
        )
    assert _foreign_keys() == before and household.events.count() == 2
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        foreign_keys_checked_once(HouseholdEvent),
    ):
        bulk_insert(
            HouseholdEvent,
            ("household", "kind", "date", "note"),
            [(10**9, "exited", dt.date(2016, 1, 1), "")],
        )
    assert _foreign_keys() == before and household.events.count() == 2


def _sqlite_keys_on():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        return bool(cursor.fetchone()[0])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite switches its checks off")
@pytest.mark.django_db(transaction=True)
def test_sqlite_checks_keys_once_outside_a_transaction(code_tables):
    from tests.factories import make_county

    county = make_county()
    household = register(county.v1, "H1", dt.date(2015, 10, 1), 1)
    event = ("household", "kind", "date", "note")
    with foreign_keys_checked_once(HouseholdEvent):
        assert connection.in_atomic_block and not _sqlite_keys_on()
        bulk_insert(HouseholdEvent, event, [(household.pk, "exited", dt.date(2016, 1, 1), "")])
    assert _sqlite_keys_on() and household.events.count() == 2
    with pytest.raises(IntegrityError, match="registry_householdevent"):
        with foreign_keys_checked_once(HouseholdEvent):
            # Unchecked while written; refused, with every row of the block, at the end.
            bulk_insert(
                HouseholdEvent, event, [(household.pk, "relapsed", dt.date(2017, 1, 1), "")]
            )
            bulk_insert(HouseholdEvent, event, [(10**9, "exited", dt.date(2016, 1, 1), "")])
    assert _sqlite_keys_on() and household.events.count() == 2
    with transaction.atomic(), foreign_keys_checked_once(HouseholdEvent):
        assert _sqlite_keys_on()  # inside the caller's transaction: row by row


def _indexes(table):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s",
                [table],
            )
        else:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table]
            )
        return sorted(cursor.fetchall())


def test_indexes_built_after_restores_them_and_refuses_duplicates(county):
    household = register(county.v1, "H1", dt.date(2015, 10, 1), 1)
    fields = ("household", "year", "wages", "production", "property_income", "transfers")
    fields += ("costs",)
    incomes, events = _indexes("registry_incomerecord"), _indexes("registry_householdevent")
    assert any("income_household_year" in name for name, _ in incomes)
    with transaction.atomic(), indexes_built_after(IncomeRecord, HouseholdEvent):
        # Empty: its unique index and (PostgreSQL; no foreign key points at it) its primary
        # key are gone during the block. Not empty: kept.
        assert _indexes("registry_incomerecord") == []
        assert _indexes("registry_householdevent") == events
        bulk_insert(IncomeRecord, fields, [(household.pk, 2016, 1, 2, 3, 4, 5)])
    assert _indexes("registry_incomerecord") == incomes
    assert IncomeRecord.objects.count() == 1
    IncomeRecord.objects.all().delete()
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        indexes_built_after(IncomeRecord),
    ):
        bulk_insert(IncomeRecord, fields, [(household.pk, 2016, 1, 2, 3, 4, 5)] * 2)
    assert _indexes("registry_incomerecord") == incomes
    assert IncomeRecord.objects.count() == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page cache")
def test_sqlite_page_cache_is_raised_for_the_write_only(county):
    def cache_size():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    before = cache_size()
    rows = ((v.code, 2021, 100, 90) for v in county.villages)
    assert bulk_insert(RegionPopulation, ("region", "year", "registered", "rural"), rows) == 4
    assert cache_size() == before
    # A first load holds a larger one throughout; the inserts inside leave it as it is.
    with sqlite_page_cache(512 * 1024):
        assert cache_size() == -512 * 1024
        rows = ((v.code, 2022, 100, 90) for v in county.villages)
        bulk_insert(RegionPopulation, ("region", "year", "registered", "rural"), rows)
        assert cache_size() == -512 * 1024
    assert cache_size() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL drops and rebuilds")
def test_primary_keys_are_rebuilt_unless_a_foreign_key_points_at_them(county):
    household = register(county.v1, "H1", dt.date(2015, 10, 1), 1)
    fields = ("id", "household", "year", "wages", "production", "property_income")
    fields += ("transfers", "costs")
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        indexes_built_after(IncomeRecord),
    ):
        bulk_insert(
            IncomeRecord, fields, [(7, household.pk, y, 1, 2, 3, 4, 5) for y in (2016, 2017)]
        )
    assert IncomeRecord.objects.count() == 0
    HouseholdEvent.objects.all().delete()
    Person.objects.all().delete()
    household.delete()
    households = _indexes("registry_household")
    with transaction.atomic(), indexes_built_after(Household):
        # Projects and assignments point at a household: its key stays for them.
        assert [n for n, _d in _indexes("registry_household")] == ["registry_household_pkey"]
    assert _indexes("registry_household") == households
