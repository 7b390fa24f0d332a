"""battlemap import_regions: real .xlsx files, all-or-nothing, errors naming row and column."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from battlemap.audit.models import AuditRecord
from battlemap.core.tabular import ImportFailed
from battlemap.regions.models import Region, RegionPopulation, VillageStatusEvent
from battlemap.regions.services import regions_import_workbook
from tests.factories import ACTOR

pytestmark = pytest.mark.django_db

REGIONS = [
    ("341824000000", "绩溪县", ""),
    ("341824100000", "华阳镇", "341824000000"),
    ("341824101000", "临溪镇", "341824000000"),
    ("341824100201", "城西村", "341824100000"),
    ("341824100202", "龙川村", "341824100000"),
    ("341824101201", "临溪村", "341824101000"),
    ("341824101202", "湖村", "341824101000"),
]
POPULATION = [
    ("341824000000", 2019, 160000, 120000),
    ("341824100201", 2019, 1000, 900),
    ("341824100201", 2020, 1050, 950),
    ("341824101202", 2020, 600, 500),
]
POOR = [
    # An Excel date cell, and dates typed as text: both must work.
    ("341824100201", dt.date(2014, 10, 1), "2019-11-30"),
    ("341824101201", "2014年10月1日", None),
    ("341824101202", "2014/10/01", dt.datetime(2020, 9, 30)),  # noqa: DTZ001 (Excel cell)
]


def write(path, regions=REGIONS, population=POPULATION, poor=POOR):
    """An .xlsx with the three sheets; a sheet given as None is left out."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows in (
        ("区划", ["代码", "名称", "上级代码"], regions),
        ("人口", ["代码", "年份", "户籍人口", "农村户籍人口"], population),
        ("贫困村", ["代码", "认定日期", "出列日期"], poor),
    ):
        if rows is None:
            continue
        ws = wb.create_sheet(title)
        ws.append(header)
        for row in rows:
            ws.append(list(row))
    wb.save(path)
    return str(path)


def run(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_regions", path, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_regions", path, stdout=out, stderr=err)
    lines = [line for line in err.getvalue().splitlines() if line.strip()]
    return exc.value, lines


def snapshot():
    return (
        list(Region.objects.values_list("code", "name", "parent_id", "level")),
        list(RegionPopulation.objects.values_list("region_id", "year", "registered", "rural")),
        list(VillageStatusEvent.objects.values_list("region_id", "kind", "date")),
        AuditRecord.objects.count(),
    )


# --- a good workbook ----------------------------------------------------------------------------


def test_good_workbook_loads(tmp_path):
    out, err = run(write(tmp_path / "regions.xlsx"))
    assert "新增区划7个" in out
    assert "人口数据4条" in out
    assert "贫困村状态3条" in out
    assert err == ""
    assert Region.objects.count() == 7
    county = Region.objects.get(code="341824000000")
    assert (county.name, county.level, county.parent) == ("绩溪县", "county", None)
    township = Region.objects.get(code="341824100000")
    assert (township.level, township.parent_id) == ("township", "341824000000")
    village = Region.objects.get(code="341824101202")
    assert (village.name, village.level, village.parent_id) == ("湖村", "village", "341824101000")
    assert set(county.children.values_list("code", flat=True)) == {"341824100000", "341824101000"}
    assert RegionPopulation.objects.get(region_id="341824100201", year=2020).rural == 950
    assert RegionPopulation.objects.get(region_id="341824000000", year=2019).registered == 160000


def test_dates_as_excel_cells_and_as_text(tmp_path):
    run(write(tmp_path / "regions.xlsx"))
    events = set(VillageStatusEvent.objects.values_list("region_id", "kind", "date"))
    assert events == {
        ("341824100201", "identified", dt.date(2014, 10, 1)),
        ("341824100201", "exited", dt.date(2019, 11, 30)),
        ("341824101201", "identified", dt.date(2014, 10, 1)),
        ("341824101202", "identified", dt.date(2014, 10, 1)),
        ("341824101202", "exited", dt.date(2020, 9, 30)),
    }


def test_codes_as_numeric_cells(tmp_path):
    regions = [(int(code), name, int(parent) if parent else None) for code, name, parent in REGIONS]
    run(write(tmp_path / "regions.xlsx", regions=regions, population=[], poor=[]))
    assert set(Region.objects.values_list("code", flat=True)) == {c for c, _n, _p in REGIONS}


def test_regions_sheet_alone_is_enough(tmp_path):
    run(write(tmp_path / "regions.xlsx", population=None, poor=None))
    assert Region.objects.count() == 7
    assert not RegionPopulation.objects.exists()


