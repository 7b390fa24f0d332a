"""Scoping: the one place that turns a user's roles into query filters and answers
`user_can(user, action, obj)`, for any model that declares where it belongs.

A scoped model says where its region is (a query path to the 12-digit code: the prefix
is the tree), and where it has them, its household and its responsible user:

    class Household(models.Model):
        scope = Scope(region="village__code", household="pk")
        objects = ScopedQuerySet.as_manager()

and gets `visible_to(user, action)` from `ScopedQuerySet`; `user_can` reads the same
declaration off an object. No type list anywhere: a new model is scoped by declaring.

Deny by default: a user with no role sees nothing; an inactive user sees nothing; a
superuser is a system administrator and sees only what their roles show. Only system
actors (commands, imports, jobs: `is_system`) see everything. Who holds which role where
comes from a loader that `accounts` registers (core never imports accounts); what a role
may do comes from the apps' action declarations (`core.actions`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actions import role_grants
from .errors import Forbidden

NOTHING = Q(pk__in=[])
# The action a scoped read asks for when the model declares none: the map and registry.
VIEW = "view_registry"


@dataclass(frozen=True)
class Scope:
    """Where a model's rows belong, as query paths from the model.

    region: path to the region's 12-digit code ("code", "village__code",
        "household__village__code", "region_code"…);
    household: path to the household's id, for roles held over households ("pk",
        "household_id");
    responsible: path to the id of the user responsible for the row, who holds
        `responsible_actions` over it whatever their roles;
    default_action: what `visible_to(user)` asks for when no action is given.
    """

    region: str
    household: str | None = None
    responsible: str | None = None
    responsible_actions: frozenset[str] = field(default_factory=frozenset)
    default_action: str = VIEW


# -- who holds which role where (registered by accounts) --------------------------------

RoleLoader = Callable[[object], tuple[list[tuple[str, str]], list[tuple[str, int]]]]
_loader: RoleLoader | None = None


def register_role_loader(loader: RoleLoader) -> None:
    """`loader(user)` returns ([(role, region code prefix)], [(role, household id)])."""
    global _loader
    _loader = loader


def is_system(user) -> bool:
    """Commands, imports and jobs act everywhere; no person does."""
    return bool(getattr(user, "is_system", False))


def _active(user) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", True)
        and getattr(user, "pk", None) is not None
    )


def _load(user) -> None:
    regions, households = _loader(user) if _loader else ([], [])
    user._battlemap_roles = sorted(set(regions))
    user._battlemap_households = sorted(set(households))


def role_regions(user) -> list[tuple[str, str]]:
    """(role, code prefix) for each of the user's region assignments; cached on the user."""
    if not _active(user):
        return []
    if getattr(user, "_battlemap_roles", None) is None:
        _load(user)
    return user._battlemap_roles


def household_grants(user) -> list[tuple[str, int]]:
    """(role, household id) for each household the user holds a role over; cached."""
    if not _active(user):
        return []
    if getattr(user, "_battlemap_households", None) is None:
        _load(user)
    return user._battlemap_households


def forget(user) -> None:
    """Drop the cached roles after the user's assignments changed."""
    for name in ("_battlemap_roles", "_battlemap_households"):
        if hasattr(user, name):
            delattr(user, name)


# -- filters ------------------------------------------------------------------------------


def visible_prefixes(user, action: str = VIEW) -> list[str] | None:
    """Code prefixes over which the user holds `action`; None means everywhere (system)."""
    if is_system(user):
        return None
    prefixes = {prefix for role, prefix in role_regions(user) if role_grants(role, action)}
    # A township under a county the user also holds adds nothing: keep the top prefixes.
    return sorted(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes))


def region_filter(user, path: str, action: str = VIEW) -> Q:
    """A Q object limiting `path` (a region-code column) to where `user` holds `action`."""
    prefixes = visible_prefixes(user, action)
    if prefixes is None:
        return Q()
    if not prefixes:
        return NOTHING
    q = Q()
    for prefix in prefixes:
        q |= Q(**{f"{path}__startswith": prefix})
    return q


def granted_household_ids(user, action: str = VIEW) -> list[int]:
    return sorted({pk for role, pk in household_grants(user) if role_grants(role, action)})


def _either(q: Q, other: Q) -> Q:
    return other if q == NOTHING else q | other


def scope_filter(user, scope: Scope, action: str | None = None, prefix: str = "") -> Q:
    """Rows (reached through `prefix`, e.g. "household__") that `scope` puts where `user`
    holds `action`: by region, by household held, or as the responsible user."""
    action = action or scope.default_action
    q = region_filter(user, prefix + scope.region, action)
    if q == Q():  # a system actor: everything
        return q
    if scope.household:
        ids = granted_household_ids(user, action)
        if ids:
            q = _either(q, Q(**{f"{prefix}{scope.household}__in": ids}))
    if scope.responsible and action in scope.responsible_actions and _active(user):
        q = _either(q, Q(**{prefix + scope.responsible: user.pk}))
    return q


def scope_of(model) -> Scope | None:
    return getattr(model, "scope", None)


