"""The region tree: county → township → village, keyed by the 12-digit statistical code."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from battlemap.core.codes import Level, level_of, prefix_of
from battlemap.core.scoping import Scope

from .querysets import RegionQuerySet, RegionRowQuerySet


class Region(models.Model):
    """A division (统计用区划): its code is the path, so descendants share its prefix."""

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    geometry = models.JSONField(_("边界（GeoJSON）"), null=True, blank=True)

    scope = Scope(region="code")
    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=Level.values), name="region_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def prefix(self) -> str:
        """The code prefix every descendant's code starts with."""
        return prefix_of(self.code)

    @property
    def computed_level(self) -> str:
        return level_of(self.code)


class RegionPopulation(models.Model):
    """Population of a region in a year (户籍人口, 农村户籍人口), the denominator of incidence."""

    region = models.ForeignKey(
        Region, verbose_name=_("区划"), on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    registered = models.PositiveIntegerField(_("户籍人口"))
    rural = models.PositiveIntegerField(_("农村户籍人口"))

    scope = Scope(region="region__code")
    objects = RegionRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("人口")
        verbose_name_plural = _("人口")
        ordering = ["region", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"], name="population_region_year_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(rural__lte=models.F("registered")),
                name="population_rural_le_registered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"


class VillageStatusEvent(models.Model):
    """A poor village's dated status: identified as poor (认定) or exited (出列)."""

    class Kind(models.TextChoices):
        IDENTIFIED = "identified", _("认定为贫困村")
        EXITED = "exited", _("出列")

    region = models.ForeignKey(
        Region, verbose_name=_("村"), on_delete=models.CASCADE, related_name="poverty_events"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("日期"))

    scope = Scope(region="region__code")
    objects = RegionRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("贫困村状态")
        verbose_name_plural = _("贫困村状态")
        ordering = ["region", "date"]
        constraints = [
            models.UniqueConstraint(fields=["region", "kind"], name="village_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.get_kind_display()} {self.date}"
