"""Importing the registry workbook: every rule checked before anything is written.

`registry_import(actor, content, filename)` reads the workbook, checks every cell and
every household, looks the households and ID numbers up in the registry, and then, in
one transaction, registers the new households through the registry's bulk path and
applies each change to a known household or person through the registry's services
(each audited). Any error: nothing is written, ImportFailed lists every bad cell, and
`error_report` marks them in a copy of the workbook. Households are matched by their
number within the county, persons by ID number: importing the same file again changes
nothing, and says so.
"""

# Over 400 lines: one all-or-nothing import in its phases (read two sheets, parse every
# cell, check each household, look the file up in the registry, apply the differences
# through the services); its columns live in workbook.py, its rules in rules.py.

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from battlemap.core import crypto
from battlemap.core.cells import Cells, Errors, Refused, kinds
from battlemap.core.changes import batched
from battlemap.core.codes import Level
from battlemap.core.errors import DomainError, ValidationFailed
from battlemap.core.scoping import conflict_text, user_can
from battlemap.core.tabular import ImportFailed, RowError, SheetRow, cell_text, parse_date
from battlemap.core.text import clean
from battlemap.regions.models import Region
from battlemap.registry import rules
from battlemap.registry import services as registry
from battlemap.registry.actions import EDIT_REGISTRY
from battlemap.registry.bulk import BulkRejected
from battlemap.registry.codebook import HEAD, CodeBook
from battlemap.registry.models import Household, HouseholdEvent, IncomeRecord, Person

from . import workbook as spec
from .workbook import BY_KEY, COLUMNS, HOUSEHOLD, PERSONS

HOUSEHOLD_COLUMNS = [c for c in COLUMNS if c.level == HOUSEHOLD]


@dataclass
class FilePerson:
    row: SheetRow
    values: dict


@dataclass
class FileHousehold:
    number: str
    rows: list[SheetRow]
    values: dict
    persons: list[FilePerson] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)  # (date, kind, note, SheetRow, column)
    existing: Household | None = None


@dataclass
class Outcome:
    """What an import did (or, refused, would have read): the figures of its summary."""

    rows: int = 0
    households: int = 0
    persons: int = 0
    households_new: int = 0
    persons_new: int = 0
    households_changed: int = 0
    persons_changed: int = 0
    events_added: int = 0
    incomes_set: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.households_new,
                self.persons_new,
                self.households_changed,
                self.persons_changed,
                self.events_added,
                self.incomes_set,
            )
        )

    def summary(self) -> list[list]:
        return [
            [_("读取行数"), self.rows],
            [_("户数"), self.households],
            [_("人数"), self.persons],
            [_("新登记户"), self.households_new],
            [_("新增成员"), self.persons_new],
            [_("修改的户"), self.households_changed],
            [_("修改的成员"), self.persons_changed],
            [_("新增状态变更"), self.events_added],
            [_("写入的收入记录"), self.incomes_set],
        ]


class RegistryImportFailed(ImportFailed):
    def __init__(self, errors: list[RowError], outcome: Outcome):
        self.outcome = outcome
        super().__init__(errors)


# --- the whole file -----------------------------------------------------------------------


def _parse_rows(sheets, cells: Cells, errors: Errors) -> dict[str, FileHousehold]:
    households: dict[str, FileHousehold] = {}
    number_column = BY_KEY["number"]
    for row in sheets.persons:
        household_values, person_values = {}, {}
        for column in COLUMNS:
            if column.header not in row.cells and not column.required:
                continue
            raw = row.cells.get(column.header)
            try:
                value = cells.parse(column, raw)
            except Refused as exc:
                errors.add(row, column.header, raw, exc.reason, exc.kind)
                value = Refused
            (household_values if column.level == HOUSEHOLD else person_values)[column.key] = value
        number = household_values.get(number_column.key)
        if number in (None, Refused):
            continue
        household = households.get(number)
        if household is None:
            household = households[number] = FileHousehold(number, [row], household_values)
        else:
            household.rows.append(row)
            _agree(household, row, household_values, errors)
        household.persons.append(FilePerson(row, person_values))
    return households


