"""Region reads scoped to what a user may see."""

from django.db import models

from battlemap.accounts.scopes import region_filter


class RegionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(region_filter(user, "code"))

    def within(self, region):
        """The region and all its descendants."""
        return self.filter(code__startswith=region.prefix)
