"""The registry workbook (建档立卡人员表): its columns, the template, and reading it.

One sheet `人员`, one row per person, the household's columns repeated on each of its
rows; an optional sheet `户状态变更` for status events beyond the first identification
and exit. The same definition writes the template, reads uploads (.xlsx, or .csv for the
person sheet alone) and writes exports, so the three cannot drift apart.
"""

import io
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from battlemap.core.tabular import RowError, SheetRow
from battlemap.core.workbook import (
    Column,
    code_list_sheet,
    csv_rows,
    drop_downs,
    missing_sheet,
    notes_sheet,
    open_xlsx,
    read_rows,
    required_headers,
    write_header,
)
from battlemap.registry.codebook import TABLES
from battlemap.registry.models import CodeTable, IncomeRecord

PERSONS = "人员"
EVENTS = "户状态变更"
NOTES = "填写说明"

HOUSEHOLD, PERSON = "household", "person"


C = Column
COLUMNS: list[Column] = [
    C(
        "村级区划代码",
        "village",
        HOUSEHOLD,
        "region",
        True,
        width=15,
        help=gettext_lazy("12位村级统计用区划代码。"),
    ),
    C(
        "户编号",
        "number",
        HOUSEHOLD,
        "text",
        True,
        width=16,
        help=gettext_lazy("全县唯一；同一户的各成员填相同的户编号。"),
    ),
    C("与户主关系", "relation", PERSON, "code", True, "relation", 11),
    C("姓名", "name", PERSON, "text", True, width=10),
    C(
        "证件号码",
        "id_number",
        PERSON,
        "id",
        True,
        width=21,
        help=gettext_lazy("18位居民身份证号码，末位可为X；一人只能在一户。"),
    ),
    C(
        "识别日期",
        "identified_on",
        HOUSEHOLD,
        "date",
        True,
        width=12,
        help=gettext_lazy("该户第一次识别为贫困户的日期，如2014-10-15。"),
    ),
    C(
        "脱贫日期",
        "exited_on",
        HOUSEHOLD,
        "date",
        True,
        width=12,
        blank=True,
        help=gettext_lazy(
            "该户第一次脱贫的日期；未脱贫的留空。以后的返贫、再脱贫等填在“户状态变更”表。"
        ),
    ),
    C("主要致贫原因", "main_cause", HOUSEHOLD, "code", True, "poverty_cause", 14),
    C(
        "其他致贫原因",
        "other_causes",
        HOUSEHOLD,
        "codes",
        False,
        "poverty_cause",
        16,
        help=gettext_lazy("最多两项，用“、”或“,”分隔，不能与主要致贫原因相同。"),
    ),
    C("健康状况", "health", PERSON, "code", True, "health", 11),
    C("劳动能力", "labour", PERSON, "code", True, "labour", 16),
    C("民族", "ethnicity", PERSON, "code", False, "ethnicity", 8),
    C("文化程度", "education", PERSON, "code", False, "education", 12),
    C("在校生状况", "schooling", PERSON, "code", False, "schooling", 11),
    C("务工状况", "work_status", PERSON, "code", False, "work_status", 14),
    C("贫困户属性", "household_type", HOUSEHOLD, "code", False, "household_type", 16),
    C("识别标准", "standard", HOUSEHOLD, "code", False, "standard", 10),
    C("联系电话", "phone", HOUSEHOLD, "phone", False, width=13, help=gettext_lazy("7到12位数字。")),
    C(
        "家庭年人均纯收入",
        "net_per_person",
        HOUSEHOLD,
        "decimal",
        False,
        width=14,
        help=gettext_lazy("元，不为负；与“收入年度”一起填写。"),
        field=IncomeRecord._meta.get_field("declared_net_per_person"),
    ),
    C("收入年度", "income_year", HOUSEHOLD, "year", False, width=9),
    C(
        "住房安全",
        "housing_secure",
        HOUSEHOLD,
        "yesno",
        False,
        width=9,
        help=gettext_lazy("是 或 否；留空为是。"),
    ),
    C(
        "饮水安全",
        "water_secure",
        HOUSEHOLD,
        "yesno",
        False,
        width=9,
        help=gettext_lazy("是 或 否；留空为是。"),
    ),
    C(
        "成员加入日期",
        "joined_on",
        PERSON,
        "date",
        False,
        width=12,
        help=gettext_lazy("建档后加入（出生、婚入等）的成员填写；没有日期的成员始终计为成员。"),
    ),
    C(
        "成员减少日期",
        "left_on",
        PERSON,
        "date",
        False,
        width=12,
        help=gettext_lazy("成员减少（死亡、婚出等）的日期；填写时须填减少原因。"),
    ),
    C("减少原因", "leave_reason", PERSON, "code", False, "leave_reason", 10),
    C("备注", "note", HOUSEHOLD, "text", False, width=20),
]
BY_HEADER = {c.header: c for c in COLUMNS}
BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED = required_headers(COLUMNS)