def _agree(household: FileHousehold, row: SheetRow, values: dict, errors: Errors) -> None:
    """A household's columns must say the same on each of its rows."""
    first = household.rows[0]
    for column in HOUSEHOLD_COLUMNS:
        mine, theirs = values.get(column.key), household.values.get(column.key)
        if Refused in (mine, theirs) or mine == theirs:
            continue
        errors.add(
            row,
            column.header,
            row.cells.get(column.header),
            _("与同户第%(r)d行的“%(v)s”不一致：同一户的户级列须相同。")
            % {"r": first.number, "v": cell_text(first.cells.get(column.header))},
            "household",
        )


def _check_households(households, book: CodeBook, errors: Errors) -> None:
    head = book.id("relation", HEAD)
    for household in households.values():
        values = household.values
        main, others = values.get("main_cause"), values.get("other_causes") or ()
        if others is not Refused and main is not Refused and main in others:
            row = household.rows[0]
            errors.add(
                row,
                "其他致贫原因",
                row.cells.get("其他致贫原因"),
                _("其他致贫原因不能与主要致贫原因相同。"),
                "format",
            )
        income, year = values.get("net_per_person"), values.get("income_year")
        if (income is None) != (year is None) and Refused not in (income, year):
            row = household.rows[0]
            column = "收入年度" if year is None else "家庭年人均纯收入"
            errors.add(
                row,
                column,
                row.cells.get(column),
                _("家庭年人均纯收入和收入年度须一起填写。"),
                "required",
            )
        members = [
            (p.values.get("relation") == head, p.values.get("left_on")) for p in household.persons
        ]
        broken = rules.heads_error(members)
        if broken:
            heads = [
                p
                for p, (is_head, left) in zip(household.persons, members, strict=True)
                if is_head and not left
            ]
            row = (heads[1] if len(heads) > 1 else household.persons[0]).row
            errors.add(row, "与户主关系", row.cells.get("与户主关系"), broken[1], "head")
        for person in household.persons:
            _check_person(person, errors)


def _check_person(person: FilePerson, errors: Errors) -> None:
    values, row = person.values, person.row
    ident, joined, left = values.get("id_number"), values.get("joined_on"), values.get("left_on")
    reason = values.get("leave_reason")
    if Refused in (ident, joined, left, reason):
        return
    broken = rules.member_dates_error(
        ident[1] if ident else None, joined, left, timezone.localdate()
    )
    if broken:
        column = {"joined_on": "成员加入日期", "left_on": "成员减少日期"}[broken[0]]
        errors.add(row, column, row.cells.get(column), broken[1], "date")
    if left and not reason:
        errors.add(row, "减少原因", None, _("填写了成员减少日期，须同时填写减少原因。"), "required")
    if reason and not left:
        errors.add(
            row, "成员减少日期", None, _("填写了减少原因，须同时填写成员减少日期。"), "required"
        )


