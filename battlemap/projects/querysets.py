"""Project reads: scoping to what a user may see.

A project is visible where one of the user's roles grants the action over the project's
place (a village or a township), and to its responsible person (责任人) for the actions
a responsible person holds (`RESPONSIBLE_PERSON_ACTIONS`), whatever their roles.
"""

from django.db import models
from django.db.models import Q

from battlemap.accounts.permissions import RESPONSIBLE_PERSON_ACTIONS, Action
from battlemap.accounts.scopes import region_filter


def project_filter(user, prefix: str, action: str) -> Q:
    q = region_filter(user, f"{prefix}region__code", action)
    if q == Q():  # a system actor: everything
        return q
    if action in RESPONSIBLE_PERSON_ACTIONS and getattr(user, "is_active", False) and user.pk:
        q |= Q(**{f"{prefix}responsible_user": user.pk})
    return q


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = Action.VIEW_PROJECTS):
        return self.filter(project_filter(user, "", action))

    def in_region(self, region):
        return self.filter(region__code__startswith=region.prefix)


class ProjectRowQuerySet(models.QuerySet):
    """Rows of one project (stages, funds, milestones, reports): visible with their project."""

    def visible_to(self, user, action: str = Action.VIEW_PROJECTS):
        return self.filter(project_filter(user, "project__", action))

    def in_region(self, region):
        return self.filter(project__region__code__startswith=region.prefix)
