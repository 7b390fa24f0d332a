"""Project reads (`visible_to` comes from the models' scope declarations).

A project is visible where one of the user's roles grants the action over the project's
place (a village or a township), and to its responsible person (责任人) for the actions
a responsible person holds (`RESPONSIBLE_PERSON_ACTIONS`), whatever their roles.
"""

from battlemap.core.scoping import Scope, ScopedQuerySet

from .actions import RESPONSIBLE_PERSON_ACTIONS, VIEW_PROJECTS

PROJECT_SCOPE = Scope(
    region="region__code",
    responsible="responsible_user_id",
    responsible_actions=RESPONSIBLE_PERSON_ACTIONS,
    default_action=VIEW_PROJECTS,
)
# Rows of one project (stages, funds, milestones, reports): visible with their project.
PROJECT_ROW_SCOPE = Scope(
    region="project__region__code",
    responsible="project__responsible_user_id",
    responsible_actions=RESPONSIBLE_PERSON_ACTIONS,
    default_action=VIEW_PROJECTS,
)


class ProjectQuerySet(ScopedQuerySet):
    pass


class ProjectRowQuerySet(ScopedQuerySet):
    """Rows of one project (stages, funds, milestones, reports): visible with their project."""
