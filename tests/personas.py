"""Test personas: the county superuser, a cadre holding a role over one region, and an
outsider who must see nothing. No passwords (tests log in with force_login), which keeps
the slow password hasher out of the suite."""

from django.contrib.auth import get_user_model

from battlemap.accounts.models import Role, RoleAssignment


def superuser(username: str = "boss"):
    return get_user_model().objects.create_superuser(username, email=None, password=None)


def cadre(region, *, username: str = "cadre", role: str = Role.VILLAGE_CADRE):
    user = get_user_model().objects.create_user(username)
    RoleAssignment.objects.create(user=user, role=role, region=region)
    return user


def outsider(username: str = "outsider"):
    return get_user_model().objects.create_user(username)
