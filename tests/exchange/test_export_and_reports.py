import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from battlemap.audit.models import AuditRecord
from battlemap.registry import services
from battlemap.registry.models import Household, HouseholdEvent, Person
from battlemap.registry.workbook import COLUMNS, template_bytes
from battlemap.registry.workbook_export import registry_export
from battlemap.registry.workbook_import import registry_import
from tests import personas
from tests.factories import ACTOR, member, register

from .workbooks import person_sheet_as_csv, read, sample, workbook


def export(user, code="341824"):
    return registry_export(user, code.ljust(12, "0"))[1]


def test_the_template_has_the_columns_drop_downs_and_notes():
    wb = read(template_bytes())
    assert wb.sheetnames == ["人员", "代码表", "户状态变更", "填写说明"]
    persons = wb["人员"]
    assert [c.value for c in persons[1]] == [c.header for c in COLUMNS]
    lists = {
        str(v.sqref).split(":")[0]: v.formula1 for v in persons.data_validations.dataValidation
    }
    assert lists["C2"].startswith("'代码表'!")  # 与户主关系
    codes = wb["代码表"]
    assert wb["代码表"].sheet_state == "hidden"
    relation_column = [
        c.value for c in codes[lists["C2"].split("!")[1].split(":")[0].replace("$", "")[0]]
    ]
    assert relation_column[1:21] == [
        "户主",
        "配偶",
        "之子",
        "之女",
        "之儿媳",
        "之女婿",
        "之孙子",
        "之孙女",
        "之外孙子",
        "之外孙女",
        "之父",
        "之母",
        "之岳父",
        "之岳母",
        "之公公",
        "之婆婆",
        "之祖父",
        "之祖母",
        "之兄弟姐妹",
        "其他",
    ]
    notes = [row[0] for row in wb["填写说明"].iter_rows(values_only=True)]
    assert all(c.header in notes for c in COLUMNS)


def test_the_template_command_writes_the_template(tmp_path):
    call_command("template", "registry", str(tmp_path / "t.xlsx"))
    assert read((tmp_path / "t.xlsx").read_bytes()).sheetnames[0] == "人员"


def test_export_then_import_is_a_no_op(county):
    registry_import(
        actor=ACTOR,
        content=workbook(sample(), [["HH2", "返贫", dt.date(2019, 3, 1), "病"]]),
        filename="a.xlsx",
    )
    household = register(county.v3, "N-1", members=[member(), member("配偶")])
    services.household_event_add(
        actor=ACTOR, household=household, kind="removed", date=dt.date(2016, 1, 1)
    )
    services.household_event_add(
        actor=ACTOR, household=household, kind="newly_identified", date=dt.date(2017, 1, 1)
    )
    services.income_record_set(actor=ACTOR, household=household, year=2018, wages=5000, costs=100)
    admin = personas.county_admin(county.county)
    content = export(admin)
    before = (Person.objects.count(), HouseholdEvent.objects.count(), AuditRecord.objects.count())
    outcome = registry_import(actor=admin, content=content, filename="export.xlsx")
    assert not outcome.changed, outcome.summary()
    assert outcome.persons == Person.objects.count()
    assert (
        Person.objects.count(),
        HouseholdEvent.objects.count(),
        AuditRecord.objects.count(),
    ) == before


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_the_person_sheet_saved_as_csv_imports_as_a_no_op(county, encoding):
    # A household first identified by a new identification (新识别) and one that
    # returned to poverty: events a CSV, one sheet, cannot carry.
    registry_import(
        actor=ACTOR,
        content=workbook(sample(), [["HH2", "返贫", dt.date(2019, 3, 1), "病"]]),
        filename="a.xlsx",
    )
    household = register(county.v3, "N-1", members=[member(), member("配偶")])
    services.household_event_add(
        actor=ACTOR, household=household, kind="removed", date=dt.date(2016, 1, 1)
    )
    services.household_event_add(
        actor=ACTOR, household=household, kind="newly_identified", date=dt.date(2016, 11, 1)
    )
    admin = personas.county_admin(county.county)
    content = person_sheet_as_csv(export(admin), encoding)
    before = (HouseholdEvent.objects.count(), AuditRecord.objects.count())
    outcome = registry_import(actor=admin, content=content, filename="人员.csv")
    assert not outcome.changed, outcome.summary()
    assert (HouseholdEvent.objects.count(), AuditRecord.objects.count()) == before


def test_the_code_sheet_is_headed_in_chinese():
    headings = [c.value for c in read(template_bytes())["代码表"][1]]
    assert "文化程度" in headings and "民族" in headings and "健康状况" in headings
    assert all(not heading.isascii() for heading in headings), headings


