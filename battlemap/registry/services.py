"""Registry writes: every one atomic, validated, and audited here (never in signals)."""

# Over 400 lines: every write of the registry (households, members, events, incomes,
# guarantees) with its single-record and bulk paths, so the callers of each rule (rules.py)
# sit together; the bulk paths are the part to split out next.

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from operator import itemgetter
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from battlemap.audit.services import audit_record, audit_record_many
from battlemap.core import crypto
from battlemap.core.changes import batched, regions_changed
from battlemap.core.codes import Level
from battlemap.core.errors import Conflict, StaleWrite, ValidationFailed
from battlemap.core.idnumber import parse_id_number
from battlemap.core.scoping import conflict_text, require_action
from battlemap.core.tabular import check_range
from battlemap.core.text import clean
from battlemap.regions.models import Region

from . import rules, status
from .actions import EDIT_REGISTRY
from .codebook import HEAD, CodeBook
from .models import Guarantee, GuaranteeAssessment, Household, HouseholdEvent, IncomeRecord, Person
from .selectors import guarantees_on

PERSON_CODE_FIELDS = {
    "relation": "relation",
    "health": "health",
    "labour": "labour",
    "ethnicity": "ethnicity",
    "education": "education",
    "schooling": "schooling",
    "work_status": "work_status",
    "join_reason": "join_reason",
    "leave_reason": "leave_reason",
}
REQUIRED_PERSON_CODES = ("relation", "health", "labour")
HOUSEHOLD_CODE_FIELDS = {
    "main_cause": "poverty_cause",
    "other_cause_1": "poverty_cause",
    "other_cause_2": "poverty_cause",
    "standard": "standard",
    "household_type": "household_type",
}
GUARANTEES = (
    "food_clothing_secure",
    "education_secure",
    "medical_secure",
    "housing_secure",
    "water_secure",
)
PERSON_FLAGS = ("medical_insured", "pension_insured", "critical_illness_insured")


# --- snapshots for the audit trail (never the clear ID or phone number) -------------------


def household_snapshot(household: Household) -> dict:
    book = CodeBook()
    return {
        "village": household.village_id,
        "number": household.number,
        **{f: book.label(getattr(household, f"{f}_id")) for f in HOUSEHOLD_CODE_FIELDS},
        **{f: getattr(household, f) for f in GUARANTEES},
        "phone": household.phone_masked,
        "note": household.note,
    }


def person_snapshot(person: Person) -> dict:
    book = CodeBook()
    return {
        "household": person.household.number,
        "name": person.name,
        "id_number": crypto.mask_id_number(person.id_number),
        **{f: book.label(getattr(person, f"{f}_id")) for f in PERSON_CODE_FIELDS},
        **{f: getattr(person, f) for f in PERSON_FLAGS},
        "joined_on": person.joined_on.isoformat() if person.joined_on else None,
        "left_on": person.left_on.isoformat() if person.left_on else None,
    }


# --- validation shared by single and bulk paths ---------------------------------------------


def _village(village) -> Region:
    if isinstance(village, Region):
        region = village
    else:
        region = Region.objects.filter(code=clean(village)).first()
        if region is None:
            raise ValidationFailed(
                _("村级区划代码“%(c)s”不存在。") % {"c": village}, field="village", value=village
            )
    if region.level != Level.VILLAGE:
        raise ValidationFailed(
            _("“%(c)s”是%(l)s，不是村级区划。")
            % {"c": region.code, "l": region.get_level_display()},
            field="village",
            value=region.code,
        )
    return region


def _person_values(book: CodeBook, data: dict) -> dict:
    """Model field values for a person from user-level input (labels, text dates)."""
    name = clean(data.get("name"))
    if not name:
        raise ValidationFailed(_("姓名不能为空。"), field="name")
    parsed = parse_id_number(data.get("id_number"))
    values = {
        "name": name,
        "id_number": parsed.value,
        "sex": parsed.sex,
        "birth_date": parsed.birth_date,
    }
    for field, table in PERSON_CODE_FIELDS.items():
        values[f"{field}_id"] = book.id(
            table, data.get(field), field=field, required=field in REQUIRED_PERSON_CODES
        )
    for flag in PERSON_FLAGS:
        if flag in data:
            values[flag] = bool(data[flag])
    joined, left = data.get("joined_on"), data.get("left_on")
    broken = rules.member_dates_error(parsed.birth_date, joined, left, timezone.localdate())
    if broken:
        field, reason = broken
        raise ValidationFailed(reason, field=field, value=data.get(field))
    values["joined_on"], values["left_on"] = joined, left
    return values


