"""Scoping: the one place that turns a user's roles into query filters.

Deny by default: a user with no role assignment sees nothing; an inactive user sees
nothing; a superuser is a system administrator and sees only what their roles show.
Only system actors (commands, imports, jobs: `SystemActor`) see everything.

Every queryset of a scoped model has `visible_to(user[, action])`, built from
`region_filter` (a region-code column) and, for households and their rows,
`household_filter` (households a paired cadre holds).
"""

from django.db.models import Q

from battlemap.regions.codes import prefix_of

from .permissions import Action, role_grants

NOTHING = Q(pk__in=[])


def is_system(user) -> bool:
    """Commands, imports and jobs act everywhere; no person does."""
    return bool(getattr(user, "is_system", False))


def _active(user) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", True)
        and getattr(user, "pk", None) is not None
    )


def _load(user) -> None:
    """Read the user's region and household roles in one query, cached on the user."""
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Cast

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
    user._battlemap_roles = sorted(
        {(role, prefix_of(key)) for role, key, kind in rows if kind == "r"}
    )
    user._battlemap_households = sorted(
        {(role, int(key)) for role, key, kind in rows if kind == "h"}
    )


def role_regions(user) -> list[tuple[str, str]]:
    """(role, code prefix) for each of the user's region assignments; cached on the user."""
    if not _active(user):
        return []
    if getattr(user, "_battlemap_roles", None) is None:
        _load(user)
    return user._battlemap_roles


def household_grants(user) -> list[tuple[str, int]]:
    """(role, household id) for each household the user holds a role over; cached."""
    if not _active(user):
        return []
    if getattr(user, "_battlemap_households", None) is None:
        _load(user)
    return user._battlemap_households


def forget(user) -> None:
    """Drop the cached roles after the user's assignments changed."""
    for name in ("_battlemap_roles", "_battlemap_households"):
        if hasattr(user, name):
            delattr(user, name)


def visible_prefixes(user, action: str = Action.VIEW_REGISTRY) -> list[str] | None:
    """Code prefixes over which the user holds `action`; None means everywhere (system)."""
    if is_system(user):
        return None
    prefixes = {prefix for role, prefix in role_regions(user) if role_grants(role, action)}
    # A township under a county the user also holds adds nothing: keep the top prefixes.
    return sorted(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes))


def region_filter(user, field: str, action: str = Action.VIEW_REGISTRY) -> Q:
    """A Q object limiting `field` (a region-code column) to where `user` holds `action`."""
    prefixes = visible_prefixes(user, action)
    if prefixes is None:
        return Q()
    if not prefixes:
        return NOTHING
    q = Q()
    for prefix in prefixes:
        q |= Q(**{f"{field}__startswith": prefix})
    return q


def granted_household_ids(user, action: str = Action.VIEW_REGISTRY) -> list[int]:
    return sorted({pk for role, pk in household_grants(user) if role_grants(role, action)})


def household_filter(
    user, region_field: str, household_field: str, action: str = Action.VIEW_REGISTRY
) -> Q:
    """Rows of households in the user's regions, or of households they hold a role over."""
    q = region_filter(user, region_field, action)
    if q == Q():
        return q
    ids = granted_household_ids(user, action)
    if ids:
        q = (
            Q(**{f"{household_field}__in": ids})
            if q == NOTHING
            else q | Q(**{f"{household_field}__in": ids})
        )
    return q


def top_region_codes(user) -> list[str]:
    """The highest regions a user may see (the map opens on the first)."""
    prefixes = visible_prefixes(user)
    if prefixes is None:
        from battlemap.regions.models import Region

        return list(Region.objects.filter(parent__isnull=True).values_list("code", flat=True))
    return [p.ljust(12, "0") for p in prefixes]
