"""Validation for the registry's bulk path: every rule of the single-record services, set-based."""

from collections import Counter
from itertools import pairwise
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from battlemap.core import crypto
from battlemap.core.codes import Level
from battlemap.core.errors import DomainError, ValidationFailed
from battlemap.core.idnumber import parse_id_number, parse_plain
from battlemap.regions.models import Region

from . import rules, status
from .codebook import HEAD, CodeBook
from .models import Household, Person

LOOKUP_CHUNK = 5000


class Problem(NamedTuple):
    """One rejected record of a bulk write: which list, its position, the field, the reason."""

    kind: str  # "household" or "person"
    index: int
    field: str
    value: str
    reason: str


class BulkRejected(DomainError):
    """A bulk write was refused as a whole; `problems` names every bad record."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = "; ".join(
            f"{p.kind}[{p.index}] {p.field}={p.value}: {p.reason}" for p in problems[:5]
        )
        super().__init__(
            _("%(n)d条记录有错误，未写入任何数据：%(first)s") % {"n": len(problems), "first": first}
        )


class Checked(NamedTuple):
    phones: list[tuple[bytes | None, str]]
    id_blobs: list[bytes]
    id_indexes: list[str]
    sexes: list[str]
    births: list


class _Ids(NamedTuple):
    """The persons' ID numbers as read: clear values, sexes, births, and per-person problems."""

    clear: list[str]
    sexes: list[str]
    births: list
    problems: list[Problem | None]


def _existing(model, field: str, values: list[str], **extra) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[start : start + LOOKUP_CHUNK]
        found.update(
            model.objects.filter(**{f"{field}__in": chunk}, **extra).values_list(field, flat=True)
        )
    return found


def _registered(households, indexes: list[str]) -> tuple[set[tuple[str, str]], set[str]]:
    """(county, household number) pairs and ID blind indexes of the batch already on file."""
    counties = {h.village_id[:6] for h in households}
    number_list = list({h.number for h in households})
    taken: set[tuple[str, str]] = set()
    for start in range(0, len(number_list), LOOKUP_CHUNK):
        taken.update(
            Household.objects.filter(
                number__in=number_list[start : start + LOOKUP_CHUNK], county_code__in=counties
            ).values_list("county_code", "number")
        )
    return taken, _existing(Person, "id_index", indexes)


def _read_ids(persons) -> _Ids:
    today = timezone.localdate()
    clear, sexes, births, problems = [], [], [], []
    for p in persons:
        raw = p.id_number
        plain = parse_plain(raw, today)
        if plain is None:
            try:
                parsed = parse_id_number(raw, today=today)
            except ValidationFailed as exc:
                problems.append(
                    Problem(
                        "person", len(clear), "id_number", crypto.mask_id_number(str(raw)), str(exc)
                    )
                )
                clear.append(str(raw))
                sexes.append("")
                births.append(None)
                continue
            plain = parsed.value, parsed.birth_date, parsed.sex
        problems.append(None)
        clear.append(plain[0])
        births.append(plain[1])
        sexes.append(plain[2])
    return _Ids(clear, sexes, births, problems)


def _sequence_error(events, good: set) -> tuple[int, str] | None:
    """status.sequence_error, remembering the kind sequences found good: with dates strictly
    increasing, whether a sequence breaks the rules depends on its kinds alone."""
    kinds = tuple([kind for _date, kind in events])
    increasing = all(a[0] < b[0] for a, b in pairwise(events))
    if increasing and kinds in good:
        return None
    bad = status.sequence_error(events)
    if bad is None and increasing:
        good.add(kinds)
    return bad


