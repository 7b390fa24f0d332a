from django.contrib import admin

from battlemap.core.admin import ReadOnlyAdmin

from .models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    view_action = "view_audit"
    list_display = ["at", "actor_label", "action", "object_type", "object_id", "region_code"]
    list_filter = ["action"]
    search_fields = ["object_id", "actor_label", "region_code"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
