"""Account reads: the users an administrator may see, never more."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _

from battlemap.core.scoping import region_filter

from .actions import MANAGE_USERS
from .models import HouseholdAssignment, RoleAssignment


@dataclass(frozen=True)
class UserAnchor:
    """Rows of another app that tie an account to a region without a role over it
    (a project's responsible person): the app declares them in its `ready()`, so the
    users page lists the account wherever those rows lie (accounts imports no domain app)."""

    model: str  # "app_label.Model"
    user_field: str  # the foreign key to the user
    region_field: str  # the region-code column of the row
    label: str  # what the account is there, shown on the users page


USER_ANCHORS: list[UserAnchor] = []


def register_user_anchor(anchor: UserAnchor) -> None:
    if anchor not in USER_ANCHORS:
        USER_ANCHORS.append(anchor)


def _anchor_rows(anchor: UserAnchor):
    return apps.get_model(anchor.model).objects.filter(**{f"{anchor.user_field}__isnull": False})


def users_visible_to(actor):  # scoped: filtered below by the reader's regions (region_filter)
    """Every account the regions where `actor` manages users reach: holders of a role
    there, paired cadres of households there, and the accounts other apps anchor there
    (project owners)."""
    reach = Q(pk__in=RoleAssignment.objects.visible_to(actor).values("user_id")) | Q(
        pk__in=HouseholdAssignment.objects.visible_to(actor).values("user_id")
    )
    for anchor in USER_ANCHORS:
        rows = _anchor_rows(anchor).filter(
            region_filter(actor, anchor.region_field, MANAGE_USERS)
        )
        reach |= Q(pk__in=rows.values(anchor.user_field))
    return (
        get_user_model()
        .objects.filter(reach)
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.select_related("region").order_by("region_id"),
            )
        )
        .order_by("username")
    )


def anchor_region_codes(user) -> set[str]:  # scoped: the regions of one account's rows: who may manage it
    """The region codes where `user` is anchored without a role (households, projects)."""
    codes = set(
        HouseholdAssignment.objects.filter(user=user).values_list(
            "household__village__code", flat=True
        )
    )
    for anchor in USER_ANCHORS:
        codes |= set(
            _anchor_rows(anchor)
            .filter(**{anchor.user_field: user})
            .values_list(anchor.region_field, flat=True)
        )
    return codes


def anchor_labels(users) -> dict[int, list[str]]:
    """For each of `users` (a page), what other apps make them (e.g. 项目责任人)."""
    ids = [u.pk for u in users]
    labels: dict[int, list[str]] = {}
    for anchor in USER_ANCHORS:
        found = (
            _anchor_rows(anchor)
            .filter(**{f"{anchor.user_field}__in": ids})
            .values_list(anchor.user_field, flat=True)
            .distinct()
        )
        for pk in found:
            labels.setdefault(pk, []).append(anchor.label)
    return labels


def get_user_for(actor, pk):
    """A user `actor` may see (404 otherwise, existing or not)."""
    try:
        return users_visible_to(actor).get(pk=pk)
    except (get_user_model().DoesNotExist, ValueError, TypeError):
        raise Http404(_("对象不存在或无权访问。")) from None
