"""Who may see what: a user's roles (over a region or over households), API tokens, and
the failed-login counter behind the lockout."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from battlemap.core.scoping import Scope, ScopedQuerySet
from battlemap.regions.models import Region

from .actions import MANAGE_USERS
from .roles import HOUSEHOLD_ROLES, REGION_ROLES, Role

__all__ = [
    "AddressThrottle",
    "ApiToken",
    "HouseholdAssignment",
    "LoginThrottle",
    "Role",
    "RoleAssignment",
]


class RoleAssignmentQuerySet(ScopedQuerySet):
    """Assignments over regions where the user manages users."""


class RoleAssignment(models.Model):
    """A role held by a user over a region and everything below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(
        _("角色"), max_length=24, choices=[(r.value, r.label) for r in REGION_ROLES]
    )
    region = models.ForeignKey(
        Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )

    scope = Scope(region="region__code", default_action=MANAGE_USERS)
    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        ordering = ["region_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "region"], name="role_once_per_region")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} {self.region_id}"


class HouseholdAssignmentQuerySet(ScopedQuerySet):
    """Assignments over households in regions where the user manages users."""


class HouseholdAssignment(models.Model):
    """A role held by a user over one household: a paired cadre (干部包户) over the
    households paired to them. The pairing itself (dates, history) belongs to the
    assistance app; this row is what scoping reads."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="household_assignments",
    )
    role = models.CharField(
        _("角色"),
        max_length=24,
        choices=[(r.value, r.label) for r in HOUSEHOLD_ROLES],
        default=Role.PAIRED_CADRE,
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("户"), on_delete=models.CASCADE, related_name="+"
    )

    scope = Scope(region="household__village__code", default_action=MANAGE_USERS)
    objects = HouseholdAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("包户分配")
        verbose_name_plural = _("包户分配")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "household"], name="role_once_per_household"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} {self.household_id}"


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user sees their own tokens only; administrators revoke others' by deactivating."""
        if getattr(user, "pk", None) is None:
            return self.none()
        return self.filter(user_id=user.pk)

    def live(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """An API token of a user: only its SHA-256 digest is stored; revocable; it acts with
    exactly the user's roles, so it sees what the user sees."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("用途"), max_length=100, blank=True)
    prefix = models.CharField(_("令牌前缀"), max_length=12)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class LoginThrottle(models.Model):
    """Failed logins of one username: after too many, the account is locked for a while.

    `failures` counts attempts whose password was (or is being) checked, taken before the
    check; `attempts` numbers every attempt, refused ones included (lockout.py)."""

    username = models.CharField(_("用户名"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_failure_at = models.DateTimeField(_("最近失败时间"), null=True, blank=True)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")

    def __str__(self) -> str:
        return f"{self.username} {self.failures}"


class AddressThrottle(models.Model):
    """Failed logins from one network address within a window (lockout.py)."""

    address = models.CharField(_("网络地址"), max_length=45, unique=True)
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    window_started_at = models.DateTimeField(_("计数开始时间"))

    class Meta:
        verbose_name = _("地址登录失败记录")
        verbose_name_plural = _("地址登录失败记录")

    def __str__(self) -> str:
        return f"{self.address} {self.failures}"
