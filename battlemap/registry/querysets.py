"""Registry reads: scoping to what a user may see, and status on a date."""

from django.db import models

from battlemap.accounts.permissions import Action
from battlemap.accounts.scopes import household_filter

POOR_KINDS = ("identified", "newly_identified", "relapsed")
IDENTIFYING_KINDS = ("identified", "newly_identified")


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = Action.VIEW_REGISTRY):
        """Households in the regions (or paired to the user) where a role of the user
        grants `action`; nothing without a role."""
        return self.filter(household_filter(user, "village__code", "pk", action))

    def in_region(self, region):
        return self.filter(village__code__startswith=region.prefix)

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


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = Action.VIEW_REGISTRY):
        return self.filter(
            household_filter(user, "household__village__code", "household_id", action)
        )

    def in_region(self, region):
        return self.filter(household__village__code__startswith=region.prefix)

    def present_on(self, date):
        """Members on `date`: joined on or before it, not left on or before it."""
        return self.filter(
            models.Q(joined_on__isnull=True) | models.Q(joined_on__lte=date),
            models.Q(left_on__isnull=True) | models.Q(left_on__gt=date),
        )


class HouseholdRowQuerySet(models.QuerySet):
    """Rows of one household (status events, incomes): visible with their household."""

    def visible_to(self, user, action: str = Action.VIEW_REGISTRY):
        return self.filter(
            household_filter(user, "household__village__code", "household_id", action)
        )
