"""Rollups: every measure of every region as a step function over dates."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
