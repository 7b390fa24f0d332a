"""Region reads scoped to what a user may see (`visible_to` comes from the models' scope)."""

from battlemap.core.scoping import ScopedQuerySet


class RegionQuerySet(ScopedQuerySet):
    def within(self, region):
        """The region and all its descendants."""
        return self.filter(code__startswith=region.prefix)


class RegionRowQuerySet(ScopedQuerySet):
    """Rows that belong to one region (population, poor-village events)."""
