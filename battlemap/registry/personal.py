"""Personal data (ID and phone numbers): masked unless a role grants the right, and every
look at a clear number recorded in the audit trail with who, whose and when.

- Pages and the API always show masked numbers. A user whose role grants
  `reveal_personal_data` over the household may reveal one number with an explicit
  click (a POST); each reveal writes an audit record.
- Exports show clear numbers only to a role that grants `view_personal_data` over the
  whole exported region, and record one audit row per export (`PersonalDataPolicy`).
"""

from dataclasses import dataclass

from django.db import transaction

from battlemap.audit.services import audit_record
from battlemap.core import crypto
from battlemap.core.scoping import require_action, user_can
from battlemap.registry.actions import REVEAL_PERSONAL_DATA, VIEW_PERSONAL_DATA

from .models import Household, Person


@transaction.atomic
def person_id_reveal(*, actor, person: Person) -> str:
    """The clear ID number of one person, for a user allowed to reveal it; audited."""
    require_action(actor, REVEAL_PERSONAL_DATA, person)
    audit_record(
        actor=actor,
        action="person.reveal",
        obj=person,
        region_code=person.household.village_id,
        after={
            "field": "id_number",
            "person": person.name,
            "household": person.household.number,
            "shown": crypto.mask_id_number(person.id_number),
        },
    )
    return person.id_number


@transaction.atomic
def household_phone_reveal(*, actor, household: Household) -> str:
    """The clear phone number of one household, for a user allowed to reveal it; audited."""
    require_action(actor, REVEAL_PERSONAL_DATA, household)
    audit_record(
        actor=actor,
        action="household.reveal",
        obj=household,
        region_code=household.village_id,
        after={"field": "phone", "household": household.number, "shown": household.phone_masked},
    )
    return household.phone


@dataclass(frozen=True)
class PersonalDataPolicy:
    """How an export shows personal numbers to one user over one region: every export
    takes one (`export_policy`), formats each number through it, and calls `record`
    once it has written its rows."""

    user: object
    region_code: str
    clear: bool

    def id_number(self, person: Person) -> str:
        number = person.id_number
        return number if self.clear else crypto.mask_id_number(number)

    def phone(self, household: Household) -> str:
        return household.phone if self.clear else household.phone_masked

    def record(self, *, what: str, rows: int) -> None:
        """One audit record per export: who exported what, over which region, how many
        rows, and whether the numbers were clear."""
        audit_record(
            actor=self.user,
            action="registry.export",
            obj=what,
            region_code=self.region_code,
            after={"rows": rows, "clear": self.clear},
        )


def export_policy(user, region) -> PersonalDataPolicy:
    """Clear numbers only for a role that grants `view_personal_data` over the region."""
    return PersonalDataPolicy(
        user=user,
        region_code=region.code,
        clear=user_can(user, VIEW_PERSONAL_DATA, region),
    )
