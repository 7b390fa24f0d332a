"""Region reads that start from what the user may see."""

from battlemap.accounts.access import object_for
from battlemap.accounts.permissions import Action

from .models import Region


def get_region_for(user, code: str, action: str = Action.VIEW_REGISTRY) -> Region:
    """A region the user may see (404 otherwise, existing or not) and act on (403)."""
    return object_for(Region.objects.visible_to(user), user, action, code=code)
