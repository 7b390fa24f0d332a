"""One FilterSet for the audit page and the audit API.

The page offers drop-downs in words (actions by label, object types by their name,
the regions the reader may see); the API takes the same values, and also an action's
group (`household` for every household action) and any region code prefix.
"""

import django_filters
from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from battlemap.core.actions import audit_labels
from battlemap.core.codes import normalize_code, prefix_of
from battlemap.core.filters import ScopedFilterSet

from .actions import VIEW_AUDIT
from .models import AuditRecord


class _OpenChoiceField(forms.ChoiceField):
    """A drop-down that also accepts what `accept(value)` allows (the API's prefixes)."""

    def __init__(self, *args, accept=None, **kwargs):
        self.accept = accept
        super().__init__(*args, **kwargs)
        # An empty first choice: without it the browser shows (and submits) the first one.
        self.choices = [("", _("全部")), *self.choices]

    def valid_value(self, value):
        return super().valid_value(value) or bool(self.accept and self.accept(value))


class _OpenChoiceFilter(django_filters.ChoiceFilter):
    field_class = _OpenChoiceField


def _action_group(value: str) -> bool:
    return any(action.startswith(f"{value}.") for action in audit_labels())


def action_choices():
    return sorted(((code, str(label)) for code, label in audit_labels().items()), key=lambda c: c[1])


def object_type_choices():
    """Every model of Battlemap (and the user), by its name."""
    user_model = apps.get_model("auth", "User")
    models_ = [
        m for m in apps.get_models() if m.__module__.startswith("battlemap.") or m is user_model
    ]
    return sorted(
        ((m._meta.label_lower, str(m._meta.verbose_name)) for m in models_), key=lambda c: c[1]
    )


class AuditFilter(ScopedFilterSet):
    user = django_filters.CharFilter(field_name="actor_label", label=_("操作者（用户名）"))
    action = _OpenChoiceFilter(
        method="filter_action", label=_("操作"), choices=action_choices, accept=_action_group
    )
    object_type = django_filters.ChoiceFilter(label=_("对象类型"), choices=object_type_choices)
    object_id = django_filters.CharFilter(label=_("对象编号"))
    region = _OpenChoiceFilter(
        method="filter_region",
        label=_("区划"),
        choices=[],
        accept=lambda value: bool(normalize_code(value)),
    )
    date_from = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label=_("起始日期")
    )
    date_to = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label=_("截止日期")
    )

    class Meta:
        model = AuditRecord
        fields = ["user", "action", "object_type", "object_id", "region", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self.filters["region"].extra["choices"] = self._regions(user)

    @staticmethod
    def _regions(user):
        """The regions where the reader sees the audit trail, villages indented."""
        region = apps.get_model("regions", "Region")
        indent = {"county": "", "township": "　", "village": "　　"}
        rows = (
            region.objects.visible_to(user, VIEW_AUDIT)
            .order_by("code")
            .values_list("code", "name", "level")
        )
        return [(code, f"{indent.get(level, '')}{name}") for code, name, level in rows]

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
