"""Who may see what: a user's roles, each held over a region."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from battlemap.regions.models import Region


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("县级管理员")
    LEADER = "leader", _("县领导")
    TOWNSHIP_OFFICIAL = "township_official", _("乡镇干部")
    VILLAGE_CADRE = "village_cadre", _("村干部")
    DEPARTMENT = "department", _("行业部门")
    INSPECTOR = "inspector", _("督查人员")


class RoleAssignment(models.Model):
    """A role held by a user over a region and everything below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "region"], name="role_once_per_region")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} {self.region_id}"
