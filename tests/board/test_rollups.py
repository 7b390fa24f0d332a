"""Rollups after any write equal a full rebuild, and equal the figures computed directly."""

import datetime as dt
import random

import pytest

from battlemap.board.models import Figure
from battlemap.board.rollups import rollups_rebuild
from battlemap.board.selectors import measures_on
from battlemap.core.errors import DomainError
from battlemap.core.figures import MEASURES
from battlemap.regions.services import poor_village_set, population_set
from battlemap.registry.selectors import region_figures
from battlemap.registry.services import household_event_add, person_add, person_leave
from tests.factories import ACTOR, make_county, member, register

pytestmark = pytest.mark.django_db

D = dt.date
CHECK_DATES = [
    D(2014, 12, 31),
    D(2015, 6, 30),
    D(2016, 1, 1),
    D(2017, 3, 15),
    D(2018, 12, 31),
    D(2019, 11, 30),
    D(2020, 6, 30),
]


def change_dates() -> list:
    """Every date a stored series changes on, with the day before it and the check dates.

    A rebuild stores a subset of these dates (it drops points where nothing changed), so
    sampling both states on them compares the step functions exactly.
    """
    dates = set(Figure.objects.values_list("date", flat=True))
    return sorted(dates | {d - dt.timedelta(days=1) for d in dates} | set(CHECK_DATES))


def snapshot(regions, dates=None) -> dict:
    dates = dates or change_dates()
    return {r.code: {d: measures_on(r.code, d) for d in dates} for r in regions}


def assert_match_direct_figures(regions):
    for region in regions:
        for date in CHECK_DATES:
            direct = region_figures(region, date)
            stored = measures_on(region.code, date)
            for name in MEASURES:
                assert stored[name] == direct[name], (region.code, date, name)


def test_incremental_rollups_equal_rebuild_and_direct_figures_after_random_writes():
    county = make_county()
    regions = [county.county, *county.townships, *county.villages]
    rng = random.Random(7)
    households = []
    for i in range(12):
        village = rng.choice(county.villages)
        start = D(2014, 1, 1) + dt.timedelta(days=rng.randrange(900))
        households.append(register(village, f"R{i}", start, rng.randint(1, 4)))
    poor_village_set(
        actor=ACTOR, village=county.v1, identified_on=D(2014, 6, 30), exited_on=D(2017, 12, 20)
    )
    poor_village_set(actor=ACTOR, village=county.v3, identified_on=D(2014, 6, 30))
    population_set(actor=ACTOR, region=county.v2, year=2016, registered=720, rural=610)

    kinds = ["exited", "relapsed", "removed", "newly_identified"]
    for _step in range(40):
        household = rng.choice(households)
        date = D(2015, 1, 1) + dt.timedelta(days=rng.randrange(2000))
        action = rng.random()
        try:
            if action < 0.5:
                household_event_add(
                    actor=ACTOR, household=household, kind=rng.choice(kinds), date=date
                )
            elif action < 0.75:
                person_add(
                    actor=ACTOR,
                    household=household,
                    **member("之孙女", joined_on=date, join_reason="出生"),
                )
            else:
                candidates = list(
                    household.members.filter(left_on__isnull=True).exclude(relation__label="户主")
                )
                if candidates:
                    person_leave(
                        actor=ACTOR, person=rng.choice(candidates), left_on=date, reason="迁出"
                    )
        except DomainError:
            continue  # the rules refused it: nothing changed
    dates = change_dates()
    incremental = snapshot(regions, dates)
    assert_match_direct_figures(regions)
    rollups_rebuild(actor=ACTOR)
    assert snapshot(regions, dates) == incremental


def test_a_single_event_moves_village_township_and_county():
    county = make_county()
    household = register(county.v1, "S1", D(2015, 3, 1), 3)
    assert measures_on(county.county.code, D(2015, 3, 1))["persons_poor"] == 3
    assert measures_on(county.county.code, D(2015, 2, 28))["persons_poor"] == 0
    household_event_add(actor=ACTOR, household=household, kind="exited", date=D(2016, 5, 1))
    for code in (county.v1.code, county.huayang.code, county.county.code):
        assert measures_on(code, D(2016, 4, 30))["households_poor"] == 1
        assert measures_on(code, D(2016, 5, 1))["households_poor"] == 0
        assert measures_on(code, D(2016, 5, 1))["households_registered"] == 1
    assert measures_on(county.linxi.code, D(2016, 4, 30))["households_poor"] == 0


def test_a_refused_write_leaves_rollups_unchanged():
    county = make_county()
    household = register(county.v2, "F1", D(2015, 3, 1), 2)
    before = snapshot([county.county, county.v2])
    with pytest.raises(DomainError):
        household_event_add(actor=ACTOR, household=household, kind="relapsed", date=D(2016, 1, 1))
    assert snapshot([county.county, county.v2]) == before


def test_a_township_level_change_refreshes_the_villages_under_it(county):
    """`regions_changed` takes any level: a township's code refreshes its villages."""
    from battlemap.board.models import Figure
    from battlemap.core.changes import regions_changed
    from tests.factories import register

    register(county.v1, "T-1")
    Figure.objects.filter(region_code__startswith=county.huayang.prefix).delete()
    regions_changed([county.huayang.code])
    assert Figure.objects.filter(
        region_code=county.v1.code, measure="households_registered"
    ).exists()
    assert Figure.objects.filter(region_code=county.huayang.code).exists()
