"""Validation for the registry's bulk path: every rule of the single-record services, set-based."""

from collections import Counter
from typing import NamedTuple

from django.utils.translation import gettext as _

from battlemap.core import crypto
from battlemap.core.errors import DomainError, ValidationFailed
from battlemap.core.idnumber import parse_id_number
from battlemap.regions.codes import Level
from battlemap.regions.models import Region

from . import status
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


def _existing(model, field: str, values: list[str], **extra) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[start : start + LOOKUP_CHUNK]
        found.update(
            model.objects.filter(**{f"{field}__in": chunk}, **extra).values_list(field, flat=True)
        )
    return found


def validate_bulk(households, persons) -> Checked:
    """Check households and persons together; raise BulkRejected listing every problem."""
    book = CodeBook()
    problems: list[Problem] = []
    add = problems.append

    villages = set(
        Region.objects.filter(
            code__in={h.village_id for h in households}, level=Level.VILLAGE
        ).values_list("code", flat=True)
    )
    numbers = Counter(h.number for h in households)
    counties = {h.village_id[:6] for h in households}
    number_list = list(numbers)
    taken: set[tuple[str, str]] = set()
    for start in range(0, len(number_list), LOOKUP_CHUNK):
        taken.update(
            Household.objects.filter(
                number__in=number_list[start : start + LOOKUP_CHUNK], county_code__in=counties
            ).values_list("county_code", "number")
        )
    causes = book.by_label["poverty_cause"].values()
    for i, h in enumerate(households):
        if h.village_id not in villages:
            add(Problem("household", i, "village", h.village_id, _("村级区划代码不存在或不是村。")))
        if numbers[h.number] > 1:
            add(Problem("household", i, "number", h.number, _("户编号在文件中重复。")))
        if (h.village_id[:6], h.number) in taken:
            add(Problem("household", i, "number", h.number, _("户编号在本县已存在。")))
        if h.main_cause_id not in causes:
            add(Problem("household", i, "main_cause", str(h.main_cause_id), _("不在代码表中。")))
        bad = status.sequence_error(h.events)
        if bad is not None:
            add(Problem("household", i, "events", str(h.events[bad[0]]), bad[1]))

    head = book.id("relation", HEAD)
    heads = Counter(p.household_number for p in persons if p.relation_id == head)
    for i, h in enumerate(households):
        if heads[h.number] != 1:
            add(
                Problem(
                    "household",
                    i,
                    "relation",
                    h.number,
                    _("每户须有且只有一名户主，该户有%(n)d名。") % {"n": heads[h.number]},
                )
            )

    sexes, births, clear = [], [], []
    for i, p in enumerate(persons):
        if p.household_number not in numbers:
            add(Problem("person", i, "household", p.household_number, _("户编号不在本批数据中。")))
        try:
            parsed = parse_id_number(p.id_number)
        except ValidationFailed as exc:
            add(
                Problem("person", i, "id_number", crypto.mask_id_number(str(p.id_number)), str(exc))
            )
            sexes.append("")
            births.append(None)
            clear.append(str(p.id_number))
            continue
        sexes.append(parsed.sex)
        births.append(parsed.birth_date)
        clear.append(parsed.value)
    blobs, indexes = crypto.encrypt_many(clear)
    repeated = {k for k, n in Counter(indexes).items() if n > 1}
    on_file = _existing(Person, "id_index", indexes)
    for i, index in enumerate(indexes):
        if index in repeated:
            add(
                Problem(
                    "person",
                    i,
                    "id_number",
                    crypto.mask_id_number(clear[i]),
                    _("证件号码在文件中重复。"),
                )
            )
        elif index in on_file:
            add(
                Problem(
                    "person",
                    i,
                    "id_number",
                    crypto.mask_id_number(clear[i]),
                    _("证件号码已在登记册中：一人只能有一个档案。"),
                )
            )
    if problems:
        raise BulkRejected(problems)

    phones = []
    for h in households:
        phones.append(
            (crypto.encrypt(h.phone), crypto.blind_index(h.phone)) if h.phone else (None, "")
        )
    return Checked(phones, blobs, indexes, sexes, births)
