"""Every public service checks its own action: called by an actor whose roles do not grant
it — a county leader (reads everything, changes nothing) and the official of another
township — it raises `Forbidden` and writes nothing, whoever the caller is (a page, a job,
a command). A new public service with an `actor` is not forgotten: the table must name it.
"""

import datetime as dt
import importlib
import inspect
from pathlib import Path

import pytest
from django.conf import settings

from battlemap.accounts.models import Role
from battlemap.accounts.services import NewAccount
from battlemap.audit.models import AuditRecord
from battlemap.core.errors import Forbidden
from battlemap.registry.services import HouseholdRow
from tests import personas
from tests.factories import ACTOR, make_project, register

pytestmark = pytest.mark.django_db
D = dt.date

# Writers every service calls after its own check: they take an actor to name it.
NOT_CHECKED = {
    "battlemap.audit.services.audit_record": "writes the audit row of a checked service",
    "battlemap.audit.services.audit_record_many": "writes the audit rows of a checked service",
    "battlemap.accounts.services.user_login": "records the actor's own login, after the password",
}


def _world(county):
    w = county
    w.household = register(w.v1, "A1-1", D(2015, 10, 1), 2)
    w.person = w.household.members.first()
    w.project = make_project(w.v1)
    w.milestone = None
    w.clerk = personas.holder(w.v1, username="clerk", role=Role.VILLAGE_CADRE)
    w.assignment = w.clerk.role_assignments.get()
    from battlemap.accounts.services import api_token_create

    w.token, _ = api_token_create(actor=ACTOR, user=w.clerk)
    return w


# service -> (world) -> keyword arguments other than the actor
CALLS = {
    "battlemap.accounts.services.user_create": lambda w: {
        "username": "newbie",
        "role": Role.VILLAGE_CADRE,
        "region": w.v1,
    },
    "battlemap.accounts.services.user_ensure": lambda w: {
        "username": "newbie",
        "password": "a-long-password-1",
        "role": Role.VILLAGE_CADRE,
        "region": w.v1,
    },
    "battlemap.accounts.services.role_assign": lambda w: {
        "user": w.clerk,
        "role": Role.VILLAGE_CADRE,
        "region": w.v2,
    },
    "battlemap.accounts.services.role_unassign": lambda w: {"assignment": w.assignment},
    "battlemap.accounts.services.user_deactivate": lambda w: {"user": w.clerk},
    "battlemap.accounts.services.user_activate": lambda w: {"user": w.clerk},
    "battlemap.accounts.services.user_password_reset": lambda w: {"user": w.clerk},
    "battlemap.accounts.services.users_bulk_create": lambda w: {
        "accounts": [NewAccount("newbie", "新人", Role.VILLAGE_CADRE, w.v1)]
    },
    "battlemap.accounts.services.household_assign": lambda w: {
        "user": w.clerk,
        "household": w.household,
    },
    "battlemap.accounts.services.api_token_create": lambda w: {"user": w.clerk},
    "battlemap.accounts.services.api_token_revoke": lambda w: {"token": w.token},
    "battlemap.accounts.services.user_password_change": lambda w: {
        "user": w.clerk,
        "password": "a-long-password-1",
    },
    "battlemap.regions.services.region_upsert": lambda w: {
        "code": w.v1.code,
        "name": "新名",
        "parent_code": w.huayang.code,
    },
    "battlemap.regions.services.population_set": lambda w: {
        "region": w.v1,
        "year": 2019,
        "registered": 10,
        "rural": 5,
    },
    "battlemap.regions.services.poor_village_set": lambda w: {
        "village": w.v1,
        "identified_on": D(2014, 1, 1),
    },
    "battlemap.regions.services.regions_import_workbook": None,  # calls the three above
    "battlemap.regions.services.regions_import_boundaries": lambda w: {
        "data": {"type": "FeatureCollection", "features": []}
    },
    "battlemap.registry.services.household_register": lambda w: {
        "village": w.v1,
        "number": "A1-2",
        "identified_on": D(2015, 10, 1),
        "members": [],
    },
    "battlemap.registry.services.person_add": lambda w: {
        "household": w.household,
        "name": "新成员",
        "relation": "之子",
    },
    "battlemap.registry.services.person_update": lambda w: {
        "person": w.person,
        "expected_version": w.person.version,
        "name": "改名",
    },
    "battlemap.registry.services.person_leave": lambda w: {
        "person": w.person,
        "left_on": D(2019, 1, 1),
        "reason": "死亡",
    },
    "battlemap.registry.services.household_update": lambda w: {
        "household": w.household,
        "expected_version": w.household.version,
        "note": "改",
    },
    "battlemap.registry.services.household_event_add": lambda w: {
        "household": w.household,
        "kind": "exited",
        "date": D(2019, 1, 1),
    },
    "battlemap.registry.services.income_record_set": lambda w: {
        "household": w.household,
        "year": 2019,
        "wages": 100,
    },
    "battlemap.registry.services.registry_bulk_register": lambda w: {
        "households": [
            HouseholdRow(w.v1.code, "B-1", 1, None, None, None, None, (True,) * 5, "", ())
        ],
        "persons": [],
    },
    "battlemap.registry.services.income_bulk_set": lambda w: {
        "county_code": w.county.code[:6],
        "rows": [("A1-1", 2019, 1, 1, 1, 1, 0)],
    },
    "battlemap.registry.services.guarantees_assess": lambda w: {
        "household": w.household,
        "date": D(2019, 1, 1),
        "assessed": {"housing": True},
    },
    "battlemap.registry.services.guarantees_bulk_assess": lambda w: {
        "county_code": w.county.code[:6],
        "rows": [("A1-1", "housing", D(2019, 1, 1), True, "")],
    },
    "battlemap.registry.personal.person_id_reveal": lambda w: {"person": w.person},
    "battlemap.registry.personal.household_phone_reveal": lambda w: {"household": w.household},
    "battlemap.projects.services.project_create": lambda w: {
        "region": w.v1,
        "year": 2019,
        "name": "新项目",
        "programme": "infrastructure",
        "construction_type": "new",
        "planned_start": D(2019, 3, 1),
        "planned_end": D(2019, 10, 31),
        "budget": "1000.00",
        "responsible_unit": "县交通运输局",
        "responsible_leader": "程国庆",
        "responsible_person": "胡建华",
    },
    "battlemap.projects.services.notice_record": lambda w: {
        "project": w.project,
        "kind": "before_entry",
        "start": D(2019, 1, 1),
        "end": D(2019, 1, 10),
        "place": "村部",
    },
    "battlemap.projects.services.project_stage_advance": lambda w: {
        "project": w.project,
        "stage": "in_library",
        "date": D(2019, 1, 20),
    },
    "battlemap.projects.services.allocation_add": lambda w: {
        "project": w.project,
        "year": 2019,
        "source": "central",
        "amount": "1000.00",
        "document": "皖财农〔2019〕1号",
        "date": D(2019, 4, 1),
    },
    "battlemap.projects.services.disbursement_add": lambda w: {
        "project": w.project,
        "amount": "10.00",
        "date": D(2019, 5, 1),
        "payee": "施工单位",
    },
    "battlemap.projects.services.milestone_add": lambda w: {
        "project": w.project,
        "name": "开工",
        "owner": "胡建华",
        "start": D(2019, 3, 1),
        "due": D(2019, 4, 1),
    },
    "battlemap.projects.services.milestone_complete": "milestone",
    "battlemap.projects.services.report_file": lambda w: {
        "project": w.project,
        "date": D(2019, 5, 1),
        "progress": 10,
        "work": "施工",
    },
    "battlemap.projects.services.report_bulk_file": lambda w: {
        "rows": [(w.project, D(2019, 5, 1), 10, "施工", 0, "", "胡建华")]
    },
    "battlemap.board.bulletins.bulletin_generate": lambda w: {
        "region": w.county,
        "date": D(2019, 11, 30),
    },
    "battlemap.board.rollups.rollups_rebuild": lambda w: {},
}