def _refuse_duplicate_id(actor, id_number: str, *, exclude_pk=None) -> str:
    index = crypto.blind_index(id_number)
    other = Person.objects.filter(id_index=index).select_related("household__village")
    if exclude_pk is not None:
        other = other.exclude(pk=exclude_pk)
    existing = other.first()
    if existing is not None:
        raise Conflict(
            conflict_text(
                actor,
                existing.household.village_id,
                _("证件号码%(id)s已登记在户%(hh)s（%(v)s）中：一人只能有一个档案。")
                % {
                    "id": crypto.mask_id_number(id_number),
                    "hh": existing.household.number,
                    "v": existing.household.village.name,
                },
                subject="id_number",
            ),
            field="id_number",
            value=crypto.mask_id_number(id_number),
        )
    return index


def _household_values(book: CodeBook, data: dict) -> dict:
    values = {}
    for field, table in HOUSEHOLD_CODE_FIELDS.items():
        if field in data:
            values[f"{field}_id"] = book.id(
                table, data[field], field=field, required=field == "main_cause"
            )
    causes = [values.get("other_cause_1_id"), values.get("other_cause_2_id")]
    if values.get("main_cause_id") and values["main_cause_id"] in causes:
        raise ValidationFailed(_("其他致贫原因不能与主要致贫原因相同。"), field="other_cause_1")
    for flag in GUARANTEES:
        if flag in data:
            values[flag] = bool(data[flag])
    if "note" in data:
        values["note"] = clean(data["note"])
    return values


def _phone(raw) -> tuple[bytes | None, str]:
    phone = clean(raw).replace(" ", "").replace("-", "")
    if not phone:
        return None, ""
    if not phone.isdigit() or not 7 <= len(phone) <= 12:
        raise ValidationFailed(_("联系电话应为7到12位数字。"), field="phone", value=raw)
    return crypto.encrypt(phone), crypto.blind_index(phone)


# --- single-record services -----------------------------------------------------------------


@transaction.atomic
def household_register(
    *,
    actor,
    village,
    number: str,
    identified_on: dt.date,
    members: list[dict],
    kind: str = "identified",
    phone: str = "",
    **fields,
) -> Household:
    """Register a household with its members and its first identification event."""
    region = _village(village)
    require_action(actor, EDIT_REGISTRY, region)
    number = clean(number)
    if not number:
        raise ValidationFailed(_("户编号不能为空。"), field="number")
    if kind not in ("identified", "newly_identified"):
        raise ValidationFailed(_("户的第一条状态须为识别或新识别。"), field="kind", value=kind)
    if identified_on > timezone.localdate():
        raise ValidationFailed(
            _("日期在未来，请核对。"), field="identified_on", value=identified_on
        )
    county = region.code[:6]
    if Household.objects.filter(county_code=county, number=number).exists():
        raise Conflict(_("户编号%(n)s在本县已存在。") % {"n": number}, field="number", value=number)
    book = CodeBook()
    values = _household_values(book, {"main_cause": fields.pop("main_cause", None), **fields})
    broken = rules.heads_error(
        (clean(m.get("relation")) == HEAD, m.get("left_on")) for m in members
    )
    if broken:
        raise ValidationFailed(broken[1], field=broken[0])
    phone_cipher, phone_index = _phone(phone)
    household = Household.objects.create(
        village=region,
        county_code=county,
        number=number,
        phone_cipher=phone_cipher,
        phone_index=phone_index,
        **values,
    )
    HouseholdEvent.objects.create(household=household, kind=kind, date=identified_on)
    audit_record(
        actor=actor,
        action="household.register",
        obj=household,
        region_code=region.code,
        after={**household_snapshot(household), "events": [[identified_on.isoformat(), kind]]},
    )
    with batched():
        for member in members:
            person_add(actor=actor, household=household, **member)
        regions_changed([region.code])
    return household


