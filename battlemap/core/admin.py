"""Admin base: read-mostly, and scoped like every page.

A staff user sees an admin list only where one of their roles grants the list's action
(`view_action`), and its rows come from `visible_to(user)` in each `get_queryset`. Any
write the admin allows goes through a service.
"""

from django.contrib import admin


def _holds(request, action: str) -> bool:
    from battlemap.core.scoping import user_can_anywhere

    user = request.user
    return bool(user.is_active and user.is_staff and user_can_anywhere(user, action))


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and details only: records change through services, never by hand here."""

    view_action = "view_registry"

    def has_module_permission(self, request):
        return _holds(request, self.view_action)

    def has_view_permission(self, request, obj=None):
        return _holds(request, self.view_action)

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

    def has_view_permission(self, request, obj=None):
        return _holds(request, "view_registry")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
