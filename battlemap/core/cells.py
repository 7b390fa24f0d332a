"""Reading the cells of an uploaded workbook by column kind, with errors a clerk can act on.

Every import in `exchange` describes its columns (`workbook.Column`) and parses each cell
through `Cells.parse`; a refused cell raises `Refused` (reason, kind of error), which the
import collects in `Errors` as a `RowError` naming sheet, row, column and value.
"""

import datetime as dt
import re

from django.utils.translation import gettext as _

from battlemap.core import crypto
from battlemap.core.errors import ValidationFailed
from battlemap.core.idnumber import parse_id_number, parse_plain
from battlemap.core.tabular import (
    RowError,
    SheetRow,
    cell_text,
    check_range,
    parse_date,
    parse_decimal,
    parse_int,
)
from battlemap.core.text import clean

from .workbook import Column

YES, NO = "是", "否"
_SPLIT = re.compile(r"[、,;；/]")


def kinds() -> dict[str, str]:
    """The kinds of error, as the summary of an error report counts them."""
    return {
        "code": _("不在代码表中"),
        "id": _("证件号码无效"),
        "date": _("日期有误"),
        "number": _("数值有误"),
        "required": _("必填项为空"),
        "format": _("格式有误"),
        "village": _("区划代码有误"),
        "household": _("户信息不一致"),
        "head": _("户主人数不对"),
        "events": _("状态变更不合规则"),
        "duplicate": _("证件号码重复"),
        "registered": _("与登记册冲突"),
        "library": _("与项目库冲突"),
    }


class Refused(Exception):
    """A cell (or a row) that cannot be taken: why, and the kind of error."""

    def __init__(self, reason: str, kind: str):
        self.reason, self.kind = reason, kind
        super().__init__(reason)


class Errors(list):
    """The RowErrors of one import; ID numbers are masked (the report is kept)."""

    def add(self, row: SheetRow, column: str, value, reason: str, kind: str) -> None:
        text = cell_text(value)
        if column == "证件号码":
            text = crypto.mask_id_number(clean(text))
        self.append(RowError(row.sheet, row.number, column, text, reason, kind=kinds()[kind]))


class Cells:
    """Parses cells by column kind. `tables` maps a code table's name to {label: value}."""

    def __init__(self, tables: dict[str, dict[str, object]], today: dt.date):
        self.today = today
        self.labels = tables
        # Input is folded (full-width to ASCII) before lookup, so the labels are too.
        self.folded = {
            t: {clean(k): v for k, v in entries.items()} for t, entries in tables.items()
        }

    def parse(self, column: Column, raw):
        # The common cells first and cheaply: this runs for every cell of the file.
        kind = column.kind
        if type(raw) is dt.datetime and kind == "date":  # an Excel date cell
            if raw.date() > self.today and not column.future:
                raise Refused(_("日期在未来，请核对。"), "date")
            return raw.date()
        text = clean(raw) if type(raw) is str else clean(cell_text(raw))
        if text == "":
            if column.required and not column.blank:
                raise Refused(_("必填，不能为空。"), "required")
            return None
        if kind == "code":
            entries = self.folded[column.table]
            return entries[text] if text in entries else self.code(column.table, text)
        if kind == "text":
            return text
        if kind == "date":
            try:
                date = parse_date(raw, allow_future=True)
            except ValidationFailed as exc:
                raise Refused(exc.message, "date") from None
            if date > self.today and not column.future:
                raise Refused(_("日期在未来，请核对。"), "date")
            return date
        if kind == "id":
            return self.id_number(text)
        if kind == "region":
            if not (text.isdigit() and len(text) == 12):
                raise Refused(_("应为12位区划代码。"), "village")
            return text
        if kind == "codes":
            labels = [part.strip() for part in _SPLIT.split(text) if part.strip()]
            if len(labels) > column.most:
                raise Refused(_("最多填%(n)d项。") % {"n": column.most}, "format")
            values = [self.code(column.table, label) for label in labels]
            if len(set(values)) != len(values):
                raise Refused(_("有重复的项。"), "format")
            return tuple(values)
        if kind == "phone":
            phone = text.replace(" ", "").replace("-", "")
            if not phone.isdigit() or not 7 <= len(phone) <= 12:
                raise Refused(_("联系电话应为7到12位数字。"), "format")
            return phone
        if kind == "decimal":
            try:
                return check_range(parse_decimal(raw), column.field)
            except ValidationFailed as exc:
                raise Refused(exc.message, "number") from None
        if kind == "year":
            try:
                year = parse_int(raw)
            except ValidationFailed as exc:
                raise Refused(exc.message, "number") from None
            last = self.today.year + (1 if column.future else 0)
            if not 2000 <= year <= last:
                raise Refused(_("年度应在2000到%(y)d之间。") % {"y": last}, "number")
            return year
        if kind == "yesno":
            if text not in (YES, NO):
                raise Refused(_("应填“是”或“否”。"), "format")
            return text == YES
        raise AssertionError(kind)

    def id_number(self, text: str) -> tuple:
        """(number, birth date, sex) of a valid ID number."""
        if "*" in text:
            raise Refused(
                _("证件号码已脱敏（含*），不能导入：请用有权查看完整证件号码的账户导出后再导入。"),
                "id",
            )
        plain = parse_plain(text, self.today)
        if plain is None:
            try:
                parsed = parse_id_number(text, today=self.today)
            except ValidationFailed as exc:
                raise Refused(exc.message, "id") from None
            plain = parsed.value, parsed.birth_date, parsed.sex
        return plain

    def code(self, table: str, label: str):
        entries = self.folded[table]
        if label in entries:
            return entries[label]
        labels = self.labels[table]
        allowed = "、".join(labels) if len(labels) <= 20 else _("见模板的下拉列表")
        raise Refused(
            _("“%(v)s”不在代码表中，可选值：%(allowed)s。") % {"v": label, "allowed": allowed},
            "code",
        )
