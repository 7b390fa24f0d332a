"""The registry workbook (建档立卡人员表): its columns, the template, and reading it.

One sheet `人员`, one row per person, the household's columns repeated on each of its
rows; an optional sheet `户状态变更` for status events beyond the first identification
and exit. The same definition writes the template, reads uploads (.xlsx, or .csv for the
person sheet alone) and writes exports, so the three cannot drift apart.
"""

import csv
import io
from dataclasses import dataclass
from zipfile import BadZipFile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from battlemap.core.tabular import ImportFailed, RowError, SheetRow
from battlemap.core.text import clean
from battlemap.registry.codebook import TABLES

PERSONS = "人员"
EVENTS = "户状态变更"
CODES = "代码表"
NOTES = "填写说明"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HOUSEHOLD, PERSON = "household", "person"


@dataclass(frozen=True)
class Column:
    """A column of the person sheet: its exact header, what it holds and how it is read."""

    header: str
    key: str
    level: str  # HOUSEHOLD: repeated on every row of the household; PERSON: the row's own
    kind: str  # village, text, id, date, code, codes, phone, decimal, year, yesno
    required: bool = False
    table: str | None = None  # the code table of a code column
    width: int = 12
    help: str = ""


C = Column
COLUMNS: list[Column] = [
    C(
        "村级区划代码",
        "village",
        HOUSEHOLD,
        "village",
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
REQUIRED = [c.header for c in COLUMNS if c.required]

EVENT_COLUMNS = ["户编号", "变更类型", "日期", "说明"]
EVENT_KINDS = {
    "识别": "identified",
    "脱贫": "exited",
    "返贫": "relapsed",
    "新识别": "newly_identified",
    "清退": "removed",
}
KIND_LABELS = {kind: label for label, kind in EVENT_KINDS.items()}
YES, NO = "是", "否"

_HEADER_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")


def _code_lists(wb) -> dict[str, str]:
    """The hidden sheet of code tables; returns each table's range for list validations."""
    ws = wb.create_sheet(CODES)
    ranges = {}
    tables = {c.table for c in COLUMNS if c.table}
    for index, table in enumerate(sorted(tables), start=1):
        letter = get_column_letter(index)
        ws.cell(1, index, table)
        for row, (label, _en) in enumerate(TABLES[table], start=2):
            ws.cell(row, index, label)
        ranges[table] = f"'{CODES}'!${letter}$2:${letter}${len(TABLES[table]) + 1}"
    ws.sheet_state = "hidden"
    return ranges


def _header(ws, headers, widths=None) -> None:
    ws.append(headers)
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(1, index)
        cell.font = _HEADER_FONT
        column = BY_HEADER.get(header)
        if column is not None and column.required:
            cell.fill = _REQUIRED_FILL
        ws.column_dimensions[get_column_letter(index)].width = (widths or {}).get(
            header, column.width if column else 12
        )
    ws.freeze_panes = "A2"


def new_workbook(rows: int = 5000) -> tuple[Workbook, object, object]:
    """The template's workbook: person and event sheets with headers and drop-down lists
    over `rows` rows, the code tables, and the sheet explaining each column."""
    wb = Workbook()
    persons = wb.active
    persons.title = PERSONS
    _header(persons, [c.header for c in COLUMNS])
    ranges = _code_lists(wb)
    last = rows + 1
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        if column.kind == "code":
            rule = DataValidation(type="list", formula1=ranges[column.table], allow_blank=True)
            rule.error = _("请从下拉列表中选择。")
            rule.showErrorMessage = True
        elif column.kind == "yesno":
            rule = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
        else:
            continue
        persons.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}{last}")
    events = wb.create_sheet(EVENTS)
    _header(events, EVENT_COLUMNS, {"户编号": 16, "变更类型": 10, "日期": 12, "说明": 30})
    kinds = DataValidation(
        type="list", formula1='"' + ",".join(EVENT_KINDS) + '"', allow_blank=True
    )
    events.add_data_validation(kinds)
    kinds.add(f"B2:B{last}")
    _notes(wb.create_sheet(NOTES))
    return wb, persons, events


def _notes(ws) -> None:
    ws.append([_("列名"), _("是否必填"), _("说明"), _("可选值")])
    for cell in ws[1]:
        cell.font = _HEADER_FONT
    for column in COLUMNS:
        allowed = "、".join(label for label, _en in TABLES[column.table]) if column.table else ""
        if column.kind == "yesno":
            allowed = f"{YES}、{NO}"
        ws.append([column.header, _("必填") if column.required else "", str(column.help), allowed])
    ws.append([])
    ws.append([_("工作表“户状态变更”（可选）：识别日期、脱贫日期以外的状态变更，每行一条。")])
    ws.append([_("变更类型"), "", "", "、".join(EVENT_KINDS)])
    ws.append([])
    for line in (
        _("每行一名成员；同一户的各行户级列（户编号、识别日期、致贫原因、电话等）须一致。"),
        _("每户须有且只有一名户主（已减少的成员除外）。"),
        _("导入时先检查全部数据：有任何错误则不作任何改动，并给出标明错误的工作簿。"),
        _("按户编号和证件号码更新：重复导入同一文件不会改变任何数据。"),
        _("日期可写成2019-11-30、2019/11/30或2019年11月30日，也可以是Excel日期。"),
    ):
        ws.append([line])
    for letter, width in zip("ABCD", (16, 10, 60, 60), strict=True):
        ws.column_dimensions[letter].width = width


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


def _rows(sheet: str, values_iter, required, known, progress=None, total=0):
    header = next(values_iter, None) or ()
    names = [clean(h) for h in header]
    errors = [
        RowError(sheet, 1, col, "", _("缺少必需的列，请使用模板的表头。"), kind=_("缺少列"))
        for col in required
        if col not in names
    ]
    unknown = [n for n in names if n and n not in known]
    warnings = [
        _("工作表“%(s)s”中的列“%(c)s”不是模板中的列，已忽略。") % {"s": sheet, "c": n}
        for n in unknown
    ]
    seen = set()
    for n in names:
        if n in seen and n in known:
            errors.append(RowError(sheet, 1, n, n, _("列名重复。"), kind=_("缺少列")))
        seen.add(n)
    keep = [(i, n) for i, n in enumerate(names) if n in known]
    out = []
    for number, values in enumerate(values_iter, start=2):
        if not values:
            continue
        cells = {n: values[i] for i, n in keep if i < len(values)}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        out.append(SheetRow(sheet, number, cells))
        if progress is not None and number % 2000 == 0:
            progress(number, total, _("读取文件"))
    return out, errors, warnings


def read_upload(content: bytes, filename: str, progress=None) -> Sheets:
    """The sheets of an uploaded registry workbook (.xlsx) or person sheet (.csv)."""
    if filename.lower().endswith(".csv"):
        return _read_csv(content)
    try:
        # read_only: streams the rows; data_only=False: a formula cell is read as its
        # text (=...), never evaluated.
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (OSError, ValueError, KeyError, BadZipFile, InvalidFileException):
        raise ImportFailed(
            [
                RowError(
                    "", 0, "", filename, _("无法读取文件：请上传由模板填写的 .xlsx 或 .csv 文件。")
                )
            ]
        ) from None
    try:
        if PERSONS not in wb.sheetnames:
            raise ImportFailed(
                [
                    RowError(
                        PERSONS, 0, "", "", _("缺少工作表“人员”，请使用模板。"), kind=_("缺少列")
                    )
                ]
            )
        ws = wb[PERSONS]
        total = ws.max_row or 0
        persons, errors, warnings = _rows(
            PERSONS, ws.iter_rows(values_only=True), REQUIRED, BY_HEADER, progress, total
        )
        events: list[SheetRow] = []
        if EVENTS in wb.sheetnames:
            events, more, more_warnings = _rows(
                EVENTS, wb[EVENTS].iter_rows(values_only=True), EVENT_COLUMNS[:3], EVENT_COLUMNS
            )
            errors += more
            warnings += more_warnings
    finally:
        wb.close()
    return Sheets(persons, events, errors, warnings)


def _read_csv(content: bytes) -> Sheets:
    # Excel in a Chinese Windows saves CSV as GBK; others as UTF-8 (with or without BOM).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFailed(
            [RowError(PERSONS, 0, "", "", _("无法识别CSV文件的编码，请另存为UTF-8。"))]
        )
    rows = ([v if v != "" else None for v in r] for r in csv.reader(io.StringIO(text)))
    persons, errors, warnings = _rows(PERSONS, rows, REQUIRED, BY_HEADER)
    return Sheets(persons, [], errors, warnings)