EVENT_COLUMNS = ["户编号", "变更类型", "日期", "说明"]
EVENT_KINDS = {
    "识别": "identified",
    "脱贫": "exited",
    "返贫": "relapsed",
    "新识别": "newly_identified",
    "清退": "removed",
}
KIND_LABELS = {kind: label for label, kind in EVENT_KINDS.items()}


def _tables() -> dict[str, list[str]]:
    return {c.table: [label for label, _en in TABLES[c.table]] for c in COLUMNS if c.table}


def _table_titles() -> dict[str, str]:
    # The workbook speaks Chinese whatever the page's language: its headings are data.
    with translation.override("zh-hans"):
        return {table.value: str(table.label) for table in CodeTable}


def new_workbook(rows: int = 5000):
    """The template's workbook: person and event sheets with headers and drop-down lists
    over `rows` rows, the code tables, and the sheet explaining each column."""
    wb = Workbook()
    persons = wb.active
    persons.title = PERSONS
    write_header(persons, [c.header for c in COLUMNS], BY_HEADER)
    tables = _tables()
    drop_downs(persons, COLUMNS, code_list_sheet(wb, tables, _table_titles()), rows)
    events = wb.create_sheet(EVENTS)
    write_header(events, EVENT_COLUMNS, {}, {"户编号": 16, "变更类型": 10, "日期": 12, "说明": 30})
    kinds = DataValidation(
        type="list", formula1='"' + ",".join(EVENT_KINDS) + '"', allow_blank=True
    )
    events.add_data_validation(kinds)
    kinds.add(f"B2:B{rows + 1}")
    notes_sheet(
        wb.create_sheet(NOTES),
        COLUMNS,
        tables,
        [
            [],
            _("工作表“户状态变更”（可选）：识别日期、脱贫日期以外的状态变更，每行一条。"),
            [_("变更类型"), "", "", "、".join(EVENT_KINDS)],
            [],
            _("每行一名成员；同一户的各行户级列（户编号、识别日期、致贫原因、电话等）须一致。"),
            _("每户须有且只有一名户主（已减少的成员除外）。"),
            _("导入时先检查全部数据：有任何错误则不作任何改动，并给出标明错误的工作簿。"),
            _("按户编号和证件号码更新：重复导入同一文件不会改变任何数据。"),
            _("日期可写成2019-11-30、2019/11/30或2019年11月30日，也可以是Excel日期。"),
        ],
    )
    return wb, persons, events


def template_bytes() -> bytes:
    wb, _persons, _events = new_workbook()
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading ----------------------------------------------------------------------------


@dataclass
class Sheets:
    """What was read from an upload: rows of each sheet, problems with headers, warnings."""

    persons: list[SheetRow]
    events: list[SheetRow]
    errors: list[RowError]
    warnings: list[str]
    # Whether the file carries the status sheet at all: a CSV (one sheet) or a workbook
    # without 户状态变更 says nothing about the registry's later status events.
    has_events: bool = True


def read_upload(content: bytes, filename: str, progress=None) -> Sheets:
    """The sheets of an uploaded registry workbook (.xlsx) or person sheet (.csv)."""
    if filename.lower().endswith(".csv"):
        persons, errors, warnings = read_rows(
            PERSONS, csv_rows(content, PERSONS), REQUIRED, BY_HEADER
        )
        return Sheets(persons, [], errors, warnings, has_events=False)
    wb = open_xlsx(content, filename)
    try:
        if PERSONS not in wb.sheetnames:
            raise missing_sheet(PERSONS)
        ws = wb[PERSONS]
        persons, errors, warnings = read_rows(
            PERSONS, ws.iter_rows(values_only=True), REQUIRED, BY_HEADER, progress, ws.max_row or 0
        )
        events: list[SheetRow] = []
        if EVENTS in wb.sheetnames:
            events, more, more_warnings = read_rows(
                EVENTS, wb[EVENTS].iter_rows(values_only=True), EVENT_COLUMNS[:3], EVENT_COLUMNS
            )
            errors += more
            warnings += more_warnings
    finally:
        wb.close()
    return Sheets(persons, events, errors, warnings, has_events=EVENTS in wb.sheetnames)
