"""The error report: the user's own workbook with every bad cell marked, and a summary."""

import csv
import io
from collections import Counter, defaultdict

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from battlemap.core.tabular import RowError
from battlemap.core.text import clean

BAD = PatternFill("solid", fgColor="FFC7CE")
BAD_FONT = Font(color="9C0006")
BOLD = Font(bold=True)
RESULT = "导入结果"


def errors_by_kind(errors: list[RowError]) -> list[list]:
    counts = Counter(e.kind or e.column or _("文件") for e in errors)
    return [[kind, n] for kind, n in counts.most_common()]


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
    filled red, and a first sheet summing up what was read and what is wrong."""
    if filename.lower().endswith(".csv"):
        wb = Workbook()
        ws = wb.active
        ws.title = csv_sheet or ws.title
        text = content.decode("utf-8-sig", errors="replace")
        if "\ufffd" in text:
            text = content.decode("gb18030", errors="replace")
        for row in csv.reader(io.StringIO(text)):
            ws.append(row)
    else:
        wb = load_workbook(io.BytesIO(content))
    by_sheet: dict[str, dict[int, list[RowError]]] = defaultdict(lambda: defaultdict(list))
    for error in errors:
        if error.sheet in wb.sheetnames and error.row >= 1:
            by_sheet[error.sheet][error.row].append(error)
    for sheet, rows in by_sheet.items():
        ws = wb[sheet]
        columns = {clean(cell.value): cell.column for cell in ws[1] if cell.value is not None}
        note_column = ws.max_column + 1
        head = ws.cell(1, note_column, _("错误说明"))
        head.font, head.fill = Font(bold=True, color="9C0006"), BAD
        ws.column_dimensions[head.column_letter].width = 60
        for number, row_errors in rows.items():
            ws.cell(
                number,
                note_column,
                "；".join(f"{e.column}：{e.reason}" if e.column else e.reason for e in row_errors),
            ).font = BAD_FONT
            for error in row_errors:
                if clean(error.column) in columns:
                    cell = ws.cell(number, columns[clean(error.column)])
                    cell.fill, cell.font = BAD, BAD_FONT
    ws = wb.create_sheet(RESULT, 0)
    ws.append([_("导入未完成：文件有错误，登记册未作任何改动。改正标红的单元格后重新导入。")])
    ws["A1"].font = Font(bold=True, color="9C0006")
    ws.append([_("文件"), filename])
    for label, value in summary:
        ws.append([str(label), value])
    ws.append([_("错误总数"), len(errors)])
    ws.append([])
    ws.append([_("错误类别"), _("处数")])
    ws.cell(ws.max_row, 1).font = BOLD
    for kind, n in errors_by_kind(errors):
        ws.append([str(kind), n])
    ws.append([])
    ws.append([_("工作表"), _("行"), _("列"), _("值"), _("错误说明")])
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    for error in errors:
        ws.append([error.sheet, error.row or "", error.column, error.value, error.reason])
    if warnings:
        ws.append([])
        ws.append([_("提示")])
        for warning in warnings:
            ws.append([warning])
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["E"].width = 70
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
