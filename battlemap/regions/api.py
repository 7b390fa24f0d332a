"""Regions in the REST API: the tree as the user may see it."""

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from battlemap.core.filters import ScopedFilterSet

from .models import Region


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]


class RegionFilter(ScopedFilterSet):
    within = django_filters.CharFilter(
        method="filter_within", label=_("区划代码前缀（6、9或12位）")
    )
    level = django_filters.ChoiceFilter(choices=Region._meta.get_field("level").choices)

    class Meta:
        model = Region
        fields = ["parent", "level"]

    def filter_within(self, queryset, name, value):
        from battlemap.core.codes import normalize_code, prefix_of

        code = normalize_code(value)
        return queryset.filter(code__startswith=prefix_of(code)) if code else queryset.none()


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions the user may see; `within` restricts to a subtree."""

    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"

    def get_queryset(self):
        return Region.objects.visible_to(self.request.user).order_by("code")
