"""What every workbook of `exchange` shares: its columns, its template, reading it.

A workbook kind (the registry, the project library…) lists its `Column`s once; the
template (header, drop-down lists from the code tables, a sheet explaining each column),
the reader and the export are all made from that list.
"""

import csv
import io
from dataclasses import dataclass
from zipfile import BadZipFile, ZipFile

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from battlemap.core.tabular import ImportFailed, RowError, SheetRow
from battlemap.core.text import clean

CODES = "代码表"
YES, NO = "是", "否"
FORMULA_START = ("=", "+", "-", "@")

_BOLD = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")


@dataclass(frozen=True)
class Column:
    """A column: its exact header, what it holds and how it is read (cells.Cells.parse)."""

    header: str
    key: str
    level: str  # what the column belongs to, e.g. household or person in the registry
    kind: str  # text, code, codes, date, decimal, year, yesno, phone, id, region
    required: bool = False  # the header must be there and, unless `blank`, the value too
    table: str | None = None  # the code table of a code column
    width: int = 12
    help: str = ""
    blank: bool = False  # required header whose value may be empty
    future: bool = False  # dates and years may lie ahead (plans)
    most: int = 2  # the most entries of a `codes` cell
    # The model field a number column is stored in: its range bounds the cell
    # (core.tabular.field_range); every `decimal` column names one.
    field: object = None


def required_headers(columns: list[Column]) -> list[str]:
    return [c.header for c in columns if c.required]


def code_list_sheet(
    wb, tables: dict[str, list[str]], titles: dict[str, str] | None = None
) -> dict[str, str]:
    """A hidden sheet of the code tables, each headed by its title (a person reads it
    when a drop-down puzzles them: 文化程度, never `education`); each table's range,
    for list validations."""
    ws = wb.create_sheet(CODES)
    ranges = {}
    for index, (table, labels) in enumerate(sorted(tables.items()), start=1):
        letter = get_column_letter(index)
        ws.cell(1, index, (titles or {}).get(table, table))
        for row, label in enumerate(labels, start=2):
            ws.cell(row, index, label)
        ranges[table] = f"'{CODES}'!${letter}${2}:${letter}${len(labels) + 1}"
    ws.sheet_state = "hidden"
    return ranges


def write_header(ws, headers: list[str], columns: dict[str, Column], widths=None) -> None:
    ws.append(headers)
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(1, index)
        cell.font = _BOLD
        column = columns.get(header)
        if column is not None and column.required:
            cell.fill = _REQUIRED_FILL
        ws.column_dimensions[get_column_letter(index)].width = (widths or {}).get(
            header, column.width if column else 12
        )
    ws.freeze_panes = "A2"


def drop_downs(ws, columns: list[Column], ranges: dict[str, str], rows: int) -> None:
    """List validations on the code and yes/no columns for `rows` rows under the header."""
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        if column.kind == "code":
            rule = DataValidation(type="list", formula1=ranges[column.table], allow_blank=True)
            rule.error = _("请从下拉列表中选择。")
            rule.showErrorMessage = True
        elif column.kind == "yesno":
            rule = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
        else:
            continue
        ws.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}{rows + 1}")


def notes_sheet(ws, columns: list[Column], tables: dict[str, list[str]], lines=()) -> None:
    """The sheet explaining each column: required or not, what to write, allowed values."""
    ws.append([_("列名"), _("是否必填"), _("说明"), _("可选值")])
    for cell in ws[1]:
        cell.font = _BOLD
    for column in columns:
        allowed = "、".join(tables[column.table]) if column.table else ""
        if column.kind == "yesno":
            allowed = f"{YES}、{NO}"
        required = _("必填") if column.required and not column.blank else ""
        ws.append([column.header, required, str(column.help), allowed])
    for line in lines:
        ws.append([line] if isinstance(line, str) else list(line))
    for letter, width in zip("ABCD", (16, 10, 60, 60), strict=True):
        ws.column_dimensions[letter].width = width


def put(ws, row: int, column: int, value) -> None:
    """Write a cell for export: dates as dates; text that a spreadsheet would take for a
    formula (= + - @ first) as a quoted string, never run."""
    cell = ws.cell(row, column)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"  # a string, not a formula, whatever openpyxl guessed
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    elif hasattr(value, "isoformat"):
        cell.number_format = "yyyy-mm-dd"