def _parse_events(sheets, households, errors: Errors) -> None:
    """Each household's events: first identification and exit, then the events sheet."""
    kinds = spec.EVENT_KINDS
    for household in households.values():
        first = household.rows[0]
        identified, exited = (
            household.values.get("identified_on"),
            household.values.get("exited_on"),
        )
        if identified not in (None, Refused):
            household.events.append((identified, "identified", "", first, "识别日期"))
        if exited not in (None, Refused):
            if identified not in (None, Refused) and exited <= identified:
                errors.add(
                    first,
                    "脱贫日期",
                    first.cells.get("脱贫日期"),
                    _("脱贫日期应晚于识别日期。"),
                    "events",
                )
            household.events.append((exited, "exited", "", first, "脱贫日期"))
    for row in sheets.events:
        number = clean(cell_text(row.get("户编号")))
        label = clean(row.get("变更类型"))
        household = households.get(number)
        if household is None:
            errors.add(
                row,
                "户编号",
                row.get("户编号"),
                _("该户不在“人员”表中：状态变更只能填人员表中的户。"),
                "events",
            )
            continue
        if label not in kinds:
            errors.add(
                row,
                "变更类型",
                row.get("变更类型"),
                _("应为%(k)s之一。") % {"k": "、".join(kinds)},
                "code",
            )
            continue
        try:
            date = parse_date(row.get("日期"))
        except ValidationFailed as exc:
            errors.add(row, "日期", row.get("日期"), exc.message, "date")
            continue
        if date is None:
            errors.add(row, "日期", None, _("必填，不能为空。"), "required")
            continue
        kind = kinds[label]
        same_day = [e for e in household.events if e[0] == date]
        if kind == "newly_identified" and same_day and same_day[0][1] == "identified":
            # The household's first identification was a new identification (新识别).
            household.events.remove(same_day[0])
        elif same_day:
            errors.add(
                row,
                "日期",
                row.get("日期"),
                _("同一天不能有两次状态变更（%(d)s）。") % {"d": date},
                "events",
            )
            continue
        household.events.append((date, kind, clean(row.get("说明")), row, "变更类型"))
    for household in households.values():
        household.events.sort(key=lambda e: e[0])
        problem = registry.status.sequence_error([(e[0], e[1]) for e in household.events])
        if problem is not None:
            _date, _kind, _note, row, column = household.events[problem[0]]
            errors.add(row, column, row.cells.get(column), problem[1], "events")


def _against_registry(households, errors: Errors, actor) -> dict[str, tuple]:  # scoped: uniqueness against the whole registry; what it says of records elsewhere goes through conflict_text
    """Villages exist and the actor may edit them; known households stay in their village;
    an ID number on file belongs to the same household. Returns the persons on file by
    blind index."""
    villages = {h.values.get("village") for h in households.values()} - {None, Refused}
    allowed: dict[str, bool] = {}

    def may_edit(code: str) -> bool:
        if code not in allowed:
            allowed[code] = user_can(actor, EDIT_REGISTRY, code)
        return allowed[code]

    found = dict(Region.objects.filter(code__in=villages).values_list("code", "level"))
    for household in households.values():
        village = household.values.get("village")
        if village in (None, Refused):
            continue
        row = household.rows[0]
        if village not in found:
            errors.add(row, "村级区划代码", village, _("区划代码不存在。"), "village")
        elif found[village] != Level.VILLAGE:
            errors.add(
                row, "村级区划代码", village, _("不是村级区划（请填12位村级代码）。"), "village"
            )
        elif not may_edit(village):
            errors.add(
                row,
                "村级区划代码",
                village,
                _("您没有修改该村建档立卡数据的权限：请只导入本辖区的户。"),
                "village",
            )
    by_county = defaultdict(list)
    for household in households.values():
        village = household.values.get("village")
        if village not in (None, Refused):
            by_county[village[:6]].append(household.number)
    for county, numbers in by_county.items():
        for start in range(0, len(numbers), 5000):
            for known in Household.objects.filter(
                county_code=county, number__in=numbers[start : start + 5000]
            ).select_related("village"):
                household = households[known.number]
                household.existing = known
                if household.values.get("village") != known.village_id:
                    row = household.rows[0]
                    errors.add(
                        row,
                        "村级区划代码",
                        household.values.get("village"),
                        conflict_text(
                            actor,
                            known.village_id,
                            _("户%(n)s已登记在%(v)s（%(c)s）：不能通过导入把户迁到别的村。")
                            % {"n": known.number, "v": known.village.name, "c": known.village_id},
                            subject="household",
                        ),
                        "registered",
                    )

    persons = [
        p
        for h in households.values()
        for p in h.persons
        if p.values.get("id_number") not in (None, Refused)
    ]
    clear = [p.values["id_number"][0] for p in persons]
    indexes = crypto.blind_indexes(clear)
    seen: dict[str, FilePerson] = {}
    for person, index in zip(persons, indexes, strict=True):
        person.values["id_index"] = index
        if index in seen:
            errors.add(
                person.row,
                "证件号码",
                person.values["id_number"][0],
                _("与第%(r)d行的证件号码重复：一人只能有一个档案。")
                % {"r": seen[index].row.number},
                "duplicate",
            )
        else:
            seen[index] = person
    on_file: dict[str, tuple] = {}
    index_list = list(seen)
    for start in range(0, len(index_list), 5000):
        for pk, index, household_id, number, village, code in Person.objects.filter(
            id_index__in=index_list[start : start + 5000]
        ).values_list(
            "pk",
            "id_index",
            "household_id",
            "household__number",
            "household__village__name",
            "household__village_id",
        ):
            on_file[index] = (pk, household_id, number, village, code)
    for household in households.values():
        for person in household.persons:
            hit = on_file.get(person.values.get("id_index"))
            if hit is None:
                continue
            if household.existing is None or household.existing.pk != hit[1]:
                errors.add(
                    person.row,
                    "证件号码",
                    person.values["id_number"][0],
                    conflict_text(
                        actor,
                        hit[4],
                        _("此人已登记在户%(n)s（%(v)s）中：一人只能有一个档案。")
                        % {"n": hit[2], "v": hit[3]},
                        subject="id_number",
                    ),
                    "registered",
                )
    return on_file


