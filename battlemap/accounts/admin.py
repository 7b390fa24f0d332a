from django.contrib import admin

from battlemap.core.admin import ReadOnlyAdmin

from .models import RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "region"]
    list_filter = ["role"]
