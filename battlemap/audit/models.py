"""The audit trail: who changed what, when, with the state before and after.

Nobody can change or delete a record: the model and its queryset refuse in Python (for
SQLite and every code path), and on PostgreSQL a trigger refuses at the database
(migration 0002), whatever the client.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from battlemap.core.scoping import Scope, ScopedQuerySet

from .actions import VIEW_AUDIT


class AuditRecordQuerySet(ScopedQuerySet):
    """Records filed under the regions where the user holds `view_audit`. Records of no
    region (system set-up) are for system actors only."""

    def update(self, **kwargs):
        raise PermissionError("Audit records cannot be changed.")

    def delete(self):
        raise PermissionError("Audit records cannot be deleted.")


class AuditRecord(models.Model):
    """One change (or one look at personal data) by a user, a command, an import or a job."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("操作者"), max_length=150)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象"), max_length=64, blank=True)
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True, db_index=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)

    scope = Scope(region="region_code", default_action=VIEW_AUDIT)
    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit records cannot be deleted.")
