"""Every number of every workbook kind fits its column (issue 13, finding 4).

A 家庭年人均纯收入 of 1e20 once imported on SQLite and then broke every page showing it
(decimal.InvalidOperation), and died with "numeric field overflow" on PostgreSQL. Each
numeric column takes its model field's largest value and refuses one more, naming row,
column and the maximum.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import Workbook

from battlemap.core.errors import ValidationFailed
from battlemap.core.tabular import ImportFailed, field_range
from battlemap.projects import workbook as projects_workbook
from battlemap.projects.models import Project
from battlemap.projects.services import project_create
from battlemap.projects.workbook import projects_import
from battlemap.regions.models import RegionPopulation
from battlemap.regions.services import regions_import_workbook
from battlemap.registry import workbook as registry_workbook
from battlemap.registry.models import Household, IncomeRecord
from battlemap.registry.services import income_record_set
from battlemap.registry.workbook_export import registry_export
from battlemap.registry.workbook_import import registry_import
from tests import personas
from tests.factories import ACTOR, V1, register

from .test_projects import project
from .workbooks import person, workbook

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")
INCOME = IncomeRecord._meta.get_field("declared_net_per_person")
BUDGET = Project._meta.get_field("budget")
REGISTERED = RegionPopulation._meta.get_field("registered")
RURAL = RegionPopulation._meta.get_field("rural")


def test_the_range_is_derived_from_the_field():
    assert field_range(INCOME) == (Decimal("-9999999999.99"), Decimal("9999999999.99"))
    assert field_range(BUDGET)[1] == Decimal("999999999999.99")
    assert field_range(REGISTERED) == (0, 2147483647)


@pytest.mark.parametrize("module", [registry_workbook, projects_workbook])
def test_every_number_column_names_the_field_that_bounds_it(module):
    numbers = [c for c in module.COLUMNS if c.kind == "decimal"]
    assert numbers
    assert all(c.field is not None for c in numbers), [c.header for c in numbers]


def _registry(value):
    content = workbook([person("HH1", 家庭年人均纯收入=value, 收入年度=2019)])
    return lambda: registry_import(actor=ACTOR, content=content, filename="户.xlsx")


def _projects(value):
    content = workbook(
        [project(**{"概算投资（元）": value})],
        headers=[c.header for c in projects_workbook.COLUMNS],
        sheet="项目库",
    )
    return lambda: projects_import(actor=ACTOR, content=content, filename="库.xlsx")


def _regions(registered, rural):
    wb = Workbook()
    wb.active.title = "区划"
    wb.active.append(["代码", "名称", "上级代码"])
    population = wb.create_sheet("人口")
    population.append(["代码", "年份", "户籍人口", "农村户籍人口"])
    population.append([V1, 2019, registered, rural])
    return lambda: regions_import_workbook(actor=ACTOR, workbook=wb)


TOP_PEOPLE = field_range(REGISTERED)[1]


# (kind, column, the field, how a file with that value is imported, the sheet's data row)
NUMBER_COLUMNS = [
    ("registry", "家庭年人均纯收入", INCOME, _registry, 2),
    ("projects", "概算投资（元）", BUDGET, _projects, 2),
    ("regions", "户籍人口", REGISTERED, lambda v: _regions(v, 1), 2),
    # Never above the registered population, itself at most its own maximum.
    ("regions", "农村户籍人口", RURAL, lambda v: _regions(TOP_PEOPLE, v), 2),
]


def _past(top):
    return top + (CENT if isinstance(top, Decimal) else 1)


@pytest.mark.parametrize(
    ("kind", "column", "field", "make", "row"), NUMBER_COLUMNS, ids=[c[1] for c in NUMBER_COLUMNS]
)
def test_a_number_column_takes_its_limit_and_refuses_one_more(
    county, kind, column, field, make, row
):
    top = field_range(field)[1]
    make(top)()  # taken
    for value in (_past(top), 1e20, "1e30"):
        with pytest.raises(ImportFailed) as caught:
            make(value)()
        errors = [(e.row, e.column) for e in caught.value.errors]
        assert errors == [(row, column)], (value, caught.value.errors)
        if value != "1e30":
            assert f"{top:,}" in caught.value.errors[0].reason


def test_the_largest_income_shows_on_every_page_and_export(county):
    """The pages that once answered 500 after a 1e20: with the largest figure, all work."""
    top = field_range(INCOME)[1]
    _registry(top)()
    household = Household.objects.get(number="HH1")
    admin = personas.county_admin(county.county)
    client = Client()
    client.force_login(admin)
    for url in (
        f"/households/{household.pk}/",
        f"/api/v1/households/{household.pk}/",
        f"/map/{V1}/households/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "9,999,999,999.99" in response.content.decode() or "9999999999.99" in (
            response.content.decode()
        )
    _name, content = registry_export(admin, V1)
    assert content


def test_services_refuse_a_number_their_column_cannot_hold(county):
    household = register(county.v1, "HH9")
    with pytest.raises(ValidationFailed) as caught:
        income_record_set(
            actor=ACTOR, household=household, year=2019, declared_net_per_person=Decimal("1e20")
        )
    assert "9,999,999,999.99" in str(caught.value)
    with pytest.raises(ValidationFailed) as caught:
        project_create(
            actor=ACTOR,
            region=county.v1,
            name="大项目",
            year=2019,
            programme="industry",
            construction_type="new",
            planned_start=dt.date(2019, 3, 1),
            planned_end=dt.date(2019, 9, 1),
            budget=Decimal("1e15"),
            responsible_unit="镇政府",
            responsible_leader="某",
            responsible_person="某",
        )
    assert caught.value.field == "budget"


def test_the_new_project_page_refuses_a_budget_past_its_column(county):
    admin = Client()
    admin.force_login(personas.county_admin(county.county))
    data = {
        "region": county.v3.code,
        "year": "2019",
        "name": "临溪村产业路",
        "programme": "infrastructure",
        "construction_type": "new",
        "planned_start": "2019-03-01",
        "planned_end": "2019-09-30",
        "budget": "1000000000000",
        "performance_target": "带动8户增收",
        "responsible_unit": "临溪镇人民政府",
        "responsible_leader": "程国庆",
        "responsible_person": "汪红梅",
    }
    response = admin.post("/projects/new/", data)
    assert response.status_code == 200 and "999,999,999,999.99" in response.content.decode()
    assert not Project.objects.exists()
    taken = admin.post("/projects/new/", {**data, "budget": "999999999999.99"})
    assert taken.status_code == 302
    assert Project.objects.get().budget == Decimal("999999999999.99")
