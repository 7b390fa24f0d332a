"""Statistical division codes (统计用区划代码): 12 digits whose prefixes are the tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from battlemap.core.text import clean


class Level(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县")
    TOWNSHIP = "township", _("乡镇")
    VILLAGE = "village", _("村")


PREFIX_LENGTH = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}


def level_of(code: str) -> str:
    """The level a 12-digit code stands for, read from its trailing zeros."""
    if code[2:] == "0" * 10:
        return Level.PROVINCE
    if code[4:] == "0" * 8:
        return Level.CITY
    if code[6:] == "0" * 6:
        return Level.COUNTY
    if code[9:] == "000":
        return Level.TOWNSHIP
    return Level.VILLAGE


def prefix_of(code: str) -> str:
    return code[: PREFIX_LENGTH[level_of(code)]]


def normalize_code(raw) -> str:
    """A code as users type it: 6, 9 or 12 digits, padded to 12; '' when not digits."""
    value = clean(raw)
    if isinstance(raw, float) and raw.is_integer():
        value = str(int(raw))
    if not value.isdigit() or len(value) not in (2, 4, 6, 9, 12):
        return ""
    return value.ljust(12, "0")
