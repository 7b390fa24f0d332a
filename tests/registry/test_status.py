"""Household status as a sequence of dated events: the rules, and refused events."""

import datetime as dt

import pytest

from battlemap.audit.models import AuditRecord
from battlemap.core.errors import Conflict, ValidationFailed
from battlemap.registry import status
from battlemap.registry.models import HouseholdEvent
from battlemap.registry.services import household_event_add
from tests.factories import ACTOR, register

D = dt.date
A, B, C, E = D(2015, 10, 1), D(2017, 12, 1), D(2019, 6, 1), D(2020, 6, 1)


@pytest.mark.parametrize(
    "events",
    [
        [(A, "identified")],
        [(A, "newly_identified")],
        [(A, "identified"), (B, "exited")],
        [(A, "identified"), (B, "exited"), (C, "relapsed"), (E, "exited")],
        [(A, "identified"), (B, "removed")],
        [(A, "identified"), (B, "exited"), (C, "removed")],
        [(A, "identified"), (B, "removed"), (C, "newly_identified"), (E, "exited")],
        # Order of the list does not matter: the rules apply by date.
        [(B, "exited"), (A, "identified")],
    ],
)
def test_valid_sequences(events):
    assert status.sequence_error(events) is None


@pytest.mark.parametrize(
    "events, bad_index",
    [
        ([(A, "exited")], 0),  # no exit before identification
        ([(A, "relapsed")], 0),
        ([(A, "removed")], 0),
        ([(A, "identified"), (B, "exited"), (C, "exited")], 2),  # no two exits in a row
        ([(A, "identified"), (B, "relapsed")], 1),  # relapse only after exit
        ([(A, "identified"), (B, "exited"), (C, "relapsed"), (E, "relapsed")], 3),
        ([(A, "identified"), (B, "identified")], 1),
        ([(A, "identified"), (B, "newly_identified")], 1),
        ([(A, "identified"), (B, "removed"), (C, "identified")], 2),  # only newly after removal
        ([(A, "identified"), (B, "removed"), (C, "exited")], 2),
        ([(A, "identified"), (B, "removed"), (C, "relapsed")], 2),
        ([(A, "identified"), (B, "removed"), (C, "removed")], 2),
        ([(A, "identified"), (A, "exited")], 1),  # two events on one day
        ([(C, "exited"), (A, "identified"), (B, "exited")], 0),  # index in the caller's list
    ],
)
def test_broken_sequences_name_the_first_bad_event(events, bad_index):
    problem = status.sequence_error(events)
    assert problem is not None
    assert problem[0] == bad_index


def test_same_day_message_names_the_date():
    index, reason = status.sequence_error([(A, "identified"), (A, "exited")])
    assert "同一天" in reason and str(A) in reason


def test_state_on_takes_effect_on_the_event_date():
    events = [(A, "identified"), (B, "exited"), (C, "relapsed"), (E, "removed")]
    one = dt.timedelta(days=1)
    assert status.state_on(events, A - one) == status.NONE
    assert status.state_on(events, A) == status.POOR
    assert status.state_on(events, B - one) == status.POOR
    assert status.state_on(events, B) == status.EXITED
    assert status.state_on(events, C) == status.POOR
    assert status.state_on(events, E) == status.REMOVED
    assert status.state_on(list(reversed(events)), C) == status.POOR


# --- the service ----------------------------------------------------------------------------------


def snapshot(household):
    return (
        list(HouseholdEvent.objects.filter(household=household).values_list("date", "kind")),
        AuditRecord.objects.count(),
    )


@pytest.fixture
def household(county):
    return register(county.v1, "H1", A, 2)


@pytest.mark.django_db
def test_event_add_extends_history_and_audits(household):
    household_event_add(actor=ACTOR, household=household, kind="exited", date=B)
    household_event_add(actor=ACTOR, household=household, kind="relapsed", date=C, note=" 因病 ")
    household_event_add(actor=ACTOR, household=household, kind="exited", date=E)
    assert list(household.events.values_list("date", "kind", "note")) == [
        (A, "identified", ""),
        (B, "exited", ""),
        (C, "relapsed", "因病"),
        (E, "exited", ""),
    ]
    record = AuditRecord.objects.filter(action="household.event").first()
    assert record.object_id == str(household.pk)
    assert record.region_code == household.village_id
    assert record.before == {
        "events": [[str(A), "identified"], [str(B), "exited"], [str(C), "relapsed"]]
    }
    assert record.after["events"][-1] == [str(E), "exited"]


@pytest.mark.django_db
def test_removal_then_newly_identified(household):
    household_event_add(actor=ACTOR, household=household, kind="removed", date=B)
    household_event_add(actor=ACTOR, household=household, kind="newly_identified", date=C)
    assert household.events.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "earlier, kind, date, error",
    [
        ([], "relapsed", B, Conflict),  # relapse only after exit
        ([("exited", B)], "exited", C, Conflict),  # two exits in a row
        ([], "identified", B, Conflict),
        ([], "exited", D(2015, 9, 30), Conflict),  # exit before identification
        ([("exited", B)], "relapsed", B, Conflict),  # two events on one day
        ([], "exited", A, Conflict),  # on the identification day
        ([("exited", C)], "relapsed", B, Conflict),  # back-dated into the poor period
        ([("removed", B)], "exited", C, Conflict),
        ([("removed", B)], "identified", C, Conflict),
        ([], "died", B, ValidationFailed),
        ([], "exited", D(2099, 1, 1), ValidationFailed),
    ],
)
def test_refused_event_writes_nothing(household, earlier, kind, date, error):
    for earlier_kind, earlier_date in earlier:
        household_event_add(actor=ACTOR, household=household, kind=earlier_kind, date=earlier_date)
    before = snapshot(household)
    with pytest.raises(error) as exc:
        household_event_add(actor=ACTOR, household=household, kind=kind, date=date)
    assert exc.value.field in ("kind", "date")
    assert snapshot(household) == before


@pytest.mark.django_db
def test_back_dated_event_that_fits_is_accepted(household):
    household_event_add(actor=ACTOR, household=household, kind="removed", date=E)
    household_event_add(actor=ACTOR, household=household, kind="exited", date=B)
    assert list(household.events.values_list("kind", flat=True)) == [
        "identified",
        "exited",
        "removed",
    ]


@pytest.mark.django_db
def test_back_dated_event_is_checked_against_later_events(household):
    household_event_add(actor=ACTOR, household=household, kind="exited", date=C)
    household_event_add(actor=ACTOR, household=household, kind="relapsed", date=E)
    before = snapshot(household)
    with pytest.raises(Conflict):  # would make exited, exited
        household_event_add(actor=ACTOR, household=household, kind="exited", date=B)
    assert snapshot(household) == before