def validate(sheets, actor, progress=None) -> tuple[dict[str, FileHousehold], dict, Outcome]:
    """Every rule over the whole file; raise RegistryImportFailed listing every bad cell."""
    today = timezone.localdate()
    book = CodeBook()
    errors = Errors(sheets.errors)
    outcome = Outcome(rows=len(sheets.persons), warnings=list(sheets.warnings))
    if sheets.errors:
        # Missing or repeated headers: the rows cannot be read column by column.
        raise RegistryImportFailed(list(sheets.errors), outcome)
    if progress:
        progress(0, len(sheets.persons), _("检查数据"))
    households = _parse_rows(sheets, Cells(book.by_label, today), errors)
    outcome.households = len(households)
    outcome.persons = sum(len(h.persons) for h in households.values())
    if not sheets.persons and not errors:
        errors.append(
            RowError(PERSONS, 2, "", "", _("工作表“人员”中没有数据。"), kind=kinds()["required"])
        )
    _check_households(households, book, errors)
    _parse_events(sheets, households, errors)
    on_file = _against_registry(households, errors, actor)
    if errors:
        errors.sort(key=lambda e: (e.sheet != PERSONS, e.sheet, e.row))
        raise RegistryImportFailed(list(errors), outcome)
    return households, on_file, outcome


# --- writing ------------------------------------------------------------------------------

_HOUSEHOLD_CODES = {
    "main_cause": "main_cause",
    "standard": "standard",
    "household_type": "household_type",
}
_PERSON_CODES = (
    "relation",
    "health",
    "labour",
    "ethnicity",
    "education",
    "schooling",
    "work_status",
    "leave_reason",
)


def _v(values: dict, key: str, default=None):
    value = values.get(key)
    return default if value is None else value


def _new_households(actor, households: list[FileHousehold], outcome: Outcome) -> None:
    rows, persons = [], []
    for h in households:
        v = h.values
        others = tuple(_v(v, "other_causes", ())) + (None, None)
        rows.append(
            registry.HouseholdRow(
                village_id=v["village"],
                number=h.number,
                main_cause_id=v["main_cause"],
                other_cause_1_id=others[0],
                other_cause_2_id=others[1],
                standard_id=v.get("standard"),
                household_type_id=v.get("household_type"),
                guarantees=(
                    True,
                    True,
                    True,
                    _v(v, "housing_secure", True),
                    _v(v, "water_secure", True),
                ),
                phone=_v(v, "phone", ""),
                events=tuple((e[0], e[1]) for e in h.events),
                note=_v(v, "note", ""),
                event_notes=tuple(e[2] for e in h.events),
            )
        )
        for p in h.persons:
            pv = p.values
            persons.append(
                registry.PersonRow(
                    household_number=h.number,
                    relation_id=pv["relation"],
                    name=pv["name"],
                    id_number=pv["id_number"][0],
                    health_id=pv["health"],
                    labour_id=pv["labour"],
                    ethnicity_id=pv.get("ethnicity"),
                    education_id=pv.get("education"),
                    schooling_id=pv.get("schooling"),
                    work_status_id=pv.get("work_status"),
                    flags=(True, False, True),
                    joined_on=pv.get("joined_on"),
                    join_reason_id=None,
                    left_on=pv.get("left_on"),
                    leave_reason_id=pv.get("leave_reason"),
                )
            )
    result = registry.registry_bulk_register(actor=actor, households=rows, persons=persons)
    outcome.households_new += result.households
    outcome.persons_new += result.persons
    incomes = defaultdict(list)
    for h in households:
        if h.values.get("income_year"):
            incomes[h.values["village"][:6]].append(
                (h.number, h.values["income_year"], h.values["net_per_person"])
            )
    for county, county_rows in incomes.items():
        outcome.incomes_set += registry.income_bulk_set(
            actor=actor, county_code=county, rows=county_rows, fields=("declared_net_per_person",)
        )


