"""Household status as a sequence of dated events: the rules and the derived state."""

from django.utils.translation import gettext as _

NONE, POOR, EXITED, REMOVED = "none", "poor", "exited", "removed"

# (state before, event kind) -> state after. Anything missing breaks the sequence.
TRANSITIONS = {
    (NONE, "identified"): POOR,
    (NONE, "newly_identified"): POOR,
    (POOR, "exited"): EXITED,
    (POOR, "removed"): REMOVED,
    (EXITED, "relapsed"): POOR,
    (EXITED, "removed"): REMOVED,
    (REMOVED, "newly_identified"): POOR,
}

KIND_STATE = {
    "identified": POOR,
    "newly_identified": POOR,
    "relapsed": POOR,
    "exited": EXITED,
    "removed": REMOVED,
}


def state_label(state: str) -> str:
    return {NONE: _("未识别"), POOR: _("贫困"), EXITED: _("已脱贫"), REMOVED: _("已清退")}[state]


def kind_label(kind: str) -> str:
    from .models import HouseholdEvent

    return str(HouseholdEvent.Kind(kind).label)


def sequence_error(events) -> tuple[int, str] | None:
    """The first event (index, reason) that breaks the rules, or None; `events` are (date, kind)."""
    ordered = sorted(enumerate(events), key=lambda item: item[1][0])
    state = NONE
    previous_date = None
    for index, (date, kind) in ordered:
        if previous_date == date:
            return index, _("同一天不能有两次状态变更（%(d)s）。") % {"d": date}
        after = TRANSITIONS.get((state, kind))
        if after is None or (kind == "identified" and previous_date is not None):
            return index, _(
                "%(d)s的“%(k)s”与该户当时的状态“%(s)s”不符：识别/新识别之后才能脱贫，脱贫之后才能返贫，"
                "不能连续两次脱贫。"
            ) % {"d": date, "k": kind_label(kind), "s": state_label(state)}
        state, previous_date = after, date
    return None


def state_on(events, date) -> str:
    """The state on `date` from (date, kind) events: an event dated D is in effect on D."""
    state = NONE
    for event_date, kind in sorted(events):
        if event_date > date:
            break
        state = KIND_STATE[kind]
    return state
