from django.contrib import admin

from battlemap.core.admin import ReadOnlyAdmin

from .models import ApiToken, HouseholdAssignment, LoginThrottle, RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    view_action = "manage_users"
    list_display = ["user", "role", "region"]
    list_filter = ["role"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(HouseholdAssignment)
class HouseholdAssignmentAdmin(ReadOnlyAdmin):
    view_action = "manage_users"
    list_display = ["user", "role", "household"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Token prefixes only: the token itself is never stored."""

    view_action = "manage_users"
    list_display = ["user", "prefix", "name", "created_at", "last_used_at", "revoked_at"]
    exclude = ["digest"]

    def get_queryset(self, request):
        from .selectors import users_visible_to

        return super().get_queryset(request).filter(user__in=users_visible_to(request.user))


@admin.register(LoginThrottle)
class LoginThrottleAdmin(ReadOnlyAdmin):
    view_action = "manage_users"
    list_display = ["username", "failures", "last_failure_at", "locked_until"]

    def get_queryset(self, request):
        from .selectors import users_visible_to

        names = users_visible_to(request.user).values("username")
        return super().get_queryset(request).filter(username__in=names)
