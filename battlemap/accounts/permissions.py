"""Which roles a user may hand out, and the role table as the apps declared it.

What each role may do is declared by the apps with their actions (`core.actions`); who
may see and do what on an object is answered by `core.scoping` (`user_can`,
`visible_to`). This module keeps what is the accounts app's own: the roles a holder of
`manage_users` may give, always within their own region.
"""

from battlemap.core.actions import role_actions, role_grants
from battlemap.core.scoping import is_system, role_regions

from .actions import MANAGE_USERS
from .roles import Role

# A township official creates village accounts; only the county hands out county roles.
ASSIGNABLE_ROLES: dict[str, frozenset[str]] = {
    Role.COUNTY_ADMIN: frozenset(
        {
            Role.COUNTY_ADMIN,
            Role.LEADER,
            Role.TOWNSHIP_OFFICIAL,
            Role.VILLAGE_CADRE,
            Role.DEPARTMENT,
            Role.INSPECTOR,
        }
    ),
    Role.TOWNSHIP_OFFICIAL: frozenset({Role.VILLAGE_CADRE}),
}


def role_table() -> dict[str, frozenset[str]]:
    """Every role with the actions it holds (read from the apps' declarations)."""
    return {role: role_actions(role) for role in Role}


def can_assign(actor, role: str, region_code: str) -> bool:
    """Whether `actor` may hand out `role` over `region_code` (and so manage its holder)."""
    if is_system(actor):
        return True
    for held, prefix in role_regions(actor):
        if (
            region_code.startswith(prefix)
            and role_grants(held, MANAGE_USERS)
            and role in ASSIGNABLE_ROLES.get(held, frozenset())
        ):
            return True
    return False
