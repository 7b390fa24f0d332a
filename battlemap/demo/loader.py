"""Write a generated scenario through the services, and create the demo logins."""

from decimal import Decimal

from django.conf import settings

from battlemap.accounts.models import Role
from battlemap.accounts.services import user_ensure
from battlemap.core import changes
from battlemap.core.bulk import foreign_keys_checked_once, indexes_built_after, sqlite_page_cache
from battlemap.core.codes import prefix_of
from battlemap.projects import services as p
from battlemap.regions.models import Region
from battlemap.regions.services import poor_village_set, population_set, region_upsert
from battlemap.registry.models import (
    GuaranteeAssessment,
    Household,
    HouseholdEvent,
    IncomeRecord,
    Person,
)
from battlemap.registry.services import (
    guarantees_bulk_assess,
    income_bulk_set,
    registry_bulk_register,
)

from .builder import COUNTY, Scenario
from .projects import OWNER_NAME, ProjectPlan

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
# The responsible person (责任人) of a few 华阳镇 projects: no role over any region, sees
# and reports on their own projects only.
PROJECT_OWNER = "project_owner"


REGISTRY_TABLES = (Household, HouseholdEvent, Person, IncomeRecord, GuaranteeAssessment)
# SQLite's page cache during a first load (core.bulk.sqlite_page_cache): room for a county
# of a million persons, used only as far as the load's pages fill it.
FIRST_LOAD_CACHE_KIB = 2 * 1024 * 1024


