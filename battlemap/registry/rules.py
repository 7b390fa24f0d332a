"""The registry's rules, once: the single-record services, the bulk path and the Excel
import all call these, so a rule cannot drift between them.

Each returns None when the rule holds, else the refusal (field and words); callers raise
or collect it their own way (`ValidationFailed`, `Problem`, a row of the error workbook).
"""

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _


def heads_error(members: Iterable[tuple[bool, dt.date | None]]) -> tuple[str, str] | None:
    """A household has exactly one head (户主) among the members who have not left.

    `members`: (is the head, date the member left or None) for each member."""
    count = sum(1 for is_head, left_on in members if is_head and not left_on)
    if count == 1:
        return None
    return (
        "relation",
        _("每户须有且只有一名户主（已减少的成员除外），该户有%(n)d名。") % {"n": count},
    )


def second_head_error(current_heads: int) -> tuple[str, str] | None:
    """A single change may not give a household a second head present (the whole
    household is checked with `heads_error` where it is known at once)."""
    if current_heads <= 1:
        return None
    return ("relation", _("该户已有户主，每户只能有一名户主。"))


def member_dates_error(
    birth: dt.date | None, joined: dt.date | None, left: dt.date | None, today: dt.date
) -> tuple[str, str] | None:
    """A member joins on or after their birth, leaves on or after joining, and neither
    date lies in the future."""
    for field, value in (("joined_on", joined), ("left_on", left)):
        if value is not None and value > today:
            return field, _("日期在未来，请核对。")
    if joined and birth and joined < birth:
        return "joined_on", _("加入日期早于出生日期。")
    if joined and left and left < joined:
        return "left_on", _("减少日期早于加入日期。")
    return None
