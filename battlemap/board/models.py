"""Rollups: every measure of every region as a step function over dates."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from battlemap.core.scoping import Scope, region_filter, visible_prefixes
from battlemap.projects.actions import VIEW_PROJECTS


class Figure(models.Model):
    """A measure's value for a region from `date` until the region's next row for it.

    Kept for villages and every region above them, so a map reads one row per region
    and measure whatever the size of the registry.
    """

    region_code = models.CharField(_("区划代码"), max_length=12)
    measure = models.CharField(_("指标"), max_length=40)
    date = models.DateField(_("日期"))
    value = models.BigIntegerField(_("数值"))

    class Meta:
        verbose_name = _("汇总数")
        verbose_name_plural = _("汇总数")
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "measure", "date"], name="figure_region_measure_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.measure} {self.date} {self.value}"


class BulletinQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW_PROJECTS):
        """Bulletins of the regions where the user holds `action`, and of the regions
        above them: a township or a village reads its county's bulletin, which ranks it."""
        q = region_filter(user, "region__code", action)
        prefixes = visible_prefixes(user, action)
        above = {
            prefix[:length].ljust(12, "0")
            for prefix in prefixes or ()
            for length in (2, 4, 6, 9)
            if length < len(prefix)
        }
        return self.filter(q | models.Q(region__code__in=above) if above else q)


class Bulletin(models.Model):
    """The daily bulletin (日通报) of a region for a date: its content as generated, kept."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("通报日期"))
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = models.CharField(_("生成者"), max_length=150)
    content = models.JSONField(_("内容"))

    scope = Scope(region="region__code", default_action=VIEW_PROJECTS)
    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("日通报")
        verbose_name_plural = _("日通报")
        ordering = ["-date", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "date"], name="bulletin_region_date")
        ]

    def __str__(self) -> str:
        # Named as people know it (the audit trail names its objects with this).
        name = (self.content or {}).get("region", {}).get("name", self.region_id)
        return f"{name} {self.date}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("board:bulletin", args=[self.pk])
