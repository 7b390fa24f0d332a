"""Registry reads: scoping to what a user may see, and status on a date."""

from django.db import models

from battlemap.core.scoping import ScopedQuerySet

POOR_KINDS = ("identified", "newly_identified", "relapsed")
IDENTIFYING_KINDS = ("identified", "newly_identified")


class HouseholdQuerySet(ScopedQuerySet):
    def with_status_on(self, date):
        """Annotate `status_kind`: the kind of the last event dated on or before `date`."""
        from .models import HouseholdEvent

        last = (
            HouseholdEvent.objects.filter(household=models.OuterRef("pk"), date__lte=date)
            .order_by("-date")
            .values("kind")[:1]
        )
        return self.annotate(status_kind=models.Subquery(last))

    def poor_on(self, date):
        return self.with_status_on(date).filter(status_kind__in=POOR_KINDS)

    def registered_on(self, date):
        """Identified on or before `date` and not removed (清退) by then."""
        return (
            self.with_status_on(date)
            .filter(status_kind__isnull=False)
            .exclude(status_kind="removed")
        )


class PersonQuerySet(ScopedQuerySet):
    def present_on(self, date):
        """Members on `date`: joined on or before it, not left on or before it."""
        return self.filter(
            models.Q(joined_on__isnull=True) | models.Q(joined_on__lte=date),
            models.Q(left_on__isnull=True) | models.Q(left_on__gt=date),
        )


class HouseholdRowQuerySet(ScopedQuerySet):
    """Rows of one household (status events, incomes): visible with their household."""
