"""Shared helpers for `battlemap` management commands."""

import datetime as dt

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from battlemap.audit.services import SystemActor
from battlemap.core.codes import normalize_code

from .models import Region


def command_actor(name: str) -> SystemActor:
    """The actor recorded in the audit trail for writes made by a command."""
    return SystemActor(f"command:{name}")


def region_arg(raw: str) -> Region:
    code = normalize_code(raw)
    if not code:
        raise CommandError(_("区划代码“%(c)s”无效：应为6、9或12位数字。") % {"c": raw})
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise CommandError(_("区划%(c)s不存在：请先导入区划或运行 battlemap demo。") % {"c": code})
    return region


def date_arg(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(
            _("日期“%(d)s”无效：请写成YYYY-MM-DD，例如2019-11-30。") % {"d": raw}
        ) from None
