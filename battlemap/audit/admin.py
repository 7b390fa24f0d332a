from django.contrib import admin

from battlemap.accounts.scopes import region_filter
from battlemap.core.admin import ReadOnlyAdmin

from .models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_id", "region_code"]
    list_filter = ["action"]
    search_fields = ["object_id", "actor_label", "region_code"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(region_filter(request.user, "region_code"))
