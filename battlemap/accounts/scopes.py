"""Region scoping: the one place that turns a user's roles into a query filter.

Deny by default: a user with no role assignment sees nothing.
"""

from django.db.models import Q

NOTHING = Q(pk__in=[])


def visible_prefixes(user) -> list[str] | None:
    """Code prefixes the user may see; None means everything (superusers and system actors)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    if getattr(user, "is_superuser", False):
        return None
    cached = getattr(user, "_battlemap_prefixes", None)
    if cached is not None:
        return cached
    from .models import RoleAssignment

    codes = RoleAssignment.objects.filter(user=user).values_list("region_id", flat=True)
    from battlemap.regions.codes import prefix_of

    prefixes = sorted({prefix_of(code) for code in codes})
    user._battlemap_prefixes = prefixes
    return prefixes


def region_filter(user, field: str) -> Q:
    """A Q object limiting `field` (a region code column) to what `user` may see."""
    prefixes = visible_prefixes(user)
    if prefixes is None:
        return Q()
    if not prefixes:
        return NOTHING
    q = Q()
    for prefix in prefixes:
        q |= Q(**{f"{field}__startswith": prefix})
    return q


def top_region_codes(user) -> list[str]:
    """The highest regions a user holds a role over (the map opens on the first)."""
    prefixes = visible_prefixes(user)
    if prefixes is None:
        from battlemap.regions.models import Region

        return list(Region.objects.filter(parent__isnull=True).values_list("code", flat=True))
    tops = [p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes)]
    return [p.ljust(12, "0") for p in tops]
