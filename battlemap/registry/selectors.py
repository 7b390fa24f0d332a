"""Registry reads composed into the figures every report, map and command uses."""

import datetime as dt
from decimal import Decimal

from battlemap.core.codes import Level
from battlemap.core.scoping import object_for
from battlemap.regions.actions import VIEW_REGISTRY
from battlemap.regions.models import Region, RegionPopulation, VillageStatusEvent

from .models import Household, Person

FIGURE_KEYS = (
    "households_registered",
    "persons_registered",
    "households_poor",
    "persons_poor",
    "rural_population",
    "poverty_incidence",
    "poor_villages",
    "poor_villages_exited",
)


def rural_population(region: Region, date: dt.date) -> int:  # scoped: aggregates of a region
    """Sum over the region's villages of each one's latest figure for a year ≤ the date's year."""
    latest: dict[str, tuple[int, int]] = {}
    rows = RegionPopulation.objects.filter(
        region__code__startswith=region.prefix,
        region__level=Level.VILLAGE,
        year__lte=date.year,
    ).values_list("region_id", "year", "rural")
    for code, year, rural in rows:
        if code not in latest or latest[code][0] < year:
            latest[code] = (year, rural)
    return sum(rural for _year, rural in latest.values())


def region_figures(region: Region, date: dt.date) -> dict:  # scoped: aggregates of a region (the rollups' reference)
    """The registry's key figures for a region on a date (the `battlemap stats` keys)."""
    households = Household.objects.in_region(region)
    registered = households.registered_on(date)
    poor = households.poor_on(date)
    present = Person.objects.present_on(date)
    persons_poor = present.filter(household__in=poor.values("pk")).count()
    population = rural_population(region, date)
    events = VillageStatusEvent.objects.filter(
        region__code__startswith=region.prefix, date__lte=date
    )
    identified = set(events.filter(kind="identified").values_list("region_id", flat=True))
    exited = set(events.filter(kind="exited").values_list("region_id", flat=True))
    return {
        "region": region.code,
        "date": date.isoformat(),
        "households_registered": registered.count(),
        "persons_registered": present.filter(household__in=registered.values("pk")).count(),
        "households_poor": poor.count(),
        "persons_poor": persons_poor,
        "rural_population": population,
        "poverty_incidence": persons_poor / population if population else None,
        "poor_villages": len(identified),
        "poor_villages_exited": len(identified & exited),
    }


def net_per_person(record, members: int):
    """Net income per member: as declared (imports), else derived from the amounts."""
    if record.declared_net_per_person is not None:
        return record.declared_net_per_person
    return (record.net_income / members).quantize(Decimal("0.01")) if members else None


def household_incomes(household: Household) -> list[dict]:
    """Income by year with net income and net income per member present at the year's end."""
    out = []
    people = list(household.members.all())  # prefetched by list views: no query per year
    for record in sorted(household.incomes.all(), key=lambda r: r.year):
        year_end = dt.date(record.year, 12, 31)
        members = sum(1 for p in people if p.present_on(year_end))
        net = record.net_income
        out.append(
            {
                "year": record.year,
                "wages": record.wages,
                "production": record.production,
                "property_income": record.property_income,
                "transfers": record.transfers,
                "costs": record.costs,
                "net_income": net,
                "members": members,
                "net_income_per_person": net_per_person(record, members),
            }
        )
    return out


def get_household_for(
    user, pk, action: str = VIEW_REGISTRY, *, select=(), prefetch=()
) -> Household:
    """A household the user may see (404 otherwise, existing or not) and act on (403),
    with `select` (select_related) and `prefetch` (prefetch_related) loaded."""
    visible = Household.objects.visible_to(user).select_related("village", *select)
    if prefetch:
        visible = visible.prefetch_related(*prefetch)
    return object_for(visible, user, action, pk=pk)


def get_person_for(user, pk, action: str = VIEW_REGISTRY) -> Person:
    """A person the user may see (404 otherwise, existing or not) and act on (403)."""
    return object_for(
        Person.objects.visible_to(user).select_related("household"), user, action, pk=pk
    )


def guarantees_on(household, date) -> dict:  # scoped: one household the caller got through get_household_for
    """Each guarantee's latest assessment on or before `date` (None: not assessed)."""
    from .models import Guarantee, GuaranteeAssessment

    latest: dict = dict.fromkeys(Guarantee.values)
    rows = GuaranteeAssessment.objects.filter(household=household, date__lte=date)
    for row in rows.order_by("date"):
        latest[row.guarantee] = row
    return latest
