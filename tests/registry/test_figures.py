"""Status and counts on a date, region_figures at every level, and `battlemap stats`."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from battlemap.regions.services import poor_village_set
from battlemap.registry.models import Household, Person
from battlemap.registry.selectors import FIGURE_KEYS, region_figures, rural_population
from battlemap.registry.services import household_event_add, person_add, person_leave
from tests.factories import ACTOR, id_number, make_county, member, register

pytestmark = pytest.mark.django_db
D = dt.date
# battlemap stats adds the projects of the date's year (tests/projects, tests/demo).
PROJECT_KEYS = {
    "projects_planned",
    "projects_completed",
    "funds_allocated",
    "funds_disbursed",
    "expenditure_rate",
}
KEYS = {"region", "date", *FIGURE_KEYS}


def build_world():
    """Five households across the four villages with exits, a relapse, a removal, a death
    and a birth, and three poor villages (two of which exited)."""
    county = make_county()
    h1 = register(county.v1, "H1", D(2015, 10, 1), 3)
    household_event_add(actor=ACTOR, household=h1, kind="exited", date=D(2018, 12, 1))
    household_event_add(actor=ACTOR, household=h1, kind="relapsed", date=D(2020, 5, 1))
    h2 = register(county.v1, "H2", D(2015, 10, 1), 2)
    household_event_add(actor=ACTOR, household=h2, kind="exited", date=D(2019, 12, 31))
    h3 = register(county.v2, "H3", D(2016, 3, 1), 3)
    child = h3.members.get(relation__label="之子")
    person_leave(actor=ACTOR, person=child, left_on=D(2019, 6, 30), reason="死亡")
    newborn = person_add(
        actor=ACTOR,
        household=h3,
        **member(
            "之女",
            id_number=id_number(birth=D(2019, 9, 1), male=False),
            joined_on=D(2019, 9, 1),
            join_reason="出生",
        ),
    )
    h4 = register(county.v3, "H4", D(2015, 10, 1), 1)
    household_event_add(actor=ACTOR, household=h4, kind="removed", date=D(2017, 6, 1))
    h5 = register(county.v4, "H5", D(2020, 3, 1), 2, kind="newly_identified")
    poor_village_set(
        actor=ACTOR, village=county.v1, identified_on=D(2014, 10, 1), exited_on=D(2019, 11, 30)
    )
    poor_village_set(actor=ACTOR, village=county.v3, identified_on=D(2014, 10, 1))
    poor_village_set(
        actor=ACTOR, village=county.v2, identified_on=D(2016, 5, 1), exited_on=D(2020, 10, 1)
    )
    county.h = {"H1": h1, "H2": h2, "H3": h3, "H4": h4, "H5": h5}
    county.child, county.newborn = child, newborn
    return county


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module (the tests here only read) and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def numbers(queryset):
    return sorted(queryset.values_list("number", flat=True))


# --- status of households on a date -------------------------------------------------------------


@pytest.mark.parametrize(
    "date, registered, poor",
    [
        (D(2015, 9, 30), [], []),
        (D(2015, 10, 1), ["H1", "H2", "H4"], ["H1", "H2", "H4"]),
        (D(2016, 3, 1), ["H1", "H2", "H3", "H4"], ["H1", "H2", "H3", "H4"]),
        (D(2017, 5, 31), ["H1", "H2", "H3", "H4"], ["H1", "H2", "H3", "H4"]),
        (D(2017, 6, 1), ["H1", "H2", "H3"], ["H1", "H2", "H3"]),  # H4 removed on D
        (D(2018, 11, 30), ["H1", "H2", "H3"], ["H1", "H2", "H3"]),
        (D(2018, 12, 1), ["H1", "H2", "H3"], ["H2", "H3"]),  # H1 exited on D
        (D(2019, 12, 31), ["H1", "H2", "H3"], ["H3"]),
        (D(2020, 3, 1), ["H1", "H2", "H3", "H5"], ["H3", "H5"]),  # H5 newly identified
        (D(2020, 4, 30), ["H1", "H2", "H3", "H5"], ["H3", "H5"]),
        (D(2020, 5, 1), ["H1", "H2", "H3", "H5"], ["H1", "H3", "H5"]),  # H1 relapsed on D
        (D(2030, 1, 1), ["H1", "H2", "H3", "H5"], ["H1", "H3", "H5"]),
    ],
)
def test_registered_and_poor_on(world, date, registered, poor):
    assert numbers(Household.objects.registered_on(date)) == registered
    assert numbers(Household.objects.poor_on(date)) == poor


def test_status_kind_annotation(world):
    kinds = dict(
        Household.objects.with_status_on(D(2020, 5, 1)).values_list("number", "status_kind")
    )
    assert kinds == {
        "H1": "relapsed",
        "H2": "exited",
        "H3": "identified",
        "H4": "removed",
        "H5": "newly_identified",
    }
    assert Household.objects.with_status_on(D(2015, 9, 30)).get(number="H1").status_kind is None


def test_member_left_on_d_is_gone_on_d_and_joined_on_d_is_there(world):
    present = Person.objects.present_on
    assert present(D(2019, 6, 29)).filter(pk=world.child.pk).exists()
    assert not present(D(2019, 6, 30)).filter(pk=world.child.pk).exists()
    assert not present(D(2019, 8, 31)).filter(pk=world.newborn.pk).exists()
    assert present(D(2019, 9, 1)).filter(pk=world.newborn.pk).exists()
    h3 = Person.objects.filter(household=world.h["H3"])
    assert h3.present_on(D(2019, 6, 29)).count() == 3
    assert h3.present_on(D(2019, 6, 30)).count() == 2
    assert h3.present_on(D(2019, 9, 1)).count() == 3


# --- region_figures -----------------------------------------------------------------------------

COUNTY_FIGURES = [
    # date, hh registered, persons registered, hh poor, persons poor, rural, poor villages, exited
    (D(2014, 9, 30), 0, 0, 0, 0, 0, 0, 0),
    (D(2014, 10, 1), 0, 0, 0, 0, 0, 2, 0),
    (D(2015, 10, 1), 3, 6, 3, 6, 0, 2, 0),
    (D(2016, 3, 1), 4, 9, 4, 9, 0, 2, 0),
    (D(2017, 6, 1), 3, 8, 3, 8, 0, 3, 0),
    (D(2018, 12, 1), 3, 8, 2, 5, 1500, 3, 0),
    (D(2019, 6, 29), 3, 8, 2, 5, 2000, 3, 0),
    (D(2019, 6, 30), 3, 7, 2, 4, 2000, 3, 0),  # a member left on D: not counted on D
    (D(2019, 8, 31), 3, 7, 2, 4, 2000, 3, 0),
    (D(2019, 9, 1), 3, 8, 2, 5, 2000, 3, 0),  # a member joined on D: counted on D
    (D(2019, 11, 30), 3, 8, 2, 5, 2000, 3, 1),
    (D(2019, 12, 31), 3, 8, 1, 3, 2000, 3, 1),
    (D(2020, 3, 1), 4, 10, 2, 5, 2850, 3, 1),
    (D(2020, 4, 30), 4, 10, 2, 5, 2850, 3, 1),
    (D(2020, 5, 1), 4, 10, 3, 8, 2850, 3, 1),  # relapse in effect on D
    (D(2020, 10, 1), 4, 10, 3, 8, 2850, 3, 2),
]


@pytest.mark.parametrize("row", COUNTY_FIGURES, ids=[str(r[0]) for r in COUNTY_FIGURES])
def test_county_figures_on_dates(world, row):
    date, hh_reg, p_reg, hh_poor, p_poor, rural, villages, exited = row
    figures = region_figures(world.county, date)
    assert set(figures) == KEYS
    assert figures == {
        "region": "341824000000",
        "date": date.isoformat(),
        "households_registered": hh_reg,
        "persons_registered": p_reg,
        "households_poor": hh_poor,
        "persons_poor": p_poor,
        "rural_population": rural,
        "poverty_incidence": p_poor / rural if rural else None,
        "poor_villages": villages,
        "poor_villages_exited": exited,
    }


@pytest.mark.parametrize(
    "attr, expected",
    [
        ("huayang", (3, 8, 2, 6, 1550, 2, 2)),
        ("linxi", (1, 2, 1, 2, 1300, 1, 0)),
        ("v1", (2, 5, 1, 3, 950, 1, 1)),
        ("v2", (1, 3, 1, 3, 600, 1, 1)),
        ("v3", (0, 0, 0, 0, 800, 1, 0)),
        ("v4", (1, 2, 1, 2, 500, 0, 0)),
    ],
)
def test_township_and_village_figures(world, attr, expected):
    region = getattr(world, attr)
    figures = region_figures(region, D(2020, 10, 1))
    assert figures["region"] == region.code
    got = tuple(figures[k] for k in FIGURE_KEYS if k != "poverty_incidence")
    assert got == expected
    assert figures["poverty_incidence"] == pytest.approx(expected[3] / expected[4])


def test_levels_add_up(world):
    for date in (D(2016, 3, 1), D(2019, 6, 30), D(2020, 5, 1)):
        county = region_figures(world.county, date)
        townships = [region_figures(t, date) for t in world.townships]
        villages = [region_figures(v, date) for v in world.villages]
        for key in FIGURE_KEYS:
            if key == "poverty_incidence":
                continue
            assert county[key] == sum(t[key] for t in townships) == sum(v[key] for v in villages)


def test_incidence_is_a_fraction(world):
    figures = region_figures(world.county, D(2019, 6, 30))
    assert figures["poverty_incidence"] == pytest.approx(0.002)
    assert region_figures(world.v3, D(2020, 10, 1))["poverty_incidence"] == 0
    assert region_figures(world.v3, D(2016, 1, 1))["poverty_incidence"] is None


def test_rural_population_takes_each_villages_latest_year(county):
    # Township and county rows (120000, 30000) are never added in.
    assert rural_population(county.county, D(2017, 12, 31)) == 0
    assert rural_population(county.county, D(2018, 1, 1)) == 900 + 600
    assert rural_population(county.county, D(2019, 1, 1)) == 900 + 600 + 500
    assert rural_population(county.county, D(2020, 1, 1)) == 950 + 600 + 800 + 500
    assert rural_population(county.county, D(2030, 1, 1)) == 950 + 600 + 800 + 500
    assert rural_population(county.huayang, D(2019, 12, 31)) == 900 + 600
    assert rural_population(county.v1, D(2019, 12, 31)) == 900
    assert rural_population(county.v1, D(2020, 1, 1)) == 950


# --- battlemap stats ----------------------------------------------------------------------------


def stats(*args):
    out = io.StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    "code, full",
    [("341824", "341824000000"), ("341824100", "341824100000"), ("341824100201", "341824100201")],
)
def test_stats_json_for_6_9_and_12_digit_codes(world, code, full):
    output = stats("--region", code, "--date", "2020-05-01", "--format", "json")
    data = json.loads(output)
    assert set(data) == KEYS | PROJECT_KEYS
    assert {k: data[k] for k in KEYS} == region_figures(world.regions[full], D(2020, 5, 1))
    assert {k: data[k] for k in PROJECT_KEYS} == {
        "projects_planned": 0,
        "projects_completed": 0,
        "funds_allocated": "0.00",
        "funds_disbursed": "0.00",
        "expenditure_rate": None,
    }
    assert data["region"] == full and data["date"] == "2020-05-01"


def test_stats_json_values(world):
    data = json.loads(stats("--region", "341824", "--date", "2020-05-01", "--format", "json"))
    assert data["households_registered"] == 4
    assert data["persons_poor"] == 8
    assert data["rural_population"] == 2850
    assert data["poverty_incidence"] == pytest.approx(8 / 2850)
    assert (data["poor_villages"], data["poor_villages_exited"]) == (3, 1)


def test_stats_date_defaults_to_today(world, today):
    data = json.loads(stats("--region", "341824", "--format", "json"))
    assert data["date"] == today.isoformat()
    assert data["households_poor"] == 3


def test_stats_table(world):
    output = stats("--region", "341824100", "--date", "2020-05-01")
    assert "华阳镇（341824100000） 2020-05-01" in output
    assert "未脱贫人数: 6" in output
    assert "农村户籍人口: 1,550" in output
    assert f"贫困发生率: {6 / 1550 * 100:.2f}%" in output
    assert "贫困发生率: —" in stats("--region", "341824", "--date", "2016-01-01")


@pytest.mark.parametrize("code", ["34182", "3418241", "34182410020X", "abc", ""])
def test_stats_bad_code(county, code):
    with pytest.raises(CommandError, match="无效") as exc:
        stats("--region", code, "--format", "json")
    assert "6、9或12位" in str(exc.value)


def test_stats_unknown_region(county):
    with pytest.raises(CommandError, match="不存在"):
        stats("--region", "341825", "--format", "json")


def test_stats_bad_date(county):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        stats("--region", "341824", "--date", "2020/05/01", "--format", "json")


def test_income_per_person_uses_members_present_at_year_end(db):
    import datetime as dt
    from decimal import Decimal

    from battlemap.registry.selectors import household_incomes
    from battlemap.registry.services import income_record_set, person_leave
    from tests.factories import ACTOR, make_county, register

    county = make_county()
    household = register(county.v1, "INC1", members=3, identified_on=dt.date(2016, 3, 1))
    income_record_set(
        actor=ACTOR,
        household=household,
        year=2017,
        wages=Decimal("9000"),
        production=Decimal("3000"),
        costs=Decimal("600"),
    )
    income_record_set(actor=ACTOR, household=household, year=2018, wages=Decimal("9000"))
    member = household.members.exclude(relation__label="户主").first()
    person_leave(actor=ACTOR, person=member, left_on=dt.date(2018, 5, 1), reason="婚出")
    by_year = {row["year"]: row for row in household_incomes(household)}
    assert by_year[2017]["net_income"] == Decimal("11400.00")
    assert by_year[2017]["members"] == 3
    assert by_year[2017]["net_income_per_person"] == Decimal("3800.00")
    assert by_year[2018]["members"] == 2
    assert by_year[2018]["net_income_per_person"] == Decimal("4500.00")
