"""Test personas: a holder of a role over one region (the county administrator, a
township official, a village cadre), a superuser who is only a system administrator,
and an outsider who must see nothing. No passwords (tests log in with force_login)."""

from django.contrib.auth import get_user_model

from battlemap.accounts.models import Role, RoleAssignment


def holder(region, *, username: str, role: str, staff: bool = False):
    user = get_user_model().objects.create_user(username, is_staff=staff)
    RoleAssignment.objects.create(user=user, role=role, region=region)
    return user


def county_admin(county, username: str = "boss", *, staff: bool = False):
    """The county administrator: every action over the whole county."""
    return holder(county, username=username, role=Role.COUNTY_ADMIN, staff=staff)


def cadre(region, *, username: str = "cadre", role: str = Role.VILLAGE_CADRE):
    return holder(region, username=username, role=role)


def superuser(username: str = "root"):
    """A system administrator: the Django admin, but no registry data without a role."""
    return get_user_model().objects.create_superuser(username, email=None, password=None)


def outsider(username: str = "outsider"):
    return get_user_model().objects.create_user(username)
