"""Resident ID numbers (GB 11643): what is accepted, what is refused and why."""

import datetime as dt
import random

import pytest

from battlemap.core.errors import ValidationFailed
from battlemap.core.idnumber import (
    _WEIGHTS,
    check_character,
    make_id_number,
    normalize,
    parse_id_number,
    parse_plain,
)

EXAMPLE = "11010519491231002X"  # the standard's worked example


def with_check(first17: str) -> str:
    return first17 + check_character(first17)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_standard_example_is_valid():
    parsed = parse_id_number(EXAMPLE)
    assert parsed.value == EXAMPLE
    assert parsed.sex == "F"
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.warnings == ()
    assert check_character(EXAMPLE[:17]) == "X"


def test_make_id_number_sex_follows_sequence_parity():
    male = make_id_number("341824", dt.date(1980, 2, 29), 11)
    female = make_id_number("341824", dt.date(1980, 2, 29), 12)
    assert parse_id_number(male).sex == "M"
    assert parse_id_number(female).sex == "F"
    assert parse_id_number(male).birth_date == dt.date(1980, 2, 29)
    assert male[:17] == "34182419800229011"


@pytest.mark.parametrize("last", [c for c in "0123456789X" if c != "X"])
def test_wrong_check_character_is_refused(last):
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number(EXAMPLE[:17] + last)
    assert "校验位" in str(exc.value)
    assert "X" in str(exc.value)  # tells the clerk what the check character should be
    assert exc.value.field == "id_number"


def test_single_digit_typo_is_caught_by_checksum():
    good = make_id_number("341824", dt.date(1975, 6, 15), 123)
    typo = good[:14] + ("4" if good[14] != "4" else "5") + good[15:]
    with pytest.raises(ValidationFailed, match="校验位"):
        parse_id_number(typo)


@pytest.mark.parametrize("birth", ["19800230", "19810229", "19801301", "19800000", "19800132"])
def test_impossible_birth_date_is_refused(birth):
    with pytest.raises(ValidationFailed, match="出生日期") as exc:
        parse_id_number(with_check(f"341824{birth}001"))
    assert birth in str(exc.value)


def test_future_birth_date_is_refused():
    number = make_id_number("341824", dt.date(2026, 6, 1), 1)
    assert parse_id_number(number, today=dt.date(2026, 6, 1)).birth_date == dt.date(2026, 6, 1)
    with pytest.raises(ValidationFailed, match="不可能"):
        parse_id_number(number, today=dt.date(2026, 5, 31))


def test_future_birth_date_is_refused_against_real_today():
    with pytest.raises(ValidationFailed, match="不可能"):
        parse_id_number(make_id_number("341824", dt.date(2099, 1, 1), 1))


def test_birth_before_1880_is_refused():
    with pytest.raises(ValidationFailed, match="不可能"):
        parse_id_number(make_id_number("341824", dt.date(1879, 12, 31), 1))


@pytest.mark.parametrize(
    "raw, n", [(EXAMPLE[:17], 17), (EXAMPLE + "1", 19), ("110105491231002", 15)]
)
def test_wrong_length_is_refused(raw, n):
    with pytest.raises(ValidationFailed, match="18位") as exc:
        parse_id_number(raw)
    assert f"{n}位" in str(exc.value)


@pytest.mark.parametrize("raw", ["", None, "   "])
def test_empty_is_refused(raw):
    with pytest.raises(ValidationFailed, match="为空"):
        parse_id_number(raw)


@pytest.mark.parametrize("raw", ["1101051949123100XX", "11010519491231A02X", "X10105194912310021"])
def test_non_digits_are_refused(raw):
    with pytest.raises(ValidationFailed, match="数字"):
        parse_id_number(raw)


@pytest.mark.parametrize("province", ["00", "10", "19", "99", "72"])
def test_bad_province_is_refused(province):
    raw = with_check(f"{province}1824198001010011"[:17])
    with pytest.raises(ValidationFailed, match="省级代码") as exc:
        parse_id_number(raw)
    assert province in str(exc.value)


def test_full_width_digits_and_letters_are_folded():
    assert parse_id_number(full_width(EXAMPLE)).value == EXAMPLE
    assert normalize(full_width(EXAMPLE)) == EXAMPLE


def test_lowercase_x_is_upper_cased():
    assert parse_id_number(EXAMPLE.lower()).value == EXAMPLE
    assert parse_id_number(full_width(EXAMPLE[:17]) + "ｘ").value == EXAMPLE


def test_spaces_are_removed():
    spaced = f"  {EXAMPLE[:6]} {EXAMPLE[6:14]} {EXAMPLE[14:]}\u3000"
    assert parse_id_number(spaced).value == EXAMPLE


def test_unknown_address_prefix_is_only_a_warning_with_known_prefixes():
    parsed = parse_id_number(EXAMPLE, known_prefixes=frozenset({"341824"}))
    assert parsed.value == EXAMPLE
    assert len(parsed.warnings) == 1
    assert "110105" in parsed.warnings[0]


def test_known_address_prefix_gives_no_warning():
    assert parse_id_number(EXAMPLE, known_prefixes=frozenset({"110105"})).warnings == ()


def test_no_address_check_without_known_prefixes():
    assert parse_id_number(EXAMPLE).warnings == ()


def test_check_character_fast_path_agrees_with_the_weights():
    rng = random.Random(11643)
    for _ in range(2000):
        first17 = "".join(rng.choice("0123456789") for _ in range(17))
        weighted = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11
        assert check_character(first17) == "10X98765432"[weighted]


def test_parse_plain_agrees_with_parse_id_number():
    """The bulk fast path accepts exactly the valid numbers in normal form, with the same
    reading; anything else is left to parse_id_number, which explains the problem."""
    rng = random.Random(1999)
    today = dt.date(2026, 6, 1)
    samples = [EXAMPLE, EXAMPLE.lower(), " " + EXAMPLE, full_width(EXAMPLE), 18, None, ""]
    for _ in range(3000):
        birth = dt.date(1870, 1, 1) + dt.timedelta(days=rng.randrange(60000))
        number = make_id_number(
            rng.choice(["341824", "110105", "991824"]), birth, rng.randrange(1000)
        )
        roll = rng.random()
        if roll < 0.3:
            number = number[:17] + rng.choice("0123456789X")
        elif roll < 0.4:
            number = (
                number[:10]
                + rng.choice(["02", "13", "00"])
                + rng.choice(["29", "30", "00"])
                + number[14:]
            )
        samples.append(number)
    for raw in samples:
        try:
            parsed = parse_id_number(raw, today=today)
            expected = (parsed.value, parsed.birth_date, parsed.sex)
        except ValidationFailed:
            expected = None
        plain = parse_plain(raw, today)
        if plain is not None:
            assert plain == expected
        elif expected is not None:
            assert raw != expected[0]  # valid, but not in normal form: the slow path reads it
