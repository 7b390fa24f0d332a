"""Exporting the registry to the workbook it is imported from.

Scoped like every export (registry/exports.py): the region through `get_region_for`,
the households from `visible_to(user, export_registry)`, personal numbers through the
user's `PersonalDataPolicy`, one audit record. Every member is written, those who left
too (with the date and reason), and every status event, so exporting and importing the
file again changes nothing. A text cell that begins with = + - or @ is written as a
quoted string: no spreadsheet evaluates it.
"""

import datetime as dt
import io

from django.db.models import Prefetch
from django.utils import timezone

from battlemap.core.workbook import NO, YES, put_row
from battlemap.regions.selectors import get_region_for
from battlemap.registry.actions import EXPORT_REGISTRY
from battlemap.registry.codebook import CodeBook
from battlemap.registry.models import Household, HouseholdEvent, IncomeRecord, Person
from battlemap.registry.personal import export_policy
from battlemap.registry.selectors import net_per_person

from .workbook import COLUMNS, KIND_LABELS, new_workbook


def _household_values(book, household, policy, events, income) -> dict:
    first_exit = next((d for d, k, _n in events if k == "exited"), None)
    others = [book.label(household.other_cause_1_id), book.label(household.other_cause_2_id)]
    values = {
        "village": household.village_id,
        "number": household.number,
        "identified_on": events[0][0] if events else None,
        "exited_on": first_exit,
        "main_cause": book.label(household.main_cause_id),
        "other_causes": "、".join(o for o in others if o),
        "household_type": book.label(household.household_type_id),
        "standard": book.label(household.standard_id),
        "phone": policy.phone(household) if household.phone_cipher else "",
        "housing_secure": YES if household.housing_secure else NO,
        "water_secure": YES if household.water_secure else NO,
        "note": household.note,
    }
    if income is not None:
        record, members = income
        values["net_per_person"] = net_per_person(record, members)
        values["income_year"] = record.year
    return values


def _later_events(events) -> list:
    """The events the 户状态变更 sheet carries: all but the first identification and exit."""
    first_exit = next((i for i, (_d, k, _n) in enumerate(events) if k == "exited"), None)
    later = []
    for i, (date, kind, note) in enumerate(events):
        if (i == 0 and kind == "identified") or i == first_exit:
            continue
        later.append((date, kind, note))
    return later


def registry_export(user, code: str) -> tuple[str, bytes]:
    """(file name, workbook) of the households under region `code` the user may export."""
    region = get_region_for(user, code, EXPORT_REGISTRY)
    policy = export_policy(user, region)
    book = CodeBook()
    export = EXPORT_REGISTRY
    households = (
        Household.objects.visible_to(user, export)
        .in_region(region)
        .order_by("village_id", "number")
        .prefetch_related(
            Prefetch("members", queryset=Person.objects.visible_to(user, export).order_by("id")),
            Prefetch(
                "events", queryset=HouseholdEvent.objects.visible_to(user, export).order_by("date")
            ),
            Prefetch(
                "incomes", queryset=IncomeRecord.objects.visible_to(user, export).order_by("year")
            ),
        )
    )
    wb, persons_ws, events_ws = new_workbook()
    row = 2
    event_row = 2
    for household in households:
        members = list(household.members.all())
        events = [(e.date, e.kind, e.note) for e in household.events.all()]
        incomes = list(household.incomes.all())
        income = None
        if incomes:
            latest = incomes[-1]
            year_end = dt.date(latest.year, 12, 31)
            income = (latest, sum(1 for p in members if p.present_on(year_end)))
        shared = _household_values(book, household, policy, events, income)
        for person in members:
            values = {
                **shared,
                "relation": book.label(person.relation_id),
                "name": person.name,
                "id_number": policy.id_number(person),
                "health": book.label(person.health_id),
                "labour": book.label(person.labour_id),
                "ethnicity": book.label(person.ethnicity_id),
                "education": book.label(person.education_id),
                "schooling": book.label(person.schooling_id),
                "work_status": book.label(person.work_status_id),
                "joined_on": person.joined_on,
                "left_on": person.left_on,
                "leave_reason": book.label(person.leave_reason_id),
            }
            put_row(persons_ws, row, [values.get(c.key) for c in COLUMNS])
            row += 1
        for date, kind, note in _later_events(events):
            put_row(events_ws, event_row, [household.number, KIND_LABELS[kind], date, note])
            event_row += 1
    policy.record(what=("regions.region", region.code), rows=row - 2)
    out = io.BytesIO()
    wb.save(out)
    return f"{region.name}-建档立卡-{timezone.localdate():%Y%m%d}.xlsx", out.getvalue()
