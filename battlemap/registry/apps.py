from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "battlemap.registry"
    label = "registry"
    verbose_name = _("建档立卡")

    def ready(self):
        from battlemap.core.views import register_landing

        from . import actions, figures, workbooks  # noqa: F401  (the app's declarations)
        from .landing import households_landing

        register_landing(30, households_landing)
        from battlemap.audit.display import audit_term

        # Counts of the bulk paths' single audit records.
        audit_term("registry.household", "households", _("户数"))
        audit_term("registry.household", "persons", _("人数"))
        audit_term("registry.incomerecord", "records", _("收入记录数"))
        audit_term("registry.guaranteeassessment", "records", _("评估记录数"))
        # The snapshots' masked contact details and the household's first events.
        audit_term("registry.household", "phone", _("联系电话"))
        audit_term("registry.person", "id_number", _("证件号码"))
        audit_term("registry.household", "events", _("户状态变更"), _events_shown)
        audit_term("registry.household", "guarantees", _("两不愁三保障"), _guarantees_shown)


def _guarantees_shown(value, reader) -> str:
    """{guarantee: secure} as 不愁吃：有保障；住房安全有保障：无保障；…"""
    from .models import Guarantee

    labels = dict(Guarantee.choices)
    words = {True: _("有保障"), False: _("无保障"), None: _("未评估")}
    return (
        "；".join(f"{labels.get(g, g)}：{words.get(v, v)}" for g, v in (value or {}).items()) or "—"
    )


def _events_shown(value, reader) -> str:
    """[[date, kind], …] as 2015-10-01 识别、…"""
    from .models import HouseholdEvent

    labels = dict(HouseholdEvent.Kind.choices)
    return (
        "、".join(f"{date} {labels.get(kind, kind)}" for date, kind, *_rest in value or []) or "—"
    )
