from django.db import models

from battlemap.core.scoping import Scope, ScopedQuerySet


class Note(models.Model):
    """A note about a village: the smallest scoped model there is."""

    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=100)

    scope = Scope(region="village__code")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        app_label = "scopetest"

    def __str__(self) -> str:
        return self.text
