"""One FilterSet per list, shared by the HTML pages and the API."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from battlemap.regions.codes import normalize_code, prefix_of

from .models import Household, Person
from .querysets import POOR_KINDS


def _region(queryset, field, value):
    code = normalize_code(value)
    if not code:
        return queryset.none()
    return queryset.filter(**{f"{field}__startswith": prefix_of(code)})


class HouseholdFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(method="filter_region", label=_("区划代码（6、9或12位）"))
    status = django_filters.ChoiceFilter(
        method="filter_status",
        label=_("状态"),
        choices=[("poor", _("贫困")), ("exited", _("已脱贫")), ("removed", _("已清退"))],
    )
    date = django_filters.DateFilter(method="filter_noop", label=_("状态日期（默认今天）"))
    number = django_filters.CharFilter(lookup_expr="exact", label=_("户编号"))

    class Meta:
        model = Household
        fields = ["region", "status", "date", "number"]

    def filter_region(self, queryset, name, value):
        return _region(queryset, "village__code", value)

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_queryset, which annotates status on this date

    def filter_status(self, queryset, name, value):
        if value == "poor":
            return queryset.filter(status_kind__in=POOR_KINDS)
        return queryset.filter(status_kind=value)

    def filter_queryset(self, queryset):
        date = self.form.cleaned_data.get("date") or timezone.localdate()
        return super().filter_queryset(queryset.with_status_on(date))


class PersonFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(method="filter_region", label=_("区划代码（6、9或12位）"))
    present_on = django_filters.DateFilter(method="filter_present", label=_("在该日期为家庭成员"))

    class Meta:
        model = Person
        fields = ["region", "household", "present_on"]

    def filter_region(self, queryset, name, value):
        return _region(queryset, "household__village__code", value)

    def filter_present(self, queryset, name, value):
        return queryset.present_on(value)
