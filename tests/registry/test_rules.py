"""The registry's rules are one: the same bad household, fed through the single-record
service, the bulk path and the Excel import, is refused with the same words — and the
same good one (a head who left beside the head present) is accepted by all three."""

import datetime as dt

import pytest
from django.db import transaction

from battlemap.core.errors import ValidationFailed
from battlemap.core.tabular import ImportFailed
from battlemap.registry.bulk import BulkRejected
from battlemap.registry.codebook import CodeBook
from battlemap.registry.models import Household
from battlemap.registry.services import household_register, registry_bulk_register
from battlemap.registry.workbook_import import registry_import
from tests.exchange.workbooks import person as cells
from tests.exchange.workbooks import workbook
from tests.factories import ACTOR, id_number
from tests.registry.test_bulk import hh
from tests.registry.test_bulk import person as bulk_person

pytestmark = pytest.mark.django_db
D = dt.date
BIRTH = D(1980, 5, 1)

# Each case: the members as (relation, joined_on, left_on); what all three paths say.
CASES = {
    "two heads": ([("户主", None, None), ("户主", None, None)], "该户有2名"),
    "no head": ([("配偶", None, None)], "该户有0名"),
    "joined before birth": ([("户主", D(1979, 1, 1), None)], "加入日期早于出生日期"),
    "left before joining": (
        [("户主", None, None), ("之子", D(2016, 1, 1), D(2015, 1, 1))],
        "减少日期早于加入日期",
    ),
    "joined in the future": ([("户主", D(2999, 1, 1), None)], "日期在未来"),
    "a head who left and the head present": (
        [("户主", None, D(2018, 1, 1)), ("户主", None, None)],
        None,
    ),
}


def through_service(members):
    household_register(
        actor=ACTOR,
        village="341824100201",
        number="R1",
        identified_on=D(2015, 10, 1),
        members=[
            {
                "name": f"成员{i}",
                "relation": relation,
                "health": "健康",
                "labour": "普通劳动力",
                "id_number": id_number(birth=BIRTH),
                "joined_on": joined,
                "left_on": left,
                "leave_reason": "死亡" if left else None,
            }
            for i, (relation, joined, left) in enumerate(members)
        ],
        main_cause="因病",
    )


def through_bulk(members):
    book = CodeBook()
    registry_bulk_register(
        actor=ACTOR,
        households=[hh(book, "341824100201", "R1")],
        persons=[
            bulk_person(
                book, "R1", relation, id_number(birth=BIRTH), joined_on=joined, left_on=left
            )
            for relation, joined, left in members
        ],
    )


def through_import(members):
    rows = [
        cells(
            "R1",
            relation,
            f"成员{i}",
            id_number(birth=BIRTH),
            成员加入日期=joined,
            成员减少日期=left,
            减少原因="死亡" if left else None,
        )
        for i, (relation, joined, left) in enumerate(members)
    ]
    registry_import(actor=ACTOR, content=workbook(rows), filename="r.xlsx")


def refusal(path, members) -> str | None:
    try:
        path(members)
    except ValidationFailed as exc:
        return str(exc)
    except BulkRejected as exc:
        return " ".join(p.reason for p in exc.problems)
    except ImportFailed as exc:
        return " ".join(e.reason for e in exc.errors)
    return None


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("path", [through_service, through_bulk, through_import])
def test_the_same_rule_on_every_path(county, case, path):
    members, words = CASES[case]
    said = refusal(path, members)
    if words is None:
        assert said is None
        assert Household.objects.filter(number="R1").exists()
    else:
        assert said is not None and words in said, said
        assert not Household.objects.filter(number="R1").exists()


def test_all_three_paths_use_the_same_words(county):
    for members, _words in CASES.values():
        said = set()
        for path in (through_service, through_bulk, through_import):
            with transaction.atomic():
                said.add(refusal(path, members))
                transaction.set_rollback(True)
        assert len(said) == 1, said