def test_the_import_is_audited_as_the_command(tmp_path):
    run(write(tmp_path / "regions.xlsx"))
    records = AuditRecord.objects.all()
    assert records.count() == 7 + 4 + 3
    assert set(records.values_list("actor_label", flat=True)) == {"command:import_regions"}
    assert set(records.values_list("action", flat=True)) == {
        "region.create",
        "population.set",
        "village.poverty_status",
    }
    assert all(r.actor_id is None for r in records)
    created = records.get(action="region.create", object_id="341824100201")
    assert created.after == {"name": "城西村", "parent": "341824100000", "level": "village"}
    assert created.region_code == "341824100201"


def test_importing_again_changes_nothing(tmp_path):
    path = write(tmp_path / "regions.xlsx")
    run(path)
    before = snapshot()
    out, _err = run(path)
    assert "没有变化" in out
    assert snapshot() == before


def test_changed_rows_are_updated_and_audited(tmp_path):
    run(write(tmp_path / "regions.xlsx"))
    audits = AuditRecord.objects.count()
    regions = [(c, "新绩溪县" if c == "341824000000" else n, p) for c, n, p in REGIONS]
    population = [*POPULATION[:-1], ("341824101202", 2020, 610, 505)]
    poor = [POOR[0], (POOR[1][0], "2014-10-01", "2020-10-01"), POOR[2]]
    out, _err = run(write(tmp_path / "changed.xlsx", regions, population, poor))
    assert "新增区划0个，更新1个" in out
    assert "人口数据1条" in out
    assert "贫困村状态1条" in out
    assert AuditRecord.objects.count() == audits + 3
    assert Region.objects.get(code="341824000000").name == "新绩溪县"
    update = AuditRecord.objects.get(action="region.update")
    assert update.before["name"] == "绩溪县" and update.after["name"] == "新绩溪县"
    assert RegionPopulation.objects.get(region_id="341824101202", year=2020).rural == 505
    assert VillageStatusEvent.objects.get(region_id="341824101201", kind="exited").date == dt.date(
        2020, 10, 1
    )


def test_children_may_come_before_parents_in_the_sheet(tmp_path):
    run(write(tmp_path / "regions.xlsx", regions=list(reversed(REGIONS)), population=[], poor=[]))
    assert Region.objects.get(code="341824101201").parent_id == "341824101000"


def test_parents_already_in_the_system_are_accepted(tmp_path):
    run(write(tmp_path / "a.xlsx", regions=REGIONS[:3], population=[], poor=[]))
    run(write(tmp_path / "b.xlsx", regions=REGIONS[3:], population=[], poor=[]))
    assert Region.objects.get(code="341824100202").parent_id == "341824100000"


# --- refused workbooks --------------------------------------------------------------------------


def assert_refused_without_change(path):
    before = snapshot()
    error, lines = run_failing(path)
    assert snapshot() == before
    return error, lines


def test_unknown_parent_names_row_and_column(tmp_path):
    regions = [*REGIONS, ("341824102201", "某村", "341824102000")]  # Excel row 9
    error, lines = assert_refused_without_change(write(tmp_path / "r.xlsx", regions))
    assert len(lines) == 1
    assert "第9行" in lines[0]
    assert "上级代码" in lines[0]
    assert "341824102000" in lines[0]
    assert "1处错误" in str(error)


def test_parent_that_is_not_an_ancestor_is_refused(tmp_path):
    regions = [*REGIONS, ("341824101203", "错挂村", "341824100000")]  # Excel row 9
    _error, lines = assert_refused_without_change(write(tmp_path / "r.xlsx", regions))
    assert len(lines) == 1
    assert "第9行" in lines[0] and "上级代码" in lines[0]


@pytest.mark.parametrize("bad", ["34182410020", "3418241002011", "34182410020X", "abc"])
def test_bad_code_names_row_and_column(tmp_path, bad):
    regions = [*REGIONS[:4], (bad, "坏村", "341824100000"), *REGIONS[4:]]  # Excel row 6
    _error, lines = assert_refused_without_change(write(tmp_path / "r.xlsx", regions))
    assert len(lines) == 1
    assert "第6行" in lines[0]
    assert "列“代码”" in lines[0]
    assert bad in lines[0]
    assert "12位" in lines[0]


def test_duplicate_code_names_both_rows(tmp_path):
    regions = [*REGIONS, ("341824100201", "城西村", "341824100000")]  # Excel row 9; first at 5
    _error, lines = assert_refused_without_change(write(tmp_path / "r.xlsx", regions))
    assert len(lines) == 1
    assert "第9行" in lines[0] and "列“代码”" in lines[0] and "第5行" in lines[0]


