"""An installation in service upgrades with `battlemap migrate` and keeps everything.

A child process builds a database at the schema of the last release in service (the
migrations main stood at before the domain apps' round: `IN_SERVICE`), fills it through
that schema's own (historical) models — regions, households with encrypted ID numbers,
status events, incomes, a project with its stages, an account with a role, a job, and
audit records — then runs `battlemap migrate`. Every row of every table of that schema is
still there, the audit trail is identical, and the ID numbers still decrypt.
"""

import json

from tests.exchange.test_killed_import import child as run_child
from tests.exchange.test_killed_import import database_url  # noqa: F401  (fixture)

CHILD = r"""
import datetime as dt, json, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

IN_SERVICE = [
    ("accounts", "0002_tokens_lockout_household_roles"),
    ("audit", "0002_append_only_trigger"),
    ("board", "0002_bulletin"),
    ("jobs", "0001_initial"),
    ("projects", "0001_initial"),
    ("regions", "0001_initial"),
    ("registry", "0008_unique_indexes"),
]
OURS = {label for label, _name in IN_SERVICE}


def snapshot(apps):
    from battlemap.core import crypto
    tables = {}
    for model in apps.get_models():
        if model._meta.app_label in OURS:
            tables[model._meta.db_table] = model._base_manager.count()
    Audit = apps.get_model("audit", "AuditRecord")
    audit = [
        [r.pk, r.action, r.object_type, r.object_id, r.region_code, r.actor_label, r.before, r.after]
        for r in Audit._base_manager.order_by("pk")
    ]
    Person = apps.get_model("registry", "Person")
    ids = sorted(crypto.decrypt(bytes(p.id_cipher)) for p in Person._base_manager.all())
    return {"tables": tables, "audit": audit, "ids": ids}


if sys.argv[1] == "build":
    executor = MigrationExecutor(connection)
    executor.migrate(IN_SERVICE)
    apps = MigrationExecutor(connection).loader.project_state(IN_SERVICE).apps
    from battlemap.core import crypto
    Region = apps.get_model("regions", "Region")
    county = Region.objects.create(code="341824000000", name="绩溪县", level="county")
    town = Region.objects.create(code="341824100000", name="华阳镇", level="township", parent=county)
    village = Region.objects.create(code="341824100201", name="城西村", level="village", parent=town)
    Code = apps.get_model("registry", "Code")
    code = lambda table, label=None: (
        Code.objects.filter(table=table, **({"label": label} if label else {})).order_by("sort").first()
    )
    Household = apps.get_model("registry", "Household")
    Person = apps.get_model("registry", "Person")
    Event = apps.get_model("registry", "HouseholdEvent")
    Income = apps.get_model("registry", "IncomeRecord")
    numbers = ["341824197011256534", "341824199503154521"]
    for i, number in enumerate(numbers):
        household = Household.objects.create(
            village=village, county_code="341824", number=f"H{i}", main_cause=code("poverty_cause"),
            housing_secure=bool(i), note="老住户",
        )
        Person.objects.create(
            household=household, relation=code("relation", "户主"), name=f"户主{i}",
            id_cipher=crypto.encrypt(number), id_index=crypto.blind_index(number),
            sex="1", birth_date=dt.date(1970 + i, 1, 1), health=code("health"),
            labour=code("labour"), ethnicity=code("ethnicity"),
        )
        Event.objects.create(household=household, kind="identified", date=dt.date(2015, 10, 1))
        Event.objects.create(household=household, kind="exited", date=dt.date(2018 + i, 12, 1))
        Income.objects.create(household=household, year=2019, wages=12000, production=3000)
    Project = apps.get_model("projects", "Project")
    for name in ("城西村组道硬化工程", "城西村组道硬化工程"):  # the same name twice, as in the demo
        project = Project.objects.create(
            region=village, year=2019, name=name, programme="infrastructure",
            construction_type="new", planned_start=dt.date(2019, 3, 1),
            planned_end=dt.date(2019, 10, 31), budget=300000, responsible_unit="县交通运输局",
            responsible_leader="程国庆", responsible_person="胡建华", stage="under_way",
        )
        Stage = apps.get_model("projects", "StageRecord")
        Stage.objects.create(project=project, stage="planned", date=dt.date(2018, 11, 1))
        Stage.objects.create(project=project, stage="under_way", date=dt.date(2019, 3, 1))
    User = apps.get_model("auth", "User")
    user = User.objects.create(username="township_huayang", password="!")
    apps.get_model("accounts", "RoleAssignment").objects.create(
        user=user, role="township_official", region=town
    )
    apps.get_model("jobs", "Job").objects.create(
        kind="import_registry", title="导入", owner=user, state="running", done=99, total=100
    )
    Audit = apps.get_model("audit", "AuditRecord")
    for action, obj in (("household.register", "1"), ("project.create", "1"), ("user.create", "1")):
        Audit.objects.create(
            actor_label="command:demo", action=action, object_type="registry.household",
            object_id=obj, region_code=village.code, after={"number": "H0"},
        )
    print(json.dumps(snapshot(apps), ensure_ascii=False), flush=True)
else:
    call_command("migrate", verbosity=0)
    from django.apps import apps
    # Every table of the old schema, read through the same historical models as before.
    old = MigrationExecutor(connection).loader.project_state(IN_SERVICE).apps
    print(json.dumps(snapshot(old), ensure_ascii=False), flush=True)
"""


def child(url, tmp_path, *args):
    return run_child(url, tmp_path, *args, script=CHILD, timeout=600)


def test_an_installation_in_service_upgrades_and_keeps_everything(database_url, tmp_path):  # noqa: F811
    built = child(database_url, tmp_path, "build")
    assert built.returncode == 0, built.stderr[-3000:]
    before = json.loads(built.stdout.splitlines()[-1])
    assert before["tables"]["registry_person"] == 2 and len(before["audit"]) == 3
    upgraded = child(database_url, tmp_path, "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr[-3000:]
    after = json.loads(upgraded.stdout.splitlines()[-1])
    for table, count in before["tables"].items():
        # Rows may be added by the upgrade (the audit trail of a repair), never lost.
        assert after["tables"][table] >= count, table
    assert after["audit"][: len(before["audit"])] == before["audit"]
    assert after["ids"] == before["ids"] == sorted(["341824197011256534", "341824199503154521"])
