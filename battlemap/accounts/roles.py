"""The roles a user can hold: declared in `core.roles` (scoping reads them there)."""

from battlemap.core.roles import HOUSEHOLD_ROLES, REGION_ROLES, Role

__all__ = ["HOUSEHOLD_ROLES", "REGION_ROLES", "Role"]