# A domain app lists its own services' calls in tests/<app>/refusals.py (CALLS, same form),
# so adding an app touches no file here.
for _path in sorted(Path(__file__).resolve().parents[1].glob("*/refusals.py")):
    CALLS.update(importlib.import_module(f"tests.{_path.parent.name}.refusals").CALLS)

SERVICE_MODULES = ("services", "personal", "bulletins", "rollups")


def public_services() -> set[str]:
    """Every public function of the service modules that takes a keyword `actor`."""
    found = set()
    package = Path(settings.BASE_DIR)
    for path in package.rglob("*.py"):
        if path.stem not in SERVICE_MODULES or "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(package.parent).with_suffix("").parts)
        module = importlib.import_module(name)
        for attr, fn in vars(module).items():
            if attr.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != name:
                continue
            params = inspect.signature(fn).parameters
            if "actor" in params and params["actor"].kind is inspect.Parameter.KEYWORD_ONLY:
                found.add(f"{name}.{attr}")
    return found


def test_the_table_names_every_public_service():
    assert public_services() - set(NOT_CHECKED) == set(CALLS)


def _prepare(name, world):
    """The service and its arguments but the actor, made before counting audit rows."""
    module, attr = name.rsplit(".", 1)
    fn = getattr(importlib.import_module(module), attr)
    build = CALLS[name]
    if build == "milestone":
        from battlemap.projects.services import milestone_add

        args = CALLS["battlemap.projects.services.milestone_add"](world)
        milestone = milestone_add(actor=ACTOR, **args)
        return fn, {"milestone": milestone, "done_on": D(2019, 4, 1)}
    return fn, build(world)


@pytest.mark.parametrize("name", sorted(n for n, build in CALLS.items() if build is not None))
@pytest.mark.parametrize("who", ["leader", "other_township"])
def test_a_service_refuses_an_actor_without_the_right(county, name, who):
    world = _world(county)
    if who == "leader":
        actor = personas.holder(world.county, username="leader", role=Role.LEADER)
    else:
        actor = personas.holder(world.linxi, username="linxi", role=Role.TOWNSHIP_OFFICIAL)
    fn, kwargs = _prepare(name, world)
    before = AuditRecord.objects.count()
    with pytest.raises(Forbidden):
        fn(actor=actor, **kwargs)
    assert AuditRecord.objects.count() == before
