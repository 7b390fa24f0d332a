"""Who holds which role where, as `core.scoping` reads it: the loader this app registers.

`core.scoping` turns roles into filters for every scoped model; it never imports this
app. `load_roles` reads a user's region and household roles in one query.
"""

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast

from battlemap.core.codes import prefix_of


def load_roles(user) -> tuple[list[tuple[str, str]], list[tuple[str, int]]]:
    """([(role, code prefix)], [(role, household id)]) of the user's assignments."""
    from .models import HouseholdAssignment, RoleAssignment

    regions = (
        RoleAssignment.objects.filter(user_id=user.pk)
        .order_by()
        .values_list("role", "region_id", Value("r", output_field=CharField()))
    )
    households = (
        HouseholdAssignment.objects.filter(user_id=user.pk)
        .order_by()
        .values_list(
            "role", Cast(F("household_id"), CharField()), Value("h", output_field=CharField())
        )
    )
    rows = list(regions.union(households, all=True))
    return (
        [(role, prefix_of(key)) for role, key, kind in rows if kind == "r"],
        [(role, int(key)) for role, key, kind in rows if kind == "h"],
    )
