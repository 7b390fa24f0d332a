"""The project library workbook: template, all-or-nothing import, export and back."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from battlemap.audit.models import AuditRecord
from battlemap.core.tabular import ImportFailed
from battlemap.projects.models import Project
from battlemap.projects.workbook import (
    COLUMNS,
    projects_export,
    projects_import,
    template_bytes,
)
from tests import personas
from tests.factories import ACTOR, V1, V3, member, register

from .workbooks import read, workbook

HEADERS = [c.header for c in COLUMNS]


def project(**cells) -> dict:
    row = {
        "年度": 2019,
        "项目名称": "城西村茶叶加工厂",
        "实施地点代码": V1,
        "所属工程": "产业扶贫工程",
        "建设性质": "新建",
        "计划开工": dt.date(2019, 3, 1),
        "计划完工": dt.date(2019, 10, 31),
        "概算投资（元）": 300000,
        "绩效目标": "带动20户增收",
        "责任单位": "华阳镇人民政府",
        "责任领导": "汪副镇长",
        "责任人": "程主任",
    }
    row.update(cells)
    return row


def book(rows) -> bytes:
    return workbook(rows, headers=HEADERS, sheet="项目库")


def run(rows, actor=ACTOR):
    return projects_import(actor=actor, content=book(rows), filename="库.xlsx")


def refused(rows, actor=ACTOR):
    with pytest.raises(ImportFailed) as caught:
        run(rows, actor)
    return caught.value.errors


def test_the_template_has_the_columns_and_the_programmes_as_a_list():
    wb = read(template_bytes())
    assert [c.value for c in wb["项目库"][1]] == HEADERS
    rules = {
        str(v.sqref).split(":")[0]: v.formula1 for v in wb["项目库"].data_validations.dataValidation
    }
    column = rules["E2"].split("!")[1].split(":")[0].replace("$", "")[0]
    programmes = [c.value for c in wb["代码表"][column]][1:]
    assert len(programmes) == 10 and "产业扶贫工程" in programmes


def test_a_valid_library_goes_in_once(county):
    register(county.v1, "H-9", members=[member()])
    rows = [
        project(受益贫困户="H-9"),
        project(
            项目名称="临溪村道路硬化",
            实施地点代码=V3,
            所属工程="基础设施建设工程",
            建设性质="改扩建",
        ),
    ]
    outcome = run(rows)
    assert (outcome.created, outcome.unchanged) == (2, 0)
    tea = Project.objects.get(name="城西村茶叶加工厂")
    assert tea.budget == Decimal("300000.00") and tea.programme == "industry"
    assert list(tea.beneficiaries.values_list("number", flat=True)) == ["H-9"]
    assert AuditRecord.objects.filter(action="project.create").count() == 2
    audits = AuditRecord.objects.count()
    again = run(rows)
    assert (again.created, again.unchanged) == (0, 2) and not again.changed
    assert AuditRecord.objects.count() == audits and Project.objects.count() == 2


CASES = [
    ("programme", {"所属工程": "道路工程"}, "所属工程", "不在代码表中"),
    ("end before start", {"计划完工": dt.date(2019, 1, 1)}, "计划完工", "早于计划开工"),
    ("county is not a place", {"实施地点代码": "341824000000"}, "实施地点代码", "不是村或乡镇"),
    ("negative budget", {"概算投资（元）": -1}, "概算投资（元）", "负数"),
    ("required", {"责任人": None}, "责任人", "必填"),
    ("beneficiary elsewhere", {"受益贫困户": "NOPE"}, "受益贫困户", "NOPE"),
]


@pytest.mark.parametrize(("what", "cells", "column", "words"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_names_the_row_and_column(county, what, cells, column, words):
    errors = refused([project(项目名称="另一个"), project(**cells)])
    assert [(e.row, e.column) for e in errors] == [(3, column)]
    assert words in errors[0].reason
    assert Project.objects.count() == 0


def test_a_changed_project_is_refused_and_named_a_repeated_one_too(county):
    run([project()])
    errors = refused([project(**{"概算投资（元）": 350000})])
    assert errors[0].column == "概算投资（元）" and "项目页面" in errors[0].reason
    errors = refused([project(项目名称="新"), project(项目名称="新")])
    assert {(e.row, e.column) for e in errors} == {(2, "项目名称"), (3, "项目名称")}


def test_a_user_imports_only_into_places_they_manage(county):
    township = personas.cadre(county.huayang, role="township_official")
    errors = refused([project(), project(项目名称="临溪", 实施地点代码=V3)], actor=township)
    assert [(e.row, e.column) for e in errors] == [(3, "实施地点代码")]
    assert "没有管理该地项目的权限" in errors[0].reason


def test_export_then_import_is_a_no_op_and_formulas_stay_text(county):
    run([project(项目名称='=HYPERLINK("x")'), project(项目名称="临溪", 实施地点代码=V3)])
    admin = personas.county_admin(county.county)
    _name, content = projects_export(admin, "341824000000")
    cell = read(content)["项目库"]["C2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert read(content)["项目库"]["Q2"].value == "谋划"
    assert read(content)["项目库"]["A2"].value == "341824-2019-0001"
    outcome = projects_import(actor=admin, content=content, filename="e.xlsx")
    assert (outcome.created, outcome.unchanged) == (0, 2)
    township = personas.cadre(county.huayang, username="t", role="township_official")
    rows = list(
        read(projects_export(township, "341824100000")[1])["项目库"].iter_rows(
            min_row=2, values_only=True
        )
    )
    assert [r[3] for r in rows] == [V1]


def test_commands_and_the_upload_page(county, tmp_path, capsys, client):
    path = tmp_path / "库.xlsx"
    path.write_bytes(book([project(所属工程="道路")]))
    with pytest.raises(CommandError):
        call_command("import_projects", str(path), "--quiet")
    assert "工作表“项目库” 第2行 列“所属工程” 值“道路”" in capsys.readouterr().err
    assert (tmp_path / "库-错误报告.xlsx").exists()
    path.write_bytes(book([project()]))
    call_command("import_projects", str(path), "--quiet")
    assert "新入项目库: 1" in capsys.readouterr().out
    call_command("export_projects", "--region", "341824", str(tmp_path / "out.xlsx"))
    assert read((tmp_path / "out.xlsx").read_bytes())["项目库"]["C2"].value == "城西村茶叶加工厂"
    call_command("template", "projects", str(tmp_path / "t.xlsx"))
    client.force_login(personas.cadre(county.huayang, role="township_official"))
    page = client.get(reverse("exchange:projects-import")).content.decode()
    assert "导入扶贫项目库" in page
    response = client.post(reverse("exchange:projects-export", args=["341824100000"]))
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    client.force_login(personas.holder(county.county, username="leader", role="leader"))
    assert client.get(reverse("exchange:projects-import")).status_code == 403


def test_the_export_is_the_template_with_the_librarys_rows(county):
    run([project()])
    admin = personas.county_admin(county.county)
    exported = read(projects_export(admin, "341824000000")[1])
    template = read(template_bytes())
    assert exported.sheetnames == template.sheetnames
    assert [c.value for c in exported["项目库"][1]] == HEADERS

    def rules(wb):
        return {
            (str(v.sqref).split(":")[0], v.formula1)
            for v in wb["项目库"].data_validations.dataValidation
        }

    assert rules(exported) == rules(template) and rules(exported)
    assert [[c.value for c in r] for r in exported["代码表"].iter_rows()] == [
        [c.value for c in r] for r in template["代码表"].iter_rows()
    ]


def test_projects_are_known_by_their_number(county):
    """Same name, year and place twice: two projects, told apart by their numbers."""
    twins = [project(项目编号="3418242019A01"), project(项目编号="3418242019A02")]
    assert run(twins).created == 2
    assert sorted(Project.objects.values_list("number", flat=True)) == [
        "3418242019A01",
        "3418242019A02",
    ]
    again = run(twins)
    assert (again.created, again.unchanged) == (0, 2)
    # A new row without a number gets Battlemap's own; the provincial ones stay.
    assert run([project(项目名称="临溪村道路", 实施地点代码=V3)]).created == 1
    assert Project.objects.get(name="临溪村道路").number == "341824-2019-0001"
    # Without a number, a name the library holds twice is ambiguous: the number is asked for.
    errors = refused([project()])
    assert errors[0].column == "项目名称" and "项目编号" in errors[0].reason
    assert errors[0].kind == "与项目库冲突"
    changed = refused([project(项目编号="3418242019A01", **{"概算投资（元）": 1})])
    assert changed[0].column == "概算投资（元）" and changed[0].kind == "与项目库冲突"
    repeated = refused([project(项目编号="X1"), project(项目编号="X1", 项目名称="另一个")])
    assert {(e.row, e.column) for e in repeated} == {(2, "项目编号"), (3, "项目编号")}


def test_the_number_is_unique_in_a_county_and_year(county):
    from django.db import IntegrityError, transaction

    from battlemap.core.errors import Conflict
    from tests.factories import make_project

    first = make_project(county.v1, "甲")
    second = make_project(county.v3, "乙")
    assert (first.number, second.number) == ("341824-2019-0001", "341824-2019-0002")
    assert make_project(county.v1, "丙", year=2020).number == "341824-2020-0001"
    with pytest.raises(Conflict, match="341824-2019-0001"):
        make_project(county.v1, "丁", number="341824-2019-0001")
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=second.pk).update(number=first.number)


def test_planned_dates_ahead_go_in_as_excel_dates_too(county, today):
    """A plan's dates lie ahead: as Excel date cells (what an export writes) as well as text."""
    ahead = dt.datetime.combine(today + dt.timedelta(days=300), dt.time())
    outcome = run([project(年度=today.year, 计划开工=ahead, 计划完工=ahead)])
    assert outcome.created == 1
    assert Project.objects.get().planned_end == ahead.date()