def put_row(ws, row: int, values) -> None:
    """Write a row for export with `put`, leaving empty values empty."""
    for column, value in enumerate(values, start=1):
        if value not in (None, ""):
            put(ws, row, column, value)


# --- reading ----------------------------------------------------------------------------


def read_rows(sheet: str, values_iter, required, known, progress=None, total=0):
    """(rows, errors, warnings) of one sheet: rows keyed by the known headers; missing or
    repeated headers are errors, unknown ones warnings (reported, ignored)."""
    header = next(values_iter, None) or ()
    # Headers compare folded (概算投资（元） typed with ASCII brackets is the same column).
    canonical = {clean(k): k for k in known}
    names = [canonical.get(clean(h), clean(h)) for h in header]
    errors = [
        RowError(sheet, 1, col, "", _("缺少必需的列，请使用模板的表头。"), kind=_("缺少列"))
        for col in required
        if col not in names
    ]
    warnings = [
        _("工作表“%(s)s”中的列“%(c)s”不是模板中的列，已忽略。") % {"s": sheet, "c": n}
        for n in names
        if n and n not in known
    ]
    seen = set()
    for n in names:
        if n in seen and n in known:
            errors.append(RowError(sheet, 1, n, n, _("列名重复。"), kind=_("缺少列")))
        seen.add(n)
    keep = [(i, n) for i, n in enumerate(names) if n in known]
    out = []
    most = settings.BATTLEMAP_IMPORT_MAX_ROWS
    for number, values in enumerate(values_iter, start=2):
        if not values:
            continue
        cells = {n: values[i] for i, n in keep if i < len(values)}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        if len(out) >= most:
            # Counted while streaming, so that no more than the limit is ever held (a
            # sheet's own dimension counts formatted empty rows, so it is not trusted).
            raise too_big(
                _("工作表“%(s)s”的数据超过%(n)d行（每个文件的上限），未导入任何数据。")
                % {"s": sheet, "n": most}
                + _("请按乡镇或村分成几个文件导入，或请系统管理员调高上限。")
            )
        out.append(SheetRow(sheet, number, cells))
        if progress is not None and number % 2000 == 0:
            progress(number, total, _("读取文件"))
    return out, errors, warnings


def too_big(reason: str) -> ImportFailed:
    return ImportFailed([RowError("", 0, "", "", reason, kind=_("文件过大"))])


def check_size(size: int) -> None:
    """Refuse input that unpacks to more than BATTLEMAP_IMPORT_MAX_MB before reading it."""
    most = settings.BATTLEMAP_IMPORT_MAX_MB
    if size > most * 1024 * 1024:
        raise too_big(
            _("文件解压后超过%(mb)d MB（每个文件的上限），未读取。") % {"mb": most}
            + _("请按乡镇或村分成几个文件导入，或请系统管理员调高上限。")
        )


def unreadable(filename: str) -> ImportFailed:
    return ImportFailed(
        [RowError("", 0, "", filename, _("无法读取文件：请上传由模板填写的 .xlsx 或 .csv 文件。"))]
    )


def open_xlsx(content: bytes, filename: str):
    """The uploaded workbook, read-only; a formula cell is read as its text, never run.

    A zip bomb (a few MB holding a sheet of gigabytes) is refused from the sizes its zip
    directory declares; a member that unpacks to more than it declares fails its CRC
    check when read (zipfile stops at the declared size), so those sizes bound memory."""
    try:
        with ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
    except (OSError, ValueError, BadZipFile):
        raise unreadable(filename) from None
    check_size(unzipped)
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (OSError, ValueError, KeyError, BadZipFile, InvalidFileException):
        raise unreadable(filename) from None


def missing_sheet(sheet: str) -> ImportFailed:
    return ImportFailed(
        [
            RowError(
                sheet,
                0,
                "",
                "",
                _("缺少工作表“%(s)s”，请使用模板。") % {"s": sheet},
                kind=_("缺少列"),
            )
        ]
    )


def csv_rows(content: bytes, sheet: str):
    """The rows of a CSV file: Excel on a Chinese Windows saves GBK, others UTF-8."""
    check_size(len(content))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFailed(
            [RowError(sheet, 0, "", "", _("无法识别CSV文件的编码，请另存为UTF-8。"))]
        )
    return ([v if v != "" else None for v in r] for r in csv.reader(io.StringIO(text)))
