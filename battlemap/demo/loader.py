"""Write a generated scenario through the services, and create the demo logins."""

from django.conf import settings
from django.db import transaction

from battlemap.accounts.models import Role
from battlemap.accounts.services import user_ensure
from battlemap.core import changes
from battlemap.core.bulk import foreign_keys_checked_once, indexes_built_after
from battlemap.regions.codes import prefix_of
from battlemap.regions.models import Region
from battlemap.regions.services import poor_village_set, population_set, region_upsert
from battlemap.registry.models import Household, HouseholdEvent, IncomeRecord, Person
from battlemap.registry.services import income_bulk_set, registry_bulk_register

from .builder import COUNTY, Scenario

HUAYANG, LINXI, LANGJIAXI = "341824100000", "341824101000", "341824100201"

DEMO_USERS = [
    # username, role, region code, name, Django admin (staff: still scoped by the role)
    ("county_admin", Role.COUNTY_ADMIN, COUNTY, "县扶贫办管理员", True),
    ("leader", Role.LEADER, COUNTY, "县领导", False),
    ("inspector", Role.INSPECTOR, COUNTY, "县督查组", False),
    ("dept_civil", Role.DEPARTMENT, COUNTY, "县民政局", False),
    ("township_huayang", Role.TOWNSHIP_OFFICIAL, HUAYANG, "华阳镇扶贫专干", False),
    ("township_linxi", Role.TOWNSHIP_OFFICIAL, LINXI, "临溪镇扶贫专干", False),
    ("village_cadre", Role.VILLAGE_CADRE, LANGJIAXI, "郎家溪村扶贫专干", False),
]


def load(scenario: Scenario, *, actor) -> None:
    """All or nothing: a failure leaves the database as it was."""
    with transaction.atomic():
        load_regions(scenario, actor=actor)
        load_registry(scenario, actor=actor)
        create_demo_users(actor=actor)


def load_regions(scenario: Scenario, *, actor) -> None:
    """The division tree, population figures and poor villages, one service call each."""
    for code, name, parent in sorted(scenario.regions, key=lambda r: (len(prefix_of(r[0])), r[0])):
        region_upsert(actor=actor, code=code, name=name, parent_code=parent)
    regions = Region.objects.in_bulk()
    for code, year, registered, rural in scenario.populations:
        population_set(
            actor=actor, region=regions[code], year=year, registered=registered, rural=rural
        )
    for code, identified, exited in scenario.poor_villages:
        poor_village_set(
            actor=actor, village=regions[code], identified_on=identified, exited_on=exited
        )


def load_registry(scenario: Scenario, *, actor) -> None:
    """Households, members, events and incomes through the set-based services (bench/ times this).

    The demo builds a database nobody uses yet, so the foreign keys are checked once at the
    end rather than row by row (see foreign_keys_checked_once), and the indexes of empty
    tables are built once after their rows (indexes_built_after). The rollups are
    refreshed once, after both: their statements then find the indexes (batched).
    """
    tables = (Household, HouseholdEvent, Person, IncomeRecord)
    with (
        changes.batched(),
        foreign_keys_checked_once(*tables),
        indexes_built_after(*tables),
    ):
        registry_bulk_register(
            actor=actor, households=scenario.households, persons=scenario.persons
        )
        income_bulk_set(actor=actor, county_code=COUNTY[:6], rows=scenario.incomes)


def create_demo_users(*, actor) -> None:
    """One login per role over the demo county, all with BATTLEMAP_DEMO_PASSWORD."""
    regions = Region.objects.in_bulk([code for _u, _r, code, _n, _s in DEMO_USERS])
    for username, role, code, name, staff in DEMO_USERS:
        user_ensure(
            actor=actor,
            username=username,
            password=settings.DEMO_PASSWORD,
            role=role,
            region=regions[code],
            full_name=name,
            staff=staff,
        )
