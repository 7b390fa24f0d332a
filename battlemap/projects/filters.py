"""One FilterSet for the project library's page and its API: year, stage, programme,
place (a region code prefix), project number, and a search over number and name."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from battlemap.core.filters import ScopedFilterSet

from .models import Programme, Project, Stage


class ProjectFilter(ScopedFilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("阶段"))
    programme = django_filters.ChoiceFilter(choices=Programme.choices, label=_("所属工程"))
    region = django_filters.CharFilter(method="filter_region", label=_("区划代码"))
    number = django_filters.CharFilter(field_name="number", label=_("项目编号"))
    q = django_filters.CharFilter(method="filter_q", label=_("项目编号或名称"))

    class Meta:
        model = Project
        fields = ["year", "stage", "programme", "region", "number", "q"]

    def filter_region(self, queryset, name, value):
        """The projects in a region and below it (a code prefix of digits)."""
        value = value.strip()
        return queryset.filter(region__code__startswith=value) if value.isdigit() else queryset

    def filter_q(self, queryset, name, value):
        # Part of a number or a name: a county office searches the number it was sent.
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(name__icontains=value))