def test_row_numbers_are_excel_rows_even_after_blank_rows(tmp_path):
    regions = [*REGIONS[:3], (None, None, None), (None, None, None), ("bad", "坏村", "")]
    _error, lines = assert_refused_without_change(write(tmp_path / "r.xlsx", regions, [], []))
    assert len(lines) == 1 and "第7行" in lines[0]


def test_every_error_is_one_line_on_stderr(tmp_path):
    regions = [
        *REGIONS,
        ("341824100201", "重复", "341824100000"),  # row 9: duplicate
        ("341824102201", "孤村", "341824102000"),  # row 10: unknown parent
        ("12345", "坏代码", ""),  # row 11: bad code
        ("341824101203", "", "341824101000"),  # row 12: empty name
    ]
    population = [
        ("341824100201", 2019, 100, 200),  # row 2: rural > registered
        ("341824100202", "两千", 100, 50),  # row 3: year not a number
        ("341824100202", 2099, 100, 50),  # row 4: future year
        ("341899000000", 2019, 100, 50),  # row 5: unknown region
    ]
    poor = [
        ("341824100000", "2014-10-01", None),  # row 2: a township
        ("341824100202", "2014-13-01", None),  # row 3: no such date
        ("341824101201", "2019-01-01", "2018-01-01"),  # row 4: exit before identification
        ("341824101202", None, None),  # row 5: identification missing
    ]
    error, lines = assert_refused_without_change(
        write(tmp_path / "r.xlsx", regions, population, poor)
    )
    assert len(lines) == 12
    assert "12处错误" in str(error)
    expected = [
        ("区划", 9, "代码"),
        ("区划", 10, "上级代码"),
        ("区划", 11, "代码"),
        ("区划", 12, "名称"),
        ("人口", 2, "农村户籍人口"),
        ("人口", 3, "年份"),
        ("人口", 4, "年份"),
        ("人口", 5, "代码"),
        ("贫困村", 2, "代码"),
        ("贫困村", 3, "认定日期"),
        ("贫困村", 4, "出列日期"),
        ("贫困村", 5, "认定日期"),
    ]
    for sheet, row, column in expected:
        assert any(
            f"工作表“{sheet}”" in line and f"第{row}行" in line and f"列“{column}”" in line
            for line in lines
        ), (sheet, row, column, lines)


def test_failed_import_changes_nothing_already_loaded(tmp_path):
    run(write(tmp_path / "good.xlsx"))
    regions = [(c, n + "改" if c == "341824000000" else n, p) for c, n, p in REGIONS] + [
        ("341824102000", "新镇", "341824000000"),
        ("bad", "坏", ""),
    ]
    population = [("341824100202", 2020, 800, 700)]
    poor = [("341824100202", "2016-01-01", None)]
    before = snapshot()
    assert before[3] > 0
    run_failing(write(tmp_path / "bad.xlsx", regions, population, poor))
    assert snapshot() == before
    assert Region.objects.get(code="341824000000").name == "绩溪县"


def test_missing_columns_are_reported(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "区划"
    ws.append(["代码", "名字"])
    ws.append(["341824000000", "绩溪县"])
    wb.save(tmp_path / "r.xlsx")
    _error, lines = assert_refused_without_change(str(tmp_path / "r.xlsx"))
    assert any("第1行" in line and "名称" in line for line in lines)
    assert any("第1行" in line and "上级代码" in line for line in lines)


def test_missing_regions_sheet_is_reported(tmp_path):
    _error, lines = assert_refused_without_change(
        write(tmp_path / "r.xlsx", regions=None, population=POPULATION, poor=None)
    )
    assert len(lines) == 1 and "区划" in lines[0]


def test_service_raises_import_failed_with_structured_errors(tmp_path):
    regions = [*REGIONS, ("341824102201", "某村", "341824102000")]
    workbook = load_workbook(write(tmp_path / "r.xlsx", regions), read_only=True)
    with pytest.raises(ImportFailed) as exc:
        regions_import_workbook(actor=ACTOR, workbook=workbook)
    [error] = exc.value.errors
    assert (error.sheet, error.row, error.column, error.value) == (
        "区划",
        9,
        "上级代码",
        "341824102000",
    )
    assert not Region.objects.exists()


@pytest.mark.parametrize("content", [None, b"not a spreadsheet", b"PK\x03\x04broken"])
def test_unreadable_file_is_a_command_error(tmp_path, content):
    path = tmp_path / "r.xlsx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("import_regions", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_a_csv_file_is_a_command_error(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("代码,名称,上级代码\n341824000000,绩溪县,\n")
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("import_regions", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not Region.objects.exists()