def load(scenario: Scenario, *, actor) -> None:
    """All or nothing, in one transaction: a failure leaves the database as it was.

    The transaction is opened by foreign_keys_checked_once, outermost: SQLite can only
    defer its key checks to the end when they are switched off before the transaction.
    """
    with foreign_keys_checked_once(*REGISTRY_TABLES):
        load_regions(scenario, actor=actor)
        load_registry(scenario, actor=actor)
        create_demo_users(actor=actor)
        load_projects(scenario.projects, actor=actor)
        if scenario.projects:
            load_bulletins(actor=actor)
        load_current_projects(scenario.current_projects, actor=actor)


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

    One transaction. The demo builds a database nobody uses yet, so the foreign keys are
    checked once at the end rather than row by row (see foreign_keys_checked_once: called
    outside a transaction, it opens it), and the indexes of empty tables are built once
    after their rows (indexes_built_after). The rollups are refreshed once, after the
    indexes, so that their statements find them (batched); on SQLite they read the load's
    pages from a page cache held large for the whole load (sqlite_page_cache).
    """
    with (
        foreign_keys_checked_once(*REGISTRY_TABLES),
        sqlite_page_cache(FIRST_LOAD_CACHE_KIB),
        changes.batched(),
        indexes_built_after(*REGISTRY_TABLES),
    ):
        registry_bulk_register(
            actor=actor, households=scenario.households, persons=scenario.persons
        )
        income_bulk_set(actor=actor, county_code=COUNTY[:6], rows=scenario.incomes)
        guarantees_bulk_assess(actor=actor, county_code=COUNTY[:6], rows=scenario.guarantees)


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


def _project_of(plan: ProjectPlan, *, actor, owner, regions, households):
    """A plan's project, created through its service (the 2019 library and this year's)."""
    return p.project_create(
        actor=actor,
        region=regions[plan.place],
        year=plan.year,
        name=plan.name,
        programme=plan.programme,
        construction_type=plan.construction_type,
        planned_start=plan.planned_start,
        planned_end=plan.planned_end,
        budget=Decimal(plan.budget_hundreds) * 100,
        responsible_unit=plan.unit,
        responsible_leader=plan.leader,
        responsible_person=plan.person,
        responsible_user=owner if plan.owner_login else None,
        content=plan.content,
        performance_target=plan.target,
        benefit_mechanism=plan.mechanism,
        beneficiaries=[households[n] for n in plan.beneficiaries],
        planned_on=plan.planned_on,
    )


def load_projects(plans: list[ProjectPlan], *, actor) -> None:
    """The 2019 projects, each step through its service, in the order the rules require."""
    owner = create_project_owner(actor=actor) if plans else None
    regions, households = _places_and_households(plans)
    reports = []
    for plan in plans:
        project = _project_of(
            plan, actor=actor, owner=owner, regions=regions, households=households
        )
        notices = {kind: (start, end, place) for kind, start, end, place in plan.notices}
        _notice(actor, project, "before_entry", notices)
        steps = [
            p.milestone_add(actor=actor, project=project, name=n, owner=o, start=s, due=d)
            for n, o, s, d, _done in plan.milestones
        ]
        for stage, date, document in plan.stages:
            if stage == "under_way":
                for source, hundreds, day, doc in plan.allocations:
                    p.allocation_add(
                        actor=actor,
                        project=project,
                        year=2019,
                        source=source,
                        amount=Decimal(hundreds) * 100,
                        date=day,
                        document=doc,
                    )
            if stage == "accepted":
                for kind, hundreds, day, payee in plan.payments:
                    if day <= date:
                        _pay(actor, project, kind, hundreds, day, payee)
                for step, (_n, _o, _s, _d, done) in zip(steps, plan.milestones, strict=True):
                    p.milestone_complete(actor=actor, milestone=step, done_on=done)
            if stage == "evaluated":
                _notice(actor, project, "after_acceptance", notices)
            p.project_stage_advance(
                actor=actor, project=project, stage=stage, date=date, document=document
            )
        for kind, hundreds, day, payee in plan.payments:
            if day > plan.stages[4][1]:
                _pay(actor, project, kind, hundreds, day, payee)
        author = plan.person
        reports += [
            (project, day, progress, work, paid, problems, author)
            for day, progress, work, paid, problems in plan.reports
        ]
    p.report_bulk_file(actor=actor, rows=reports)


def _places_and_households(plans: list[ProjectPlan]) -> tuple[dict, dict]:
    regions = Region.objects.in_bulk({plan.place for plan in plans})
    numbers = {n for plan in plans for n in plan.beneficiaries}
    return regions, {h.number: h for h in Household.objects.filter(number__in=numbers)}


def load_current_projects(plans: list[ProjectPlan], *, actor) -> None:
    """The projects under way on the day the demo is built: planned, entered, approved,
    funded and started through the services, part paid, steps due done, past reports."""
    if not plans:
        return
    from django.contrib.auth import get_user_model

    owner = get_user_model().objects.filter(username=PROJECT_OWNER).first() or create_project_owner(
        actor=actor
    )
    regions, households = _places_and_households(plans)
    reports = []
    for plan in plans:
        project = _project_of(
            plan, actor=actor, owner=owner, regions=regions, households=households
        )
        _notice(actor, project, "before_entry", {k: (s, e, pl) for k, s, e, pl in plan.notices})
        steps = [
            p.milestone_add(actor=actor, project=project, name=n, owner=o, start=s, due=d)
            for n, o, s, d, _done in plan.milestones
        ]
        for stage, date, document in plan.stages:
            if stage == "under_way":
                for source, hundreds, day, doc in plan.allocations:
                    p.allocation_add(
                        actor=actor,
                        project=project,
                        year=plan.year,
                        source=source,
                        amount=Decimal(hundreds) * 100,
                        date=day,
                        document=doc,
                    )
            p.project_stage_advance(
                actor=actor, project=project, stage=stage, date=date, document=document
            )
        for kind, hundreds, day, payee in plan.payments:
            _pay(actor, project, kind, hundreds, day, payee)
        for step, (_n, _o, _s, _d, done) in zip(steps, plan.milestones, strict=True):
            if done is not None:
                p.milestone_complete(actor=actor, milestone=step, done_on=done)
        reports += [
            (project, day, progress, work, paid, problems, plan.person)
            for day, progress, work, paid, problems in plan.reports
        ]
    p.report_bulk_file(actor=actor, rows=reports)


def _notice(actor, project, kind, notices) -> None:
    start, end, place = notices[kind]
    p.notice_record(actor=actor, project=project, kind=kind, start=start, end=end, place=place)


def _pay(actor, project, kind, hundreds, day, payee) -> None:
    p.disbursement_add(
        actor=actor,
        project=project,
        kind=kind,
        amount=Decimal(hundreds) * 100,
        date=day,
        payee=payee,
    )


def create_project_owner(*, actor):
    """The demo login of a project's responsible person (no role over any region)."""
    return user_ensure(
        actor=actor,
        username=PROJECT_OWNER,
        password=settings.DEMO_PASSWORD,
        role=None,
        region=None,
        full_name=OWNER_NAME,
    )


def load_bulletins(*, actor) -> None:
    """The county's bulletins at each month-end of 2019: past bulletins to look back on."""
    import datetime as dt

    from battlemap.board.bulletins import bulletin_generate

    county = Region.objects.get(code=COUNTY)
    for month in range(1, 13):
        end = dt.date(2019 + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        bulletin_generate(actor=actor, region=county, date=end)
