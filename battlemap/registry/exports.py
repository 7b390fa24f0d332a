"""Exports of the registry: what every export starts from, and its personal-data rule.

An export is scoped like a page: the region comes through `get_region_for(user, code,
export_registry)` (404 outside the user's regions, 403 without the right), its rows
from `visible_to(user, export_registry)`, and personal numbers through the user's
`PersonalDataPolicy` (clear only with `view_personal_data`), which records the export
in the audit trail. The Excel export (exchange) writes these rows to a workbook.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from battlemap.regions.selectors import get_region_for
from battlemap.registry.actions import EXPORT_REGISTRY

from .models import Person
from .personal import export_policy

MEMBER_COLUMNS = [
    _("户编号"),
    _("乡镇"),
    _("村"),
    _("姓名"),
    _("与户主关系"),
    _("证件号码"),
    _("联系电话"),
]


def member_rows(user, code: str, *, date: dt.date | None = None) -> tuple[list, list[list]]:
    """(columns, rows): the members present on `date` of the households under region
    `code` that `user` may export, one row per person."""
    region = get_region_for(user, code, EXPORT_REGISTRY)
    policy = export_policy(user, region)
    date = date or timezone.localdate()
    persons = (
        Person.objects.visible_to(user, EXPORT_REGISTRY)
        .in_region(region)
        .present_on(date)
        .select_related("household__village__parent", "relation")
        .order_by("household__village_id", "household__number", "id")
    )
    rows = [
        [
            person.household.number,
            person.household.village.parent.name if person.household.village.parent else "",
            person.household.village.name,
            person.name,
            person.relation.label,
            policy.id_number(person),
            policy.phone(person.household),
        ]
        for person in persons
    ]
    policy.record(what=("regions.region", region.code), rows=len(rows))
    return [str(c) for c in MEMBER_COLUMNS], rows
