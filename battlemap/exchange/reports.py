"""The error report: the user's own workbook with every bad cell marked, and a summary."""

import csv
import io
from collections import Counter, defaultdict

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from battlemap.core.tabular import RowError
from battlemap.core.text import clean

BAD = PatternFill("solid", fgColor="FFC7CE")
BAD_FONT = Font(color="9C0006")
BOLD = Font(bold=True)
RESULT = "导入结果"


def errors_by_kind(errors: list[RowError]) -> list[list]:
    counts = Counter(e.kind or e.column or _("文件") for e in errors)
    return [[kind, n] for kind, n in counts.most_common()]


def _cell(ws, value, font=None, fill=None):
    cell = WriteOnlyCell(ws, value)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def _source_sheets(content: bytes, filename: str, csv_sheet: str | None):
    """(sheet name, hidden, rows of values) of the upload, streamed: never the whole
    workbook in memory (a workbook of 360,000 rows loaded whole took gigabytes)."""
    if filename.lower().endswith(".csv"):
        text = content.decode("utf-8-sig", errors="replace")
        if "\ufffd" in text:
            text = content.decode("gb18030", errors="replace")
        yield csv_sheet or "Sheet1", False, csv.reader(io.StringIO(text.replace("\0", "")))
        return
    source = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        for ws in source.worksheets:
            yield ws.title, ws.sheet_state != "visible", ws.iter_rows(values_only=True)
    finally:
        source.close()


def error_report(
    content: bytes,
    filename: str,
    errors: list[RowError],
    summary: list[list],
    warnings: list[str],
    *,
    csv_sheet: str | None = None,
) -> bytes:
    """A copy of the upload with an error column on each sheet with errors, the bad cells
    filled red, and a first sheet summing up what was read and what is wrong.

    Read row by row (read-only) and written row by row (write-only): the worker's memory
    holds the errors and one row, not the workbook."""
    wb = Workbook(write_only=True)
    _result_sheet(wb, filename, errors, summary, warnings)
    by_sheet: dict[str, dict[int, list[RowError]]] = defaultdict(lambda: defaultdict(list))
    for error in errors:
        if error.row >= 1:
            by_sheet[error.sheet][error.row].append(error)
    for title, hidden, rows in _source_sheets(content, filename, csv_sheet):
        ws = wb.create_sheet(title)
        if hidden:
            ws.sheet_state = "hidden"
        marks = by_sheet.get(title)
        columns, note_column = {}, 0
        for number, values in enumerate(rows, start=1):
            values = list(values)
            if not marks:
                ws.append(values)
                continue
            if number == 1:
                columns = {clean(v): i for i, v in enumerate(values) if v is not None}
                while values and values[-1] is None:
                    values.pop()
                note_column = len(values)
                ws.column_dimensions[get_column_letter(note_column + 1)].width = 60
                values.append(_cell(ws, _("错误说明"), Font(bold=True, color="9C0006"), BAD))
            elif number in marks:
                row_errors = marks[number]
                bad = {columns[clean(e.column)] for e in row_errors if clean(e.column) in columns}
                head, tail = values[:note_column], values[note_column:]
                head += [None] * (note_column - len(head))
                note = "；".join(
                    f"{e.column}：{e.reason}" if e.column else e.reason for e in row_errors
                )
                values = [
                    *(_cell(ws, v, BAD_FONT, BAD) if i in bad else v for i, v in enumerate(head)),
                    _cell(ws, note, BAD_FONT),
                    *tail,  # cells beyond the header (rare) move one column right
                ]
            ws.append(values)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _result_sheet(wb, filename, errors, summary, warnings) -> None:
    ws = wb.create_sheet(RESULT)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["E"].width = 70

    def bold(*values, font=BOLD):
        ws.append([_cell(ws, v, font) for v in values])

    bold(
        _("导入未完成：文件有错误，登记册未作任何改动。改正标红的单元格后重新导入。"),
        font=Font(bold=True, color="9C0006"),
    )
    ws.append([_("文件"), filename])
    for label, value in summary:
        ws.append([str(label), value])
    ws.append([_("错误总数"), len(errors)])
    ws.append([])
    bold(_("错误类别"), _("处数"))
    for kind, n in errors_by_kind(errors):
        ws.append([str(kind), n])
    ws.append([])
    bold(_("工作表"), _("行"), _("列"), _("值"), _("错误说明"))
    for error in errors:
        ws.append([error.sheet, error.row or "", error.column, error.value, error.reason])
    if warnings:
        ws.append([])
        ws.append([_("提示")])
        for warning in warnings:
            ws.append([warning])
