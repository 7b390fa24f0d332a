"""The project library's rules that more than one writer applies (service, import, demo)."""

import re

from django.utils.translation import gettext as _

from battlemap.core.errors import ValidationFailed
from battlemap.core.text import clean

NUMBER_MAX = 40
# Battlemap's own numbers: <county code>-<year>-<sequence>, e.g. 341824-2019-0007.
OWN_NUMBER = re.compile(r"^(\d{6})-(\d{4})-(\d{4,})$")


def project_number(county_code: str, year: int, taken) -> str:
    """The next number Battlemap gives a project of a county and year: one more than the
    highest of its own numbers already taken there (numbers from the provincial system,
    in whatever form, are left alone), so a county's numbers run 0001, 0002, … in the
    order projects enter."""
    highest = 0
    for number in taken:
        match = OWN_NUMBER.match(number or "")
        if match and match[1] == county_code and int(match[2]) == int(year):
            highest = max(highest, int(match[3]))
    return f"{county_code}-{int(year):04d}-{highest + 1:04d}"


def clean_number(value) -> str:
    """A project number as typed or imported: trimmed, at most NUMBER_MAX characters."""
    number = clean(value)
    if isinstance(value, float) and value.is_integer():
        number = str(int(value))
    if len(number) > NUMBER_MAX:
        raise ValidationFailed(
            _("项目编号过长：最多%(n)d个字符。") % {"n": NUMBER_MAX}, field="number", value=value
        )
    return number
