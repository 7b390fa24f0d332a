"""Region reads scoped to what a user may see."""

from django.db import models

from battlemap.accounts.permissions import Action
from battlemap.accounts.scopes import region_filter


class RegionQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = Action.VIEW_REGISTRY):
        """Regions under the user's roles that grant `action`; nothing without a role."""
        return self.filter(region_filter(user, "code", action))

    def within(self, region):
        """The region and all its descendants."""
        return self.filter(code__startswith=region.prefix)


class RegionRowQuerySet(models.QuerySet):
    """Rows that belong to one region (population, poor-village events)."""

    def visible_to(self, user, action: str = Action.VIEW_REGISTRY):
        return self.filter(region_filter(user, "region__code", action))