def _household_changes(book: CodeBook, h: FileHousehold) -> dict:
    known, v, changes = h.existing, h.values, {}
    for key, field_name in _HOUSEHOLD_CODES.items():
        if v.get(key) != getattr(known, f"{field_name}_id"):
            changes[field_name] = book.label(v.get(key))
    others = tuple(_v(v, "other_causes", ())) + (None, None)
    for i, field_name in enumerate(("other_cause_1", "other_cause_2")):
        if others[i] != getattr(known, f"{field_name}_id"):
            changes[field_name] = book.label(others[i])
    for key in ("housing_secure", "water_secure"):
        if _v(v, key, True) != getattr(known, key):
            changes[key] = _v(v, key, True)
    if _v(v, "note", "") != known.note:
        changes["note"] = _v(v, "note", "")
    if _v(v, "phone", "") != known.phone:
        changes["phone"] = _v(v, "phone", "")
    return changes


def _person_changes(book: CodeBook, values: dict, known: Person) -> dict:
    changes = {}
    for key in _PERSON_CODES:
        if values.get(key) != getattr(known, f"{key}_id"):
            changes[key] = book.label(values.get(key))
    if values["name"] != known.name:
        changes["name"] = values["name"]
    for key in ("joined_on", "left_on"):
        if values.get(key) != getattr(known, key):
            changes[key] = values.get(key)
    return changes


def _person_data(book: CodeBook, values: dict) -> dict:
    data = {key: book.label(values.get(key)) for key in _PERSON_CODES}
    data.update(
        name=values["name"],
        id_number=values["id_number"][0],
        joined_on=values.get("joined_on"),
        left_on=values.get("left_on"),
    )
    return data


