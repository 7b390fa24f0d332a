"""Admin base: read-mostly; any write the admin allows goes through a service."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and details only: records change through services, never by hand here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
