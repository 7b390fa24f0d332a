"""Reading tabular input (Excel sheets, CSV) into validated values with row-level errors.

Every import names a rejected cell by sheet, the row number as Excel shows it,
the column header, the value and what is wrong — and changes nothing.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError, ValidationFailed
from .text import clean


@dataclass(frozen=True)
class RowError:
    """One rejected cell (or GeoJSON feature): where it is, what it holds, what is wrong."""

    sheet: str
    row: int
    column: str
    value: str
    reason: str
    unit: str = "row"  # "row" of a sheet, or "feature" of a GeoJSON file
    kind: str = ""  # the rule broken, for a summary of errors by kind (default: the column)

    def line(self) -> str:
        values = {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
        }
        if self.unit == "feature":
            return (
                _("文件“%(sheet)s” 第%(row)d个要素 属性“%(column)s” 值“%(value)s”：%(reason)s")
                % values
            )
        return _("工作表“%(sheet)s” 第%(row)d行 列“%(column)s” 值“%(value)s”：%(reason)s") % values


class ImportFailed(DomainError):
    """The file was rejected; `errors` lists every bad cell. Nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(_("文件有%(n)d处错误，未导入任何数据。") % {"n": len(errors)})


@dataclass
class SheetRow:
    """A data row of a sheet: its Excel row number and its cells keyed by header."""

    sheet: str
    number: int
    cells: dict

    def get(self, column: str):
        return self.cells.get(column)


def read_sheet(
    ws, required: list[str], optional: list[str] = ()
) -> tuple[list[SheetRow], list[RowError]]:
    """Rows of an openpyxl worksheet by header; missing required headers are errors."""
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    names = [clean(h) for h in header]
    errors = [
        RowError(ws.title, 1, col, "", _("缺少必需的列，请使用模板的表头。"))
        for col in required
        if col not in names
    ]
    out: list[SheetRow] = []
    for offset, values in enumerate(rows, start=2):
        if values is None or all(v is None or clean(v) == "" for v in values):
            continue
        cells = {name: value for name, value in zip(names, values, strict=False) if name}
        out.append(SheetRow(ws.title, offset, cells))
    return out, errors


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value, *, allow_future: bool = False) -> dt.date | None:
    """A date from an Excel date cell or text (2019-11-30, 2019/11/30, 2019年11月30日, 20191130)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    else:
        text = clean(value)
        match = _DATE_TEXT.match(text)
        if not match and re.fullmatch(r"\d{8}", text):
            match = re.match(r"(\d{4})(\d{2})(\d{2})", text)
        if not match:
            raise ValidationFailed(_("不是日期，请写成2019-11-30的形式。"), value=value)
        try:
            result = dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            raise ValidationFailed(_("日期不存在。"), value=value) from None
    if not allow_future and result > timezone.localdate():
        raise ValidationFailed(_("日期在未来，请核对。"), value=value)
    return result


def field_range(field) -> tuple:
    """The smallest and largest value a model's number field stores on every database:
    from a DecimalField's digits, or an integer field's bounds. The one derivation that
    every import, service and form checks numbers against, so that no number is taken
    that the database refuses (PostgreSQL) or stores and later cannot read (SQLite)."""
    from django.db import models
    from django.db.backends.base.operations import BaseDatabaseOperations

    if isinstance(field, models.DecimalField):
        top = Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(1).scaleb(
            -field.decimal_places
        )
        return -top, top
    return BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]


def check_range(number, field, *, value=None):
    """`number` if `field` (a model field) can store it, else ValidationFailed saying the
    allowed maximum (or minimum)."""
    low, high = field_range(field)
    if number is not None and number > high:
        raise ValidationFailed(
            _("数值过大：最大为%(m)s。") % {"m": f"{high:,}"},
            field=field.name,
            value=number if value is None else value,
        )
    if number is not None and number < low:
        raise ValidationFailed(
            _("数值过小：最小为%(m)s。") % {"m": f"{low:,}"},
            field=field.name,
            value=number if value is None else value,
        )
    return number


def parse_int(value, *, minimum: int | None = 0) -> int | None:
    if value is None or clean(value) == "":
        return None
    if isinstance(value, bool):
        raise ValidationFailed(_("应为整数。"), value=value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationFailed(_("应为整数。"), value=value)
        number = int(value)
    else:
        text = clean(value).replace(",", "")
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValidationFailed(_("应为整数。"), value=value)
        number = int(text)
    if minimum is not None and number < minimum:
        raise ValidationFailed(_("不能小于%(m)d。") % {"m": minimum}, value=value)
    return number


def parse_decimal(value, *, minimum: Decimal | None = Decimal(0)) -> Decimal | None:
    if value is None or clean(value) == "":
        return None
    try:
        number = (
            Decimal(clean(value).replace(",", ""))
            if not isinstance(value, (int, float))
            else Decimal(str(value))
        )
    except InvalidOperation:
        raise ValidationFailed(_("应为数字。"), value=value) from None
    if not number.is_finite():
        raise ValidationFailed(_("应为数字。"), value=value)
    if minimum is not None and number < minimum:
        raise ValidationFailed(_("不能为负数。"), value=value)
    if number.adjusted() >= 26:
        # Beyond any column (and quantize's precision); check_range names the maximum.
        raise ValidationFailed(_("数值过大。"), value=value)
    return number.quantize(Decimal("0.01"))


def cell_text(value) -> str:
    """A cell as the user sees it, for error messages."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
