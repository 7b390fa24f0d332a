"""Single objects through the user's scope: the pattern behind every `get_x_for`.

An object outside the user's scope answers 404 exactly like one that does not exist, so
a probe learns nothing. An object the user may see but not act on answers 403: the
user already knows it exists.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .permissions import Action, user_can


def object_for(visible, user, action: str, **lookup):
    """The one object of the scoped queryset `visible` matching `lookup`, when `user`
    may perform `action` on it."""
    try:
        obj = visible.get(**lookup)
    except (visible.model.DoesNotExist, ValueError, TypeError):
        raise Http404(_("对象不存在或无权访问。")) from None
    if action != Action.VIEW_REGISTRY and not user_can(user, action, obj):
        raise PermissionDenied(_("您的角色无权执行此操作。"))
    return obj


def require_anywhere(user, action: str) -> None:
    """Refuse (403) a page or list to a user who holds `action` nowhere."""
    from .permissions import user_can_anywhere

    if not user_can_anywhere(user, action):
        raise PermissionDenied(_("您的角色无权执行此操作。"))


def holds(action: str):
    """A DRF permission class: the user holds `action` over some region or household."""
    from rest_framework.permissions import BasePermission

    from .permissions import user_can_anywhere

    class HoldsAction(BasePermission):
        message = _("您的角色无权执行此操作。")

        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated) and user_can_anywhere(
                request.user, action
            )

    HoldsAction.__name__ = f"Holds_{action}"
    return HoldsAction


# What a clash with a record outside the actor's regions says: that it exists, never where.
_ELSEWHERE = {
    "id_number": gettext_lazy("证件号码已在其他地区登记，请与县级管理员联系。"),
    "household": gettext_lazy("户编号已在其他地区使用，请换一个户编号或与县级管理员联系。"),
    "region": gettext_lazy("区划代码不存在或不在您的辖区内。"),
}


def conflict_text(actor, record, full: str, *, subject: str) -> str:
    """The words of a clash between an actor's input and a record on file, for every
    import and service: `full` (which may name the record's household, village, code)
    when the actor may see the record, else the `subject`'s words that say only that it
    is elsewhere. `record` is anything `user_can` places: a household, a person, a region
    or a region code. One rule for every workbook kind, so none can name another region."""
    if user_can(actor, Action.VIEW_REGISTRY, record):
        return full
    return str(_ELSEWHERE[subject])
