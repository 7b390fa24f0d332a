"""Sections of the household file beyond the registry: where later issues attach theirs.

The household file (registry/household.html) shows the registry: members, status history,
income, basic guarantees. Helpers (帮扶责任人), visits (走访), benefits delivered
(政策落实) and risk alerts (风险预警) belong to apps that do not exist yet. Each will
add one `HouseholdSection` to `HOUSEHOLD_SECTIONS` here (the registry sits below the apps that add them,
they import the registry to register here), with a template and a function that reads its rows for
one household through that app's scoped selectors. The page renders them, in order,
inside its `household_sections` block; until then the list is empty and nothing is
shown — no placeholders, no sample data.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HouseholdSection:
    """One block of the household file: its title, template and what it reads."""

    name: str  # e.g. "helpers", "visits", "benefits", "alerts"
    title: str
    template: str
    context: Callable[..., dict]  # (user, household, date) -> template context


HOUSEHOLD_SECTIONS: list[HouseholdSection] = []


def household_sections(user, household, date: dt.date) -> list[dict]:
    """The registered sections with their context, ready for the template."""
    return [
        {
            "name": section.name,
            "title": section.title,
            "template": section.template,
            **section.context(user, household, date),
        }
        for section in HOUSEHOLD_SECTIONS
    ]
