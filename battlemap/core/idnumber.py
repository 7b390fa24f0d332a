"""Resident ID numbers (GB 11643-1999): normalisation, checksum, birth date, sex."""

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import ValidationFailed
from .text import fold_width

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# Province-level prefixes in use (GB/T 2260): an ID outside them is surely mistyped.
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82".split()
)


@dataclass(frozen=True)
class IdNumber:
    """A valid ID number with what it tells: birth date, sex, and warnings worth showing."""

    value: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    warnings: tuple[str, ...] = field(default=())


def check_character(first17: str) -> str:
    if len(first17) == 17 and first17.isascii() and first17.isdigit():
        # The weights are 2**k mod 11 (k = 17 … 1) and 13 ≡ 2 (mod 11), so the weighted sum
        # is 2 × first17 read in base 13, mod 11: one int() instead of 17 (bulk paths).
        return _CHECK[2 * int(first17, 13) % 11]
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalize(raw) -> str:
    """Trim, fold full-width characters and upper-case the check character."""
    return fold_width(str(raw if raw is not None else "")).strip().replace(" ", "").upper()


def parse_id_number(raw, *, known_prefixes: frozenset[str] | None = None, today=None) -> IdNumber:
    """Validate an ID number; raise ValidationFailed with a reason a clerk can act on.

    An address prefix that is not a current division is only a warning: older
    residents keep the codes of their birthplace from before 2000.
    """
    value = normalize(raw)
    if not value:
        raise ValidationFailed(_("证件号码为空。"), field="id_number", value=raw)
    if len(value) != 18:
        raise ValidationFailed(
            _("证件号码应为18位，实际为%(n)d位。") % {"n": len(value)}, field="id_number", value=raw
        )
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise ValidationFailed(
            _("证件号码前17位须为数字，末位为数字或X。"), field="id_number", value=raw
        )
    if value[:2] not in _PROVINCES:
        raise ValidationFailed(
            _("证件号码前两位“%(p)s”不是有效的省级代码。") % {"p": value[:2]},
            field="id_number",
            value=raw,
        )
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationFailed(
            _("证件号码中的出生日期“%(d)s”不存在。") % {"d": value[6:14]},
            field="id_number",
            value=raw,
        ) from None
    today = today or timezone.localdate()
    if birth > today or birth.year < 1880:
        raise ValidationFailed(
            _("证件号码中的出生日期“%(d)s”不可能。") % {"d": value[6:14]},
            field="id_number",
            value=raw,
        )
    expected = check_character(value[:17])
    if value[17] != expected:
        raise ValidationFailed(
            _("证件号码校验位错误：末位应为%(c)s，请核对号码。") % {"c": expected},
            field="id_number",
            value=raw,
        )
    warnings: tuple[str, ...] = ()
    if known_prefixes is not None and value[:6] not in known_prefixes:
        warnings = (str(_("地址码%(p)s不是本系统中的区划，可能是旧区划代码。") % {"p": value[:6]}),)
    sex = "M" if int(value[16]) % 2 else "F"
    return IdNumber(value=value, birth_date=birth, sex=sex, warnings=warnings)


def parse_plain(raw, today: dt.date) -> tuple[str, dt.date, str] | None:
    """parse_id_number's fast path for bulk input: (number, birth date, sex) of a valid number
    written in its normal form; None for anything else, which parse_id_number then explains.
    """
    if (
        type(raw) is not str
        or len(raw) != 18
        or not raw.isascii()
        or not raw[:17].isdigit()
        or raw[:2] not in _PROVINCES
    ):
        return None
    birth = _birth_date(raw[6:14])
    if (
        birth is None
        or birth > today
        or birth.year < 1880
        or raw[17] != _CHECK[2 * int(raw[:17], 13) % 11]
    ):
        return None
    return raw, birth, "M" if raw[16] in "13579" else "F"


@lru_cache(maxsize=1 << 16)
def _birth_date(yyyymmdd: str) -> dt.date | None:
    """A bulk import repeats birth dates: read each once."""
    try:
        return dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return None


def make_id_number(prefix6: str, birth: dt.date, seq3: int) -> str:
    """Build a valid ID number (demo data and tests): seq3 odd for men, even for women."""
    first17 = f"{prefix6}{birth:%Y%m%d}{seq3:03d}"
    return first17 + check_character(first17)
