"""Migration projects/0002 numbers the projects already in the library, per county and
year in the order they entered, as project_create numbers new ones."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import V1, V3, make_county

BEFORE = [("projects", "0001_initial")]
AFTER = [("projects", "0002_project_number")]


@pytest.mark.django_db(transaction=True)
def test_existing_projects_are_numbered():
    make_county(population=False)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("projects", "Project")
    common = {
        "programme": "infrastructure",
        "construction_type": "new",
        "planned_start": dt.date(2019, 3, 1),
        "planned_end": dt.date(2019, 9, 1),
        "budget": 1,
        "responsible_unit": "u",
        "responsible_leader": "l",
        "responsible_person": "p",
    }
    ids = [
        old.objects.create(region_id=region, year=year, name=name, **common).pk
        for region, year, name in (
            (V3, 2019, "同名"),
            (V1, 2019, "同名"),
            (V1, 2019, "同名"),
            (V1, 2020, "次年"),
        )
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    from battlemap.projects.models import Project

    numbers = dict(Project.objects.values_list("pk", "number"))
    assert [numbers[pk] for pk in ids] == [
        "341824-2019-0001",  # in the order they entered, per county and year
        "341824-2019-0002",
        "341824-2019-0003",
        "341824-2020-0001",
    ]
