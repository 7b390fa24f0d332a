"""bulk_insert: the raw set-based path (COPY on PostgreSQL, executemany on SQLite)."""

import datetime as dt

import pytest

from battlemap.core import crypto
from battlemap.core.bulk import bulk_insert
from battlemap.regions.models import RegionPopulation
from battlemap.registry.models import Code, HouseholdEvent, Person
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
