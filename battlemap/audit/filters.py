"""One FilterSet for the audit page and the audit API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from battlemap.core.codes import normalize_code, prefix_of
from battlemap.core.filters import ScopedFilterSet

from .models import AuditRecord


class AuditFilter(ScopedFilterSet):
    user = django_filters.CharFilter(field_name="actor_label", label=_("操作者（用户名）"))
    action = django_filters.CharFilter(
        method="filter_action", label=_("操作（如 household 或 person.reveal）")
    )
    object_type = django_filters.CharFilter(label=_("对象类型（如 registry.household）"))
    object_id = django_filters.CharFilter(label=_("对象编号"))
    region = django_filters.CharFilter(method="filter_region", label=_("区划代码（6、9或12位）"))
    date_from = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label=_("起始日期")
    )
    date_to = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label=_("截止日期")
    )

    class Meta:
        model = AuditRecord
        fields = ["user", "action", "object_type", "object_id", "region", "date_from", "date_to"]

    def filter_action(self, queryset, name, value):
        value = value.strip()
        if "." in value:
            return queryset.filter(action=value)
        return queryset.filter(action__startswith=f"{value}.")

    def filter_region(self, queryset, name, value):
        code = normalize_code(value)
        if not code:
            return queryset.none()
        return queryset.filter(region_code__startswith=prefix_of(code))
