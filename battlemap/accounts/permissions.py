"""Named actions and which roles hold them: the one table that says who may do what.

A user holds roles (`RoleAssignment`: a role over a region and everything below it,
or `HouseholdAssignment`: a role over one household). A role grants named actions.
`user_can(user, action, obj)` asks whether one of the user's roles grants the action
over the object's region (or the object's household). Deny by default: no assignment,
no action; a role that is not in `ROLE_ACTIONS` grants nothing.

Superusers are system administrators (Django admin, accounts); they read no registry
data unless they also hold a role. Only system actors (commands, imports, jobs) act
everywhere.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role


class Action(models.TextChoices):
    """What a role may do. Views, API and services ask for these by name, never by role."""

    VIEW_REGISTRY = "view_registry", _("查看建档立卡数据和作战图")
    EDIT_REGISTRY = "edit_registry", _("修改建档立卡数据")
    VIEW_PERSONAL_DATA = "view_personal_data", _("导出完整的证件号码和电话")
    REVEAL_PERSONAL_DATA = "reveal_personal_data", _("逐条查看完整的证件号码和电话")
    EXPORT_REGISTRY = "export_registry", _("导出建档立卡数据")
    MANAGE_USERS = "manage_users", _("管理用户")
    VIEW_AUDIT = "view_audit", _("查看审计记录")
    RAISE_PROBLEM = "raise_problem", _("提出督查问题")
    VERIFY_PROBLEM = "verify_problem", _("核验问题整改")
    VIEW_PROJECTS = "view_projects", _("查看扶贫项目、资金和日通报")
    EDIT_PROJECTS = "edit_projects", _("管理扶贫项目库、资金和项目作战图")
    FILE_REPORT = "file_report", _("填报项目日报告")
    ISSUE_BULLETIN = "issue_bulletin", _("生成日通报")


A = Action
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.COUNTY_ADMIN: frozenset(A.values),
    # Leaders read everything, but never a personal number.
    Role.LEADER: frozenset({A.VIEW_REGISTRY, A.EXPORT_REGISTRY, A.VIEW_PROJECTS}),
    Role.TOWNSHIP_OFFICIAL: frozenset(
        {
            A.VIEW_REGISTRY,
            A.EDIT_REGISTRY,
            A.VIEW_PERSONAL_DATA,
            A.REVEAL_PERSONAL_DATA,
            A.EXPORT_REGISTRY,
            A.MANAGE_USERS,
            A.VIEW_AUDIT,
            A.VIEW_PROJECTS,
            A.EDIT_PROJECTS,
            A.FILE_REPORT,
        }
    ),
    Role.VILLAGE_CADRE: frozenset(
        {
            A.VIEW_REGISTRY,
            A.EDIT_REGISTRY,
            A.REVEAL_PERSONAL_DATA,
            A.EXPORT_REGISTRY,
            A.VIEW_PROJECTS,
            A.FILE_REPORT,
        }
    ),
    # Departments match their deliveries to persons by ID number, one at a time.
    Role.DEPARTMENT: frozenset(
        {A.VIEW_REGISTRY, A.REVEAL_PERSONAL_DATA, A.EXPORT_REGISTRY, A.VIEW_PROJECTS}
    ),
    Role.INSPECTOR: frozenset(
        {
            A.VIEW_REGISTRY,
            A.EXPORT_REGISTRY,
            A.VIEW_AUDIT,
            A.RAISE_PROBLEM,
            A.VERIFY_PROBLEM,
            A.VIEW_PROJECTS,
        }
    ),
    # A paired cadre (干部包户) visits their households: read, and reveal a number to call.
    Role.PAIRED_CADRE: frozenset({A.VIEW_REGISTRY, A.REVEAL_PERSONAL_DATA}),
}

# A project's responsible person (责任人) holds these over that project only, through
# `Project.responsible_user`, whatever roles they hold elsewhere (projects/querysets.py).
RESPONSIBLE_PERSON_ACTIONS: frozenset[str] = frozenset({A.VIEW_PROJECTS, A.FILE_REPORT})

# Which roles a holder of `manage_users` may hand out, always within their own region.
# A township official creates village accounts; only the county hands out county roles.
ASSIGNABLE_ROLES: dict[str, frozenset[str]] = {
    Role.COUNTY_ADMIN: frozenset(
        {
            Role.COUNTY_ADMIN,
            Role.LEADER,
            Role.TOWNSHIP_OFFICIAL,
            Role.VILLAGE_CADRE,
            Role.DEPARTMENT,
            Role.INSPECTOR,
        }
    ),
    Role.TOWNSHIP_OFFICIAL: frozenset({Role.VILLAGE_CADRE}),
}


def role_grants(role: str, action: str) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())


def region_code_of(obj) -> str | None:
    """The 12-digit code of the region an object belongs to (None when it has none)."""
    from battlemap.audit.models import AuditRecord
    from battlemap.regions.models import Region
    from battlemap.registry.models import Household, Person

    if isinstance(obj, str):
        return obj
    if isinstance(obj, Region):
        return obj.code
    if isinstance(obj, Household):
        return obj.village_id
    if isinstance(obj, Person):
        return obj.household.village_id
    if isinstance(obj, AuditRecord):
        return obj.region_code or None
    household = getattr(obj, "household", None)
    if household is not None:
        return household.village_id
    project = getattr(obj, "project", None)  # a project's milestones, funds, reports
    if project is not None:
        return project.region_id
    region = getattr(obj, "region", None)
    if region is not None:
        return region.code
    return None


def household_id_of(obj) -> int | None:
    from battlemap.registry.models import Household

    if isinstance(obj, Household):
        return obj.pk
    return getattr(obj, "household_id", None)


def user_can(user, action: str, obj) -> bool:
    """Whether one of the user's roles grants `action` over `obj` (a region, a code, a
    household, a person, an audit record…). Deny by default."""
    from .scopes import household_grants, is_system, role_regions

    if is_system(user):
        return True
    code = region_code_of(obj)
    if code:
        for role, prefix in role_regions(user):
            if code.startswith(prefix) and role_grants(role, action):
                return True
    household_id = household_id_of(obj)
    if household_id is not None:
        for role, granted in household_grants(user):
            if granted == household_id and role_grants(role, action):
                return True
    return (
        action in RESPONSIBLE_PERSON_ACTIONS
        and getattr(user, "is_active", False)
        and responsible_user_id_of(obj) == user.pk
    )


def responsible_user_id_of(obj) -> int | None:
    """The account of the person responsible for a project (or for the project of a row)."""
    project = getattr(obj, "project", None) or obj
    return getattr(project, "responsible_user_id", None)


def user_can_anywhere(user, action: str) -> bool:
    """Whether the user holds `action` over any region or household (menus, list pages)."""
    from .scopes import household_grants, is_system, role_regions

    if is_system(user):
        return True
    return any(role_grants(role, action) for role, _p in role_regions(user)) or any(
        role_grants(role, action) for role, _h in household_grants(user)
    )


def can_assign(actor, role: str, region_code: str) -> bool:
    """Whether `actor` may hand out `role` over `region_code` (and so manage its holder)."""
    from .scopes import is_system, role_regions

    if is_system(actor):
        return True
    for held, prefix in role_regions(actor):
        if (
            region_code.startswith(prefix)
            and role_grants(held, Action.MANAGE_USERS)
            and role in ASSIGNABLE_ROLES.get(held, frozenset())
        ):
            return True
    return False
