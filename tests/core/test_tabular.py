"""Reading cells: dates, numbers and text as users type them."""

import datetime as dt
from decimal import Decimal

import pytest

from battlemap.core.errors import ValidationFailed
from battlemap.core.tabular import RowError, cell_text, parse_date, parse_decimal, parse_int
from battlemap.core.text import clean, fold_width


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2019, 11, 30),
        dt.datetime(2019, 11, 30, 0, 0),  # noqa: DTZ001 -- an Excel date cell is naive
        "2019-11-30",
        "2019/11/30",
        "2019.11.30",
        "2019年11月30日",
        "20191130",
        " ２０１９－１１－３０ ",  # full-width, as typed with a Chinese IME
    ],
)
def test_parse_date_forms(value):
    assert parse_date(value) == dt.date(2019, 11, 30)


def test_parse_date_blank_is_none():
    assert parse_date(None) is None
    assert parse_date("  ") is None


@pytest.mark.parametrize(
    "value, reason", [("2019-02-30", "不存在"), ("30/11/2019", "不是日期"), ("明天", "不是日期")]
)
def test_parse_date_refuses(value, reason):
    with pytest.raises(ValidationFailed, match=reason):
        parse_date(value)


def test_parse_date_refuses_future_unless_allowed():
    with pytest.raises(ValidationFailed, match="未来"):
        parse_date("2099-01-01")
    assert parse_date("2099-01-01", allow_future=True) == dt.date(2099, 1, 1)


def test_parse_int():
    assert parse_int("1,200") == 1200
    assert parse_int(12.0) == 12
    assert parse_int("１２") == 12
    assert parse_int("") is None
    for bad in ("1.5", 1.5, True, "abc"):
        with pytest.raises(ValidationFailed):
            parse_int(bad)
    with pytest.raises(ValidationFailed, match="不能小于"):
        parse_int("-1")


def test_parse_decimal():
    assert parse_decimal("1,234.5") == Decimal("1234.50")
    assert parse_decimal(3) == Decimal("3.00")
    with pytest.raises(ValidationFailed):
        parse_decimal("NaN")
    with pytest.raises(ValidationFailed):
        parse_decimal("-1")


def test_cell_text_and_row_error_line():
    assert cell_text(None) == ""
    assert cell_text(341824000000.0) == "341824000000"
    assert cell_text(dt.datetime(2019, 11, 30)) == "2019-11-30"  # noqa: DTZ001
    line = RowError("区划", 5, "上级代码", "341899000000", "不存在").line()
    assert "区划" in line and "第5行" in line and "上级代码" in line and "341899000000" in line


def test_text_folding():
    assert fold_width("ＡＢＣ１２３（）") == "ABC123()"
    assert clean("\u3000 绩溪县 ") == "绩溪县"
    assert clean(None) == ""