def _problems(book, households, persons, ids: _Ids, indexes, taken, on_file) -> list[Problem]:
    """Every problem, in the order of the records: households, heads, persons, ID numbers."""
    problems: list[Problem] = []
    add = problems.append
    villages = set(
        Region.objects.filter(
            code__in={h.village_id for h in households}, level=Level.VILLAGE
        ).values_list("code", flat=True)
    )
    numbers = Counter(h.number for h in households)
    causes = set(book.by_label["poverty_cause"].values())
    good_sequences: set = set()
    for i, h in enumerate(households):
        if h.village_id not in villages:
            add(Problem("household", i, "village", h.village_id, _("村级区划代码不存在或不是村。")))
        if numbers[h.number] > 1:
            add(Problem("household", i, "number", h.number, _("户编号在文件中重复。")))
        if taken and (h.village_id[:6], h.number) in taken:
            add(Problem("household", i, "number", h.number, _("户编号在本县已存在。")))
        if h.main_cause_id not in causes:
            add(Problem("household", i, "main_cause", str(h.main_cause_id), _("不在代码表中。")))
        bad = _sequence_error(h.events, good_sequences)
        if bad is not None:
            add(Problem("household", i, "events", str(h.events[bad[0]]), bad[1]))

    head = book.id("relation", HEAD)
    heads = Counter(p.household_number for p in persons if p.relation_id == head and not p.left_on)
    for i, h in enumerate(households):
        broken = rules.heads_error([(True, None)] * heads[h.number])
        if broken:
            add(Problem("household", i, broken[0], h.number, broken[1]))
    today = timezone.localdate()
    for i, p in enumerate(persons):
        if p.joined_on is None and p.left_on is None:
            continue
        broken = rules.member_dates_error(ids.births[i], p.joined_on, p.left_on, today)
        if broken:
            add(Problem("person", i, broken[0], str(getattr(p, broken[0])), broken[1]))

    if any(p.household_number not in numbers for p in persons) or any(ids.problems):
        for i, (p, id_problem) in enumerate(zip(persons, ids.problems, strict=True)):
            if p.household_number not in numbers:
                add(
                    Problem(
                        "person", i, "household", p.household_number, _("户编号不在本批数据中。")
                    )
                )
            if id_problem is not None:
                add(id_problem)

    repeated = {k for k, n in Counter(indexes).items() if n > 1}
    if repeated or on_file:
        for i, index in enumerate(indexes):
            if index in repeated:
                add(
                    Problem(
                        "person",
                        i,
                        "id_number",
                        crypto.mask_id_number(ids.clear[i]),
                        _("证件号码在文件中重复。"),
                    )
                )
            elif index in on_file:
                add(
                    Problem(
                        "person",
                        i,
                        "id_number",
                        crypto.mask_id_number(ids.clear[i]),
                        _("证件号码已在登记册中：一人只能有一个档案。"),
                    )
                )
    return problems


def validate_bulk(households, persons, *, against_registry: bool = True) -> Checked:
    """Check households and persons together; raise BulkRejected listing every problem.

    With `against_registry=False` the batch is not looked up in the registry unless it has
    problems of its own: the caller leaves a clash with a household or ID number on file to
    the unique indexes, and on IntegrityError calls this again to name the records
    (registry_bulk_register does). Looking a million blind indexes up costs more than the
    insert that finds the same clash for free.
    """
    book = CodeBook()
    ids = _read_ids(persons)
    blobs, indexes = crypto.encrypt_many(ids.clear)
    registered = _registered(households, indexes) if against_registry else None
    problems = _problems(book, households, persons, ids, indexes, *(registered or ((), ())))
    if problems and registered is None:
        # The refusal names every bad record, those clashing with the registry included.
        problems = _problems(
            book, households, persons, ids, indexes, *_registered(households, indexes)
        )
    if problems:
        raise BulkRejected(problems)

    phone_blobs, phone_indexes = crypto.encrypt_many([h.phone for h in households if h.phone])
    encrypted = zip(phone_blobs, phone_indexes, strict=True)
    phones = [next(encrypted) if h.phone else (None, "") for h in households]
    return Checked(phones, blobs, indexes, ids.sexes, ids.births)
