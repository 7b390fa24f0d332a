"""Region reads that start from what the user may see."""

from battlemap.core.scoping import object_for, visible_prefixes
from battlemap.regions.actions import VIEW_REGISTRY

from .models import Region


def get_region_for(user, code: str, action: str = VIEW_REGISTRY) -> Region:
    """A region the user may see (404 otherwise, existing or not) and act on (403)."""
    return object_for(Region.objects.visible_to(user), user, action, code=code)


def top_region_codes(user, action: str = VIEW_REGISTRY) -> list[str]:  # scoped: system actors only (visible_prefixes is None)
    """The highest regions where the user holds `action` (the map opens on the first);
    for a system actor, the roots of the tree."""
    prefixes = visible_prefixes(user, action)
    if prefixes is None:
        return list(Region.objects.filter(parent__isnull=True).values_list("code", flat=True))
    return [p.ljust(12, "0") for p in prefixes]


def breadcrumb(user, region: Region) -> list[dict]:
    """The region's ancestors the user may see, top first, then the region itself."""
    chain, node = [], region
    while node is not None:
        chain.append(node)
        node = node.parent
    visible = set(
        Region.objects.visible_to(user)
        .filter(code__in=[r.code for r in chain])
        .values_list("code", flat=True)
    )
    return [
        {"code": r.code, "name": r.name, "level": r.level}
        for r in reversed(chain)
        if r.code in visible
    ]