@transaction.atomic
def person_add(*, actor, household: Household, **data) -> Person:
    """Add a member to a household; the ID number must not be on file anywhere."""
    require_action(actor, EDIT_REGISTRY, household)
    book = CodeBook()
    values = _person_values(book, data)
    id_number = values.pop("id_number")
    if values["relation_id"] == book.id("relation", HEAD) and not values["left_on"]:
        present = household.members.filter(relation_id=values["relation_id"], left_on__isnull=True)
        broken = rules.second_head_error(present.count() + 1)
        if broken:
            raise ValidationFailed(broken[1], field=broken[0])
    index = _refuse_duplicate_id(actor, id_number)
    try:
        with transaction.atomic():
            person = Person.objects.create(
                household=household, id_cipher=crypto.encrypt(id_number), id_index=index, **values
            )
    except IntegrityError:
        # Someone registered the same number between our check and the insert.
        _refuse_duplicate_id(actor, id_number)
        raise
    audit_record(
        actor=actor,
        action="person.add",
        obj=person,
        region_code=household.village_id,
        after=person_snapshot(person),
    )
    regions_changed([household.village_id])
    return person


@transaction.atomic
def person_update(*, actor, person: Person, expected_version: int, **changes) -> Person:
    """Change a member's fields; refused if someone else changed the person since it was read."""
    require_action(actor, EDIT_REGISTRY, person)
    before = person_snapshot(person)
    book = CodeBook()
    current = {**before, **{k: v for k, v in changes.items()}}
    current["id_number"] = changes.get("id_number", person.id_number)
    current["joined_on"] = changes.get("joined_on", person.joined_on)
    current["left_on"] = changes.get("left_on", person.left_on)
    for flag in PERSON_FLAGS:
        current[flag] = changes.get(flag, getattr(person, flag))
    values = _person_values(book, current)
    id_number = values.pop("id_number")
    head = book.id("relation", HEAD)
    other_heads = person.household.members.filter(relation_id=head, left_on__isnull=True)
    if values["relation_id"] == head and not values["left_on"]:
        broken = rules.second_head_error(other_heads.exclude(pk=person.pk).count() + 1)
        if broken:
            raise ValidationFailed(broken[1], field=broken[0])
    index = _refuse_duplicate_id(actor, id_number, exclude_pk=person.pk)
    updated = Person.objects.filter(pk=person.pk, version=expected_version).update(
        id_cipher=crypto.encrypt(id_number), id_index=index, version=F("version") + 1, **values
    )
    if not updated:
        raise StaleWrite()
    person.refresh_from_db()
    audit_record(
        actor=actor,
        action="person.update",
        obj=person,
        region_code=person.household.village_id,
        before=before,
        after=person_snapshot(person),
    )
    regions_changed([person.household.village_id])
    return person


def person_leave(*, actor, person: Person, left_on: dt.date, reason: str) -> Person:
    """Record that a member left the household (death, marriage out, moving...)."""
    return person_update(
        actor=actor,
        person=person,
        expected_version=person.version,
        left_on=left_on,
        leave_reason=reason,
    )


