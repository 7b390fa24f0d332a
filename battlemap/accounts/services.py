"""Account writes: users and their role assignments, audited."""

from django.contrib.auth import get_user_model
from django.db import transaction

from battlemap.audit.services import audit_record
from battlemap.regions.models import Region

from .models import RoleAssignment


@transaction.atomic
def user_ensure(
    *, actor, username: str, password: str, role: str, region: Region, superuser: bool = False
):
    """Create a user (or reset its password) holding `role` over `region`."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    user.set_password(password)
    user.is_staff = user.is_superuser = superuser
    user.save()
    _assignment, assigned = RoleAssignment.objects.get_or_create(
        user=user, role=role, region=region
    )
    audit_record(
        actor=actor,
        action="user.create" if created else "user.update",
        obj=user,
        region_code=region.code,
        after={"username": username, "role": role, "region": region.code, "superuser": superuser},
    )
    return user