def _known_households(
    actor, households: list[FileHousehold], outcome: Outcome, has_events: bool = True
) -> None:  # scoped: households the file names, each checked with user_can before any change
    """Apply each difference between the file and the registry through the services.

    Without the status sheet (a CSV of the person sheet) the file knows only the dates
    of identification and exit: the registry's other events stay, and a date the
    registry already has an event on is not added again."""
    book = CodeBook()
    ids = [h.existing.pk for h in households]
    events, members, incomes = defaultdict(set), defaultdict(dict), {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        for household_id, date, kind in HouseholdEvent.objects.filter(
            household_id__in=chunk
        ).values_list("household_id", "date", "kind"):
            events[household_id].add((date, kind))
        for person in Person.objects.filter(household_id__in=chunk):
            members[person.household_id][person.id_index] = person
        for record in IncomeRecord.objects.filter(household_id__in=chunk):
            incomes[(record.household_id, record.year)] = record
    from battlemap.registry.selectors import net_per_person

    head = book.id("relation", HEAD)
    for h in households:
        known = h.existing
        try:
            changes = _household_changes(book, h)
            if changes:
                registry.household_update(
                    actor=actor, household=known, expected_version=known.version, **changes
                )
                outcome.households_changed += 1
            on_file = events[known.pk]
            in_file = {(e[0], e[1]) for e in h.events}
            missing = sorted(on_file - in_file) if has_events else []
            for date, kind in missing:
                raise Refused(
                    _(
                        "登记册中该户有%(d)s的“%(k)s”，文件中没有：导入不删除状态记录，请补入“户状态变更”表。"
                    )
                    % {"d": date, "k": registry.status.kind_label(kind)},
                    "events",
                )
            dates_on_file = {date for date, _kind in on_file}
            for date, kind, note, _row, _column in h.events:
                if (date, kind) not in on_file and (has_events or date not in dates_on_file):
                    registry.household_event_add(
                        actor=actor, household=known, kind=kind, date=date, note=note
                    )
                    outcome.events_added += 1
        except (DomainError, Refused) as exc:
            raise _Failed(h.rows[0], exc) from None
        people = members[known.pk]
        # Those who stop being head or leave go first: the new head must find the post free.
        ordered = sorted(
            h.persons, key=lambda p: p.values["relation"] == head and not p.values.get("left_on")
        )
        for person in ordered:
            try:
                existing = people.get(person.values["id_index"])
                if existing is None:
                    registry.person_add(
                        actor=actor, household=known, **_person_data(book, person.values)
                    )
                    outcome.persons_new += 1
                    continue
                changes = _person_changes(book, person.values, existing)
                if changes:
                    registry.person_update(
                        actor=actor, person=existing, expected_version=existing.version, **changes
                    )
                    outcome.persons_changed += 1
            except DomainError as exc:
                raise _Failed(person.row, exc) from None
        unlisted = len(people.keys() - {p.values["id_index"] for p in h.persons})
        if unlisted:
            outcome.warnings.append(
                _(
                    "户%(n)s有%(k)d名成员在登记册中而不在文件中，未作改动（成员减少请填写成员减少日期）。"
                )
                % {"n": h.number, "k": unlisted}
            )
        year = h.values.get("income_year")
        if year:
            record = incomes.get((known.pk, year))
            members_then = sum(1 for p in people.values() if p.present_on(dt.date(year, 12, 31)))
            declared = h.values["net_per_person"]
            if record is None or net_per_person(record, members_then) != declared:
                registry.income_record_set(
                    actor=actor, household=known, year=year, declared_net_per_person=declared
                )
                outcome.incomes_set += 1


class _Failed(Exception):
    def __init__(self, row: SheetRow, exc: Exception):
        self.row, self.exc = row, exc


def registry_import(*, actor, content: bytes, filename: str, progress=None) -> Outcome:
    """Import a registry workbook all or nothing; RegistryImportFailed names every bad cell."""
    sheets = spec.read_upload(content, filename, progress)
    households, _on_file, outcome = validate(sheets, actor, progress)
    new = [h for h in households.values() if h.existing is None]
    known = [h for h in households.values() if h.existing is not None]
    if progress:
        progress(outcome.rows, outcome.rows, _("写入数据"))
    try:
        with transaction.atomic(), batched():
            if new:
                _new_households(actor, new, outcome)
            _known_households(actor, known, outcome, sheets.has_events)
    except _Failed as failed:
        exc = failed.exc
        reason = exc.reason if isinstance(exc, Refused) else str(exc)
        column = BY_KEY[exc.field].header if getattr(exc, "field", None) in BY_KEY else ""
        error = RowError(
            failed.row.sheet,
            failed.row.number,
            column,
            cell_text(failed.row.cells.get(column)),
            reason,
            kind=kinds()["registered"],
        )
        raise RegistryImportFailed([error], outcome) from None
    except BulkRejected as exc:
        raise RegistryImportFailed(_bulk_errors(exc, new), outcome) from None
    return outcome


def _bulk_errors(exc: BulkRejected, new: list[FileHousehold]) -> list[RowError]:
    """The registry's bulk refusals (checked again there) located in the file."""
    persons = [p for h in new for p in h.persons]
    errors = []
    for problem in exc.problems:
        if problem.kind == "household":
            row = new[problem.index].rows[0]
        else:
            row = persons[problem.index].row
        column = BY_KEY[problem.field].header if problem.field in BY_KEY else ""
        errors.append(
            RowError(
                row.sheet,
                row.number,
                column,
                problem.value,
                problem.reason,
                kind=kinds()["registered"],
            )
        )
    return errors