class ScopedQuerySet(models.QuerySet):
    """The queryset base of every scoped model: `visible_to` from the model's `scope`."""

    def visible_to(self, user, action: str | None = None):
        """Rows where one of the user's roles grants `action` (the model's default action
        when none is given); nothing without a role."""
        return self.filter(scope_filter(user, self.model.scope, action))

    def in_region(self, region):
        return self.filter(**{f"{self.model.scope.region}__startswith": region.prefix})


# -- one object ---------------------------------------------------------------------------


def _resolve(obj, path: str):
    """The value at a query path, read off an object: `household__village__code` reads
    `obj.household.village_id` (a foreign key's raw value when the path ends at the
    related primary key, so no query is spent on the last step)."""
    parts = path.split("__")
    for i, part in enumerate(parts):
        if obj is None:
            return None
        if part == "pk":
            return obj.pk
        try:
            f = obj._meta.get_field(part)
        except Exception:  # a property or plain attribute
            f = None
        last = i == len(parts) - 1
        if (
            f is not None
            and getattr(f, "many_to_one", False)
            and i == len(parts) - 2
            and parts[-1] in (f.related_model._meta.pk.name, "pk")
        ):
            return getattr(obj, f.attname)
        if f is not None and getattr(f, "many_to_one", False) and last:
            return getattr(obj, f.attname)
        obj = getattr(obj, part, None)
    return obj


def region_code_of(obj) -> str | None:
    """The 12-digit code of the region an object belongs to (None when it declares none)."""
    if isinstance(obj, str):
        return obj
    scope = scope_of(type(obj))
    if scope is None:
        return None
    code = _resolve(obj, scope.region)
    return str(code) if code else None


def user_can(user, action: str, obj) -> bool:
    """Whether one of the user's roles grants `action` over `obj` (a region code or any
    object of a scoped model). Deny by default."""
    if is_system(user):
        return True
    code = region_code_of(obj)
    if code:
        for role, prefix in role_regions(user):
            if code.startswith(prefix) and role_grants(role, action):
                return True
    scope = None if isinstance(obj, str) else scope_of(type(obj))
    if scope is None:
        return False
    if scope.household:
        household_id = _resolve(obj, scope.household)
        if household_id is not None:
            for role, granted in household_grants(user):
                if granted == household_id and role_grants(role, action):
                    return True
    return bool(
        scope.responsible
        and action in scope.responsible_actions
        and _active(user)
        and _resolve(obj, scope.responsible) == user.pk
    )


def require_action(actor, action: str, obj) -> None:
    """Refuse (`Forbidden`) an actor whose roles do not grant `action` over `obj`: every
    service calls this first, so a new caller (a page, a job, a command) cannot forget."""
    if not user_can(actor, action, obj):
        raise Forbidden()


def system_only(actor) -> None:
    """Refuse anyone but a system actor (commands, jobs): work no role is granted."""
    if not is_system(actor):
        raise Forbidden()


def user_can_anywhere(user, action: str) -> bool:
    """Whether the user holds `action` over any region or household (menus, list pages)."""
    if is_system(user):
        return True
    return any(role_grants(role, action) for role, _p in role_regions(user)) or any(
        role_grants(role, action) for role, _h in household_grants(user)
    )


def object_for(visible, user, action: str, **lookup):
    """The one object of the scoped queryset `visible` matching `lookup`, when `user`
    may perform `action` on it.

    An object outside the user's scope answers 404 exactly like one that does not exist,
    so a probe learns nothing. An object the user may see but not act on answers 403: the
    user already knows it exists.
    """
    try:
        obj = visible.get(**lookup)
    except (visible.model.DoesNotExist, ValueError, TypeError):
        raise Http404(_("对象不存在或无权访问。")) from None
    if action != VIEW and not user_can(user, action, obj):
        raise PermissionDenied(_("您的角色无权执行此操作。"))
    return obj


def require_anywhere(user, action: str) -> None:
    """Refuse (403) a page or list to a user who holds `action` nowhere."""
    if not user_can_anywhere(user, action):
        raise PermissionDenied(_("您的角色无权执行此操作。"))


def holds(action: str):
    """A DRF permission class: the user holds `action` over some region or household."""
    from rest_framework.permissions import BasePermission

    class HoldsAction(BasePermission):
        message = _("您的角色无权执行此操作。")

        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated) and user_can_anywhere(
                request.user, action
            )

    HoldsAction.__name__ = f"Holds_{action}"
    return HoldsAction


# What a clash with a record outside the actor's regions says: that it exists, never where.
_ELSEWHERE = {
    "id_number": gettext_lazy("证件号码已在其他地区登记，请与县级管理员联系。"),
    "household": gettext_lazy("户编号已在其他地区使用，请换一个户编号或与县级管理员联系。"),
    "region": gettext_lazy("区划代码不存在或不在您的辖区内。"),
}


def conflict_text(actor, record, full: str, *, subject: str) -> str:
    """The words of a clash between an actor's input and a record on file, for every
    import and service: `full` (which may name the record's household, village, code)
    when the actor may see the record, else the `subject`'s words that say only that it
    is elsewhere. `record` is anything `user_can` places: a household, a person, a region
    or a region code. One rule for every workbook kind, so none can name another region."""
    if user_can(actor, VIEW, record):
        return full
    return str(_ELSEWHERE[subject])
