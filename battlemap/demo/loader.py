"""Write a generated scenario through the services, and create the demo logins."""

from django.conf import settings
from django.db import transaction

from battlemap.accounts.models import Role
from battlemap.accounts.services import user_ensure
from battlemap.core.bulk import foreign_keys_checked_once
from battlemap.regions.codes import prefix_of
from battlemap.regions.models import Region
from battlemap.regions.services import poor_village_set, population_set, region_upsert
from battlemap.registry.models import Household, HouseholdEvent, IncomeRecord, Person
from battlemap.registry.services import income_bulk_set, registry_bulk_register

from .builder import COUNTY, Scenario

DEMO_USERS = [
    # username, role, region code, superuser
    ("county_admin", Role.COUNTY_ADMIN, COUNTY, True),
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
    end rather than row by row (see foreign_keys_checked_once).
    """
    with foreign_keys_checked_once(Household, HouseholdEvent, Person, IncomeRecord):
        registry_bulk_register(
            actor=actor, households=scenario.households, persons=scenario.persons
        )
        income_bulk_set(actor=actor, county_code=COUNTY[:6], rows=scenario.incomes)


def create_demo_users(*, actor) -> None:
    regions = Region.objects.in_bulk([code for _u, _r, code, _s in DEMO_USERS])
    for username, role, code, superuser in DEMO_USERS:
        user_ensure(
            actor=actor,
            username=username,
            password=settings.DEMO_PASSWORD,
            role=role,
            region=regions[code],
            superuser=superuser,
        )