@transaction.atomic
def household_update(*, actor, household: Household, expected_version: int, **changes) -> Household:
    """Change a household's attributes (causes, guarantees, phone, note)."""
    require_action(actor, EDIT_REGISTRY, household)
    before = household_snapshot(household)
    values = _household_values(CodeBook(), changes)
    if "phone" in changes:
        values["phone_cipher"], values["phone_index"] = _phone(changes["phone"])
    updated = Household.objects.filter(pk=household.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    if not updated:
        raise StaleWrite()
    household.refresh_from_db()
    main = household.main_cause_id
    if main in (household.other_cause_1_id, household.other_cause_2_id):
        raise ValidationFailed(_("其他致贫原因不能与主要致贫原因相同。"), field="other_cause_1")
    audit_record(
        actor=actor,
        action="household.update",
        obj=household,
        region_code=household.village_id,
        before=before,
        after=household_snapshot(household),
    )
    return household


@transaction.atomic
def household_event_add(
    *, actor, household: Household, kind: str, date: dt.date, note: str = ""
) -> HouseholdEvent:
    """Record a dated status change; the whole sequence must stay consistent."""
    require_action(actor, EDIT_REGISTRY, household)
    if kind not in HouseholdEvent.Kind.values:
        raise ValidationFailed(_("未知的变更类型“%(k)s”。") % {"k": kind}, field="kind", value=kind)
    if date > timezone.localdate():
        raise ValidationFailed(_("日期在未来，请核对。"), field="date", value=date)
    # Lock the household so two clerks cannot interleave events.
    Household.objects.select_for_update().filter(pk=household.pk).first()
    existing = list(household.events.values_list("date", "kind"))
    problem = status.sequence_error([*existing, (date, kind)])
    if problem is not None:
        raise Conflict(problem[1], field="kind", value=kind)
    event = HouseholdEvent.objects.create(
        household=household, kind=kind, date=date, note=clean(note)
    )
    audit_record(
        actor=actor,
        action="household.event",
        obj=household,
        region_code=household.village_id,
        before={"events": [[d.isoformat(), k] for d, k in sorted(existing)]},
        after={"events": [[d.isoformat(), k] for d, k in sorted([*existing, (date, kind)])]},
    )
    regions_changed([household.village_id])
    return event


def _actor_label(actor) -> str:
    label = getattr(actor, "label", None)
    return label if label is not None else actor.get_username()


@transaction.atomic
def guarantees_assess(
    *, actor, household: Household, date: dt.date, assessed: dict, notes: dict | None = None
) -> list[GuaranteeAssessment]:
    """Record some or all of a household's guarantees as assessed on a date
    (`assessed`: guarantee -> secure or not; `notes`: guarantee -> why). Assessing a
    guarantee again on the same day corrects that day's assessment; history stays."""
    require_action(actor, EDIT_REGISTRY, household)
    notes = notes or {}
    if not assessed:
        raise ValidationFailed(_("请至少评估一项保障。"), field="assessed")
    unknown = sorted(set(assessed) - set(Guarantee.values) | set(notes) - set(Guarantee.values))
    if unknown:
        raise ValidationFailed(
            _("未知的保障项：%(g)s。") % {"g": "、".join(unknown)}, field="assessed", value=unknown
        )
    if date is None or date > timezone.localdate():
        raise ValidationFailed(_("评估日期不能为空，也不能在未来。"), field="date", value=date)
    before = guarantees_on(household, date)
    who = _actor_label(actor)
    rows = []
    for guarantee, secure in assessed.items():
        row, _created = GuaranteeAssessment.objects.update_or_create(
            household=household,
            guarantee=guarantee,
            date=date,
            defaults={
                "secure": bool(secure),
                "note": clean(notes.get(guarantee, "")),
                "assessor": who,
            },
        )
        rows.append(row)
    audit_record(
        actor=actor,
        action="household.guarantees",
        obj=household,
        region_code=household.village_id,
        before={"date": date.isoformat(), "guarantees": _guarantee_states(before)},
        after={
            "date": date.isoformat(),
            "guarantees": _guarantee_states(guarantees_on(household, date)),
        },
    )
    return rows


def _guarantee_states(states: dict) -> dict:
    return {g: None if a is None else a.secure for g, a in states.items()}


@transaction.atomic
def income_record_set(*, actor, household: Household, year: int, **amounts) -> IncomeRecord:
    """Record (or correct) a household's income for a year, by source."""
    require_action(actor, EDIT_REGISTRY, household)
    fields = ("wages", "production", "property_income", "transfers", "costs")
    unknown = set(amounts) - {*fields, "declared_net_per_person"}
    if unknown:
        raise ValidationFailed(_("未知的收入项：%(f)s。") % {"f": "、".join(sorted(unknown))})
    for name, value in amounts.items():
        if name == "declared_net_per_person" and value is None:
            continue
        if value is None or value < 0:
            raise ValidationFailed(_("收入金额不能为负数。"), field=name, value=value)
        check_range(value, IncomeRecord._meta.get_field(name))
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationFailed(_("年度%(y)s不合理。") % {"y": year}, field="year", value=year)
    record = IncomeRecord.objects.filter(household=household, year=year).first()
    fields = (*fields, "declared_net_per_person")
    before = {f: str(getattr(record, f)) for f in fields} if record else None
    record, _created = IncomeRecord.objects.update_or_create(
        household=household, year=year, defaults=amounts
    )
    audit_record(
        actor=actor,
        action="income.set",
        obj=record,
        region_code=household.village_id,
        before=before,
        after={f: str(getattr(record, f)) for f in fields},
    )
    return record


# --- the bulk path: the demo builder and imports ---------------------------------------------


class HouseholdRow(NamedTuple):
    """A household for bulk registration; code fields are Code ids."""

    village_id: str
    number: str
    main_cause_id: int
    other_cause_1_id: int | None
    other_cause_2_id: int | None
    standard_id: int | None
    household_type_id: int | None
    guarantees: tuple[bool, bool, bool, bool, bool]
    phone: str
    events: tuple[tuple[dt.date, str], ...]
    note: str = ""
    event_notes: tuple[str, ...] = ()  # the events' notes, in their order, when there are any


class PersonRow(NamedTuple):
    """A member for bulk registration, linked to its household by number."""

    household_number: str
    relation_id: int
    name: str
    id_number: str
    health_id: int
    labour_id: int
    ethnicity_id: int | None
    education_id: int | None
    schooling_id: int | None
    work_status_id: int | None
    flags: tuple[bool, bool, bool]
    joined_on: dt.date | None
    join_reason_id: int | None
    left_on: dt.date | None
    leave_reason_id: int | None


class BulkResult(NamedTuple):
    households: int
    persons: int
    events: int


HOUSEHOLD_COLUMNS = (
    "village",
    "county_code",
    "number",
    "main_cause",
    "other_cause_1",
    "other_cause_2",
    "standard",
    "household_type",
    *GUARANTEES,
    "phone_cipher",
    "phone_index",
    "note",
    "version",
)
PERSON_COLUMNS = (
    "household",
    "relation",
    "name",
    "id_cipher",
    "id_index",
    "sex",
    "birth_date",
    "ethnicity",
    "education",
    "schooling",
    "health",
    "labour",
    "work_status",
    *PERSON_FLAGS,
    "joined_on",
    "join_reason",
    "left_on",
    "leave_reason",
    "version",
)


def registry_bulk_register(
    *, actor, households: list[HouseholdRow], persons: Iterable[PersonRow]
) -> BulkResult:
    """Validate and write many new households with members and events, set-based.

    Everything is checked before anything is written, except clashes with household or ID
    numbers already on file, which the unique indexes refuse during the write. Either way
    nothing is written and every bad record is named in one BulkRejected.
    """
    from .bulk import validate_bulk

    for code in sorted({h.village_id for h in households}):
        require_action(actor, EDIT_REGISTRY, code)
    persons = list(persons)
    checked = validate_bulk(households, persons, against_registry=False)
    try:
        with transaction.atomic():
            return _bulk_write(actor, households, persons, checked)
    except IntegrityError:
        # A household or ID number already on file, refused by the unique indexes: name
        # every such record the way validation does (nothing was written).
        validate_bulk(households, persons)
        raise


def _bulk_write(actor, households, persons, checked) -> BulkResult:
    from battlemap.core.bulk import bulk_insert, reserve_ids

    ids = dict(
        zip((h.number for h in households), reserve_ids(Household, len(households)), strict=True)
    )
    bulk_insert(
        Household,
        ("id", *HOUSEHOLD_COLUMNS),
        (
            (
                ids[h.number],
                h.village_id,
                h.village_id[:6],
                h.number,
                h.main_cause_id,
                h.other_cause_1_id,
                h.other_cause_2_id,
                h.standard_id,
                h.household_type_id,
                *h.guarantees,
                phone_blob,
                phone_index,
                h.note,
                1,
            )
            for h, (phone_blob, phone_index) in zip(households, checked.phones, strict=True)
        ),
    )
    events = bulk_insert(
        HouseholdEvent,
        ("household", "kind", "date", "note"),
        (
            (ids[h.number], kind, date, note)
            for h in households
            for (date, kind), note in zip(
                h.events, h.event_notes or ("",) * len(h.events), strict=True
            )
        ),
    )
    bulk_insert(
        Person,
        PERSON_COLUMNS,
        (
            (
                ids[p.household_number],
                p.relation_id,
                p.name,
                blob,
                index,
                sex,
                birth,
                p.ethnicity_id,
                p.education_id,
                p.schooling_id,
                p.health_id,
                p.labour_id,
                p.work_status_id,
                *p.flags,
                p.joined_on,
                p.join_reason_id,
                p.left_on,
                p.leave_reason_id,
                1,
            )
            for p, blob, index, sex, birth in zip(
                persons,
                checked.id_blobs,
                checked.id_indexes,
                checked.sexes,
                checked.births,
                strict=True,
            )
        ),
    )
    county_of = {h.number: h.village_id[:6] for h in households}
    per_county = Counter(county_of.values())
    persons_per_county = Counter(county_of[p.household_number] for p in persons)
    audit_record_many(
        actor=actor,
        action="registry.bulk_register",
        entries=[
            (
                ("registry.household", ""),
                county,
                None,
                {"households": n, "persons": persons_per_county[county]},
            )
            for county, n in sorted(per_county.items())
        ],
    )
    regions_changed({h.village_id for h in households})
    return BulkResult(len(households), len(persons), events)


INCOME_FIELDS = ("wages", "production", "property_income", "transfers", "costs")


def _editable_households(actor, county_code: str, numbers: set[str]) -> dict[str, int]:
    """{number: id} of a county's households among `numbers`, once the actor may edit every
    village they lie in (a bulk path's own check: Forbidden otherwise)."""
    from .bulk import LOOKUP_CHUNK

    households = Household.objects.filter(county_code=county_code)
    if len(numbers) <= LOOKUP_CHUNK:
        households = households.filter(number__in=numbers)
    # else a batch that covers much of the county: reading the county beats a huge IN list.
    found = list(households.values_list("number", "id", "village_id"))
    for village in sorted({village for number, _pk, village in found if number in numbers}):
        require_action(actor, EDIT_REGISTRY, village)
    return {number: pk for number, pk, _village in found}


def income_bulk_set(
    *, actor, county_code: str, rows: list[tuple], fields: tuple[str, ...] = INCOME_FIELDS
) -> int:
    """Write many new yearly income records (number, year, *amounts) of one county, set-based;
    `fields` names the amounts the rows carry (the others keep their defaults)."""
    from battlemap.core.bulk import bulk_insert

    numbers = {row[0] for row in rows}
    ids = _editable_households(actor, county_code, numbers)
    this_year = timezone.localdate().year
    # The common case, checked column by column at C speed; a refusal names the first bad
    # row as a row-by-row check would. Negative amounts of the five sources are left to
    # the table's check (income_amounts_not_negative) when nothing else is wrong:
    # comparing millions of Decimals here costs more than the database checking them
    # while the rows arrive. Other amounts (the declared figure) are checked here.
    width = 2 + len(fields)
    column = [list(map(itemgetter(i), rows)) for i in range(width)]
    unchecked = [column[2 + i] for i, name in enumerate(fields) if name not in INCOME_FIELDS]
    if rows and (
        numbers - ids.keys()
        or not all(2000 <= year <= this_year for year in set(column[1]))
        or any(min(amounts) < 0 for amounts in unchecked)
    ):
        _income_refusal(rows, ids, this_year)
    with transaction.atomic():
        # Amounts the rows do not carry are 0 (the raw insert sees no model defaults).
        given = dict(zip(fields, column[2:], strict=True))
        zeros = [Decimal(0)] * len(rows)
        names = (*INCOME_FIELDS, *[f for f in fields if f not in INCOME_FIELDS])
        try:
            count = bulk_insert(
                IncomeRecord,
                ("household", "year", *names),
                zip(
                    map(ids.__getitem__, column[0]),
                    column[1],
                    *[given.get(name, zeros) for name in names],
                    strict=True,
                ),
            )
        except IntegrityError:
            _income_refusal(rows, ids, this_year)  # a negative amount: name its row
            raise
        audit_record(
            actor=actor,
            action="income.bulk_set",
            obj=("registry.incomerecord", ""),
            after={"records": count},
        )
    return count


def guarantees_bulk_assess(*, actor, county_code: str, rows: list[tuple]) -> int:
    """Write many assessments (number, guarantee, date, secure, note) of one county's
    households, set-based, with one audit record (the demo's history, a first load)."""
    from battlemap.core.bulk import bulk_insert

    ids = _editable_households(actor, county_code, {row[0] for row in rows})
    today = timezone.localdate()
    for number, guarantee, date, _secure, _note in rows:
        if number not in ids:
            raise ValidationFailed(_("户编号%(n)s不存在。") % {"n": number}, field="number")
        if guarantee not in Guarantee.values:
            raise ValidationFailed(
                _("未知的保障项：%(g)s。") % {"g": guarantee}, field="assessed", value=guarantee
            )
        if date > today:
            raise ValidationFailed(_("评估日期不能为空，也不能在未来。"), field="date", value=date)
    who = _actor_label(actor)
    with transaction.atomic():
        count = bulk_insert(
            GuaranteeAssessment,
            ("household", "guarantee", "date", "secure", "note", "assessor"),
            ((ids[n], g, d, bool(v), clean(note), who) for n, g, d, v, note in rows),
        )
        audit_record(
            actor=actor,
            action="household.guarantees_bulk",
            obj=("registry.guaranteeassessment", ""),
            after={"records": count},
        )
    return count


def _income_refusal(rows, ids, this_year) -> None:
    """Raise ValidationFailed for the first row of a bulk income write that is wrong."""
    for number, year, *amounts in rows:
        if number not in ids:
            raise ValidationFailed(_("户编号%(n)s不存在。") % {"n": number}, field="number")
        if not 2000 <= year <= this_year:
            raise ValidationFailed(_("年度%(y)s不合理。") % {"y": year}, field="year", value=year)
        if any(a < 0 for a in amounts):
            raise ValidationFailed(_("收入金额不能为负数。"), field="amount", value=number)
