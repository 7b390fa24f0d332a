"""The audit trail in the REST API: read-only, scoped by region like the page."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from battlemap.audit.actions import VIEW_AUDIT
from battlemap.core.scoping import holds

from .actions import action_label
from .filters import AuditFilter
from .models import AuditRecord
from .selectors import audit_records_for


class AuditRecordSerializer(serializers.ModelSerializer):
    action_label = serializers.SerializerMethodField()
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = AuditRecord
        fields = [
            "id",
            "at",
            "actor",
            "action",
            "action_label",
            "object_type",
            "object_id",
            "region_code",
            "before",
            "after",
        ]

    @extend_schema_field(serializers.CharField())
    def get_action_label(self, record) -> str:
        return action_label(record.action)


class AuditRecordViewSet(viewsets.ReadOnlyModelViewSet):
    """Audit records of the regions where the user holds `view_audit`, newest first."""

    serializer_class = AuditRecordSerializer
    filterset_class = AuditFilter
    permission_classes = [holds(VIEW_AUDIT)]

    def get_queryset(self):
        return audit_records_for(self.request.user).order_by("-at", "-id")
