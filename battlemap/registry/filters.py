"""One FilterSet per list, shared by the HTML pages and the API."""

import re

import django_filters
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from battlemap.core import crypto
from battlemap.core.codes import normalize_code, prefix_of
from battlemap.core.filters import ScopedFilterSet
from battlemap.core.idnumber import normalize as normalize_id_number

from .models import Household, Person
from .querysets import POOR_KINDS

ID_NUMBER = re.compile(r"^\d{17}[\dX]$")


def is_full_id_number(text: str) -> bool:
    """Whether a search text is a full ID number: looked up exactly, and never put in a URL
    (the access log keeps URLs)."""
    return bool(ID_NUMBER.match(normalize_id_number((text or "").strip())))


def _region(queryset, field, value):
    code = normalize_code(value)
    if not code:
        return queryset.none()
    return queryset.filter(**{f"{field}__startswith": prefix_of(code)})


class HouseholdFilter(ScopedFilterSet):
    region = django_filters.CharFilter(method="filter_region", label=_("区划代码（6、9或12位）"))
    status = django_filters.ChoiceFilter(
        method="filter_status",
        label=_("状态"),
        choices=[
            ("registered", _("建档立卡（未清退）")),
            ("poor", _("贫困")),
            ("exited", _("已脱贫")),
            ("removed", _("已清退")),
        ],
    )
    date = django_filters.DateFilter(method="filter_noop", label=_("状态日期（默认今天）"))
    number = django_filters.CharFilter(lookup_expr="exact", label=_("户编号"))
    q = django_filters.CharFilter(
        method="filter_search", label=_("成员姓名或户编号（部分即可），或完整证件号码")
    )

    class Meta:
        model = Household
        fields = ["region", "status", "date", "number", "q"]

    def filter_region(self, queryset, name, value):
        return _region(queryset, "village__code", value)

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_queryset, which annotates status on this date

    def filter_status(self, queryset, name, value):
        if value == "registered":  # as `registered_on`: identified by then, not removed
            return queryset.filter(status_kind__isnull=False).exclude(status_kind="removed")
        if value == "poor":
            return queryset.filter(status_kind__in=POOR_KINDS)
        return queryset.filter(status_kind=value)

    def filter_search(self, queryset, name, value):  # scoped: narrows a queryset that starts from visible_to
        """A full ID number matches exactly through the blind index (numbers are stored
        encrypted, so there is no partial match); anything else matches part of a member's
        name (any member, past or present) or part of the household number."""
        value = value.strip()
        number = normalize_id_number(value)
        if ID_NUMBER.match(number):
            members = Person.objects.filter(id_index=crypto.blind_index(number))
            return queryset.filter(pk__in=members.values("household_id"))
        members = Person.objects.filter(name__contains=value)
        return queryset.filter(
            models.Q(pk__in=members.values("household_id")) | models.Q(number__contains=value)
        )

    def filter_queryset(self, queryset):
        date = self.form.cleaned_data.get("date") or timezone.localdate()
        return super().filter_queryset(queryset.with_status_on(date))


class PersonFilter(ScopedFilterSet):
    region = django_filters.CharFilter(method="filter_region", label=_("区划代码（6、9或12位）"))
    present_on = django_filters.DateFilter(method="filter_present", label=_("在该日期为家庭成员"))

    class Meta:
        model = Person
        fields = ["region", "household", "present_on"]

    def filter_region(self, queryset, name, value):
        return _region(queryset, "household__village__code", value)

    def filter_present(self, queryset, name, value):
        return queryset.present_on(value)