def test_the_export_shows_only_what_the_user_may_see_masked_unless_allowed(county):
    registry_import(actor=ACTOR, content=workbook(sample()), filename="a.xlsx")
    leader = personas.holder(county.county, username="leader", role="leader")
    ws = read(export(leader))["人员"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    ids = [r[4] for r in rows]
    assert len(ids) == 5 and all("*" in i for i in ids)
    assert all("*" in r[17] for r in rows if r[17])  # phones masked
    cadre = personas.cadre(county.v2)  # reveals one at a time, exports masked
    rows = list(read(export(cadre, "341824100202"))["人员"].iter_rows(min_row=2, values_only=True))
    assert {r[1] for r in rows} == {"HH2"} and all("*" in r[4] for r in rows)
    township = personas.cadre(county.huayang, username="th", role="township_official")
    rows = list(
        read(export(township, "341824100000"))["人员"].iter_rows(min_row=2, values_only=True)
    )
    assert len(rows) == 5 and all("*" not in r[4] for r in rows)
    with pytest.raises(Exception) as outside:
        export(cadre, "341824100201")
    assert outside.value.__class__.__name__ == "Http404"
    # A masked file cannot be imported back: the message says why and what to do.
    with pytest.raises(Exception) as masked:
        registry_import(actor=ACTOR, content=export(leader), filename="m.xlsx")
    assert "已脱敏" in masked.value.errors[0].reason


def test_cells_that_look_like_formulas_are_exported_as_text(county):
    household = register(county.v1, "F-1", members=[member(name='=HYPERLINK("http://x","点")')])
    services.household_update(
        actor=ACTOR,
        household=household,
        expected_version=household.version,
        note="+cmd|' /C calc'!A0",
    )
    content = export(personas.county_admin(county.county))
    ws = read(content)["人员"]
    name, note = ws.cell(2, 4), ws.cell(2, 26)
    assert name.data_type == "s" and name.value.startswith("=HYPERLINK")
    assert note.data_type == "s" and note.value.startswith("+cmd")
    assert name.quotePrefix and note.quotePrefix
    assert "f>" not in _sheet_xml(content)  # no formula element anywhere in the sheet
    outcome = registry_import(actor=ACTOR, content=content, filename="f.xlsx")
    assert not outcome.changed


def _sheet_xml(content: bytes) -> str:
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()


def test_the_error_workbook_marks_each_bad_cell_and_sums_up(county, tmp_path):
    rows = sample()
    rows[0]["健康状况"] = "良好"
    rows[2]["证件号码"] = "110105194912310021"
    path = tmp_path / "村.xlsx"
    path.write_bytes(workbook(rows))
    with pytest.raises(CommandError):
        call_command("import_registry", str(path), "--quiet")
    wb = read((tmp_path / "村-错误报告.xlsx").read_bytes())
    assert wb.sheetnames[0] == "导入结果"
    persons = wb["人员"]
    headers = [c.value for c in persons[1]]
    note = headers.index("错误说明") + 1
    health, ident = headers.index("健康状况") + 1, headers.index("证件号码") + 1
    assert persons.cell(2, health).fill.fgColor.rgb.endswith("FFC7CE")
    assert persons.cell(4, ident).fill.fgColor.rgb.endswith("FFC7CE")
    assert persons.cell(3, health).fill.fgColor.rgb in (None, "00000000")
    assert (
        "健康状况：" in persons.cell(2, note).value and "证件号码：" in persons.cell(4, note).value
    )
    assert persons.cell(3, note).value is None
    summary = {r[0]: r[1] for r in wb["导入结果"].iter_rows(values_only=True) if r and r[0]}
    assert summary["读取行数"] == 5 and summary["户数"] == 2 and summary["错误总数"] == 2
    assert summary["不在代码表中"] == 1 and summary["证件号码无效"] == 1
    assert Household.objects.count() == 0


def test_the_command_prints_one_line_per_error_and_fails(county, tmp_path, capsys):
    rows = sample()
    rows[0]["健康状况"] = "良好"
    path = tmp_path / "x.xlsx"
    path.write_bytes(workbook(rows))
    with pytest.raises(CommandError):
        call_command("import_registry", str(path), "--quiet")
    err = capsys.readouterr().err
    assert "工作表“人员” 第2行 列“健康状况” 值“良好”：“良好”不在代码表中" in err


def test_the_command_imports_and_says_when_nothing_changed(county, tmp_path, capsys):
    path = tmp_path / "x.xlsx"
    path.write_bytes(workbook(sample()))
    call_command("import_registry", str(path), "--quiet")
    assert "新登记户: 2" in capsys.readouterr().out
    call_command("import_registry", str(path), "--quiet")
    assert "没有任何改动" in capsys.readouterr().out


def test_upload_page_runs_the_import_as_the_users_job(
    county, client, django_capture_on_commit_callbacks
):
    from battlemap.jobs.models import Job
    from battlemap.jobs.services import run_job

    cadre = personas.cadre(county.huayang, role="township_official")
    client.force_login(cadre)
    page = client.get(reverse("exchange:registry-import"))
    assert page.status_code == 200 and "下载模板" in page.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("华阳.xlsx", workbook(sample()))
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("exchange:registry-import"), {"file": upload})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "jobs:detail", args=[job.pk]
    )
    assert job.owner == cadre and job.kind == "import_registry"
    run_job(job.pk)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "导入完成" in page and "新登记户" in page
    assert Household.objects.count() == 2
    # A non-xlsx file is refused at the form, with a message.
    bad = client.post(
        reverse("exchange:registry-import"), {"file": SimpleUploadedFile("a.xls", b"x")}
    ).content.decode()
    assert "另存为 .xlsx" in bad
    client.force_login(personas.holder(county.county, username="leader", role="leader"))
    assert client.get(reverse("exchange:registry-import")).status_code == 403
