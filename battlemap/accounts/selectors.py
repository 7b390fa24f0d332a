"""Account reads: the users an administrator may see, never more."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from .models import RoleAssignment


def users_visible_to(actor):
    """Users holding a role in a region where `actor` manages users."""
    in_scope = RoleAssignment.objects.visible_to(actor)
    return (
        get_user_model()
        .objects.filter(pk__in=in_scope.values("user_id"))
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.select_related("region").order_by("region_id"),
            )
        )
        .order_by("username")
    )


def get_user_for(actor, pk):
    """A user `actor` may see (404 otherwise, existing or not)."""
    try:
        return users_visible_to(actor).get(pk=pk)
    except (get_user_model().DoesNotExist, ValueError, TypeError):
        raise Http404(_("对象不存在或无权访问。")) from None
