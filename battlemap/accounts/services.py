"""Account writes: users, their roles, API tokens; each one checked and audited.

Who may manage whom: an actor manages a user when every role the user holds is one the
actor may hand out over that region (`permissions.can_assign`): a county administrator
manages the county's accounts, a township official the village cadres of the township.
An account tied to regions without a role there (a project's responsible person, a
paired cadre) is managed by whoever may hand out every region role over all those
regions: the county administrator. Nobody manages their own account here, and superusers are managed only in the admin.
"""

# Over 400 lines: every write of accounts, roles and tokens with the checks of who may
# manage whom.

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from battlemap.audit.services import audit_record
from battlemap.core.codes import Level
from battlemap.core.errors import Conflict, Forbidden, ValidationFailed
from battlemap.core.scoping import forget, is_system, system_only
from battlemap.core.text import clean
from battlemap.regions.models import Region

from . import lockout
from .authentication import token_digest
from .models import ApiToken, HouseholdAssignment, RoleAssignment
from .permissions import can_assign
from .roles import REGION_ROLES, Role
from .selectors import anchor_region_codes

# The levels a role may be held at; a role not listed may be held at any level.
ROLE_LEVELS = {
    Role.COUNTY_ADMIN: {Level.PROVINCE, Level.CITY, Level.COUNTY},
    Role.LEADER: {Level.PROVINCE, Level.CITY, Level.COUNTY},
    Role.TOWNSHIP_OFFICIAL: {Level.TOWNSHIP},
    Role.VILLAGE_CADRE: {Level.VILLAGE},
}
# No 0/O, 1/l/I: initial passwords are read off a sheet and typed by hand.
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105


def new_password(length: int = 12) -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def _snapshot(user) -> dict:
    return {
        "username": user.get_username(),
        "name": user.first_name,
        "active": user.is_active,
        "staff": user.is_staff,
        "roles": sorted(
            f"{a.role}@{a.region_id}" for a in RoleAssignment.objects.filter(user=user)
        ),
    }


def check_role(role: str, region: Region) -> None:
    """A role is held at its own level: a village cadre over a village, and so on."""
    if role not in [r.value for r in REGION_ROLES]:
        raise ValidationFailed(_("未知的角色“%(r)s”。") % {"r": role}, field="role", value=role)
    levels = ROLE_LEVELS.get(role)
    if levels and region.level not in levels:
        raise ValidationFailed(
            _("%(role)s不能分配在%(level)s一级（%(region)s）。")
            % {"role": Role(role).label, "level": region.get_level_display(), "region": region},
            field="region",
            value=region.code,
        )


def require_assignable(actor, role: str, region: Region) -> None:
    if not can_assign(actor, role, region.code):
        raise Forbidden(
            _("您无权在%(region)s分配“%(role)s”角色。")
            % {"region": region, "role": Role(role).label},
            field="region",
            value=region.code,
        )


def can_manage(actor, user) -> bool:
    """Whether `actor` may change `user`'s account (see the module docstring)."""
    if is_system(actor):
        return True
    if user.pk == getattr(actor, "pk", None) or user.is_superuser:
        return False
    assignments = list(RoleAssignment.objects.filter(user=user))
    # Regions where the account is tied without a role (a project's responsible person,
    # a paired cadre): managed by whoever may hand out every region role there.
    anchored = anchor_region_codes(user)
    if not assignments and not anchored:
        return False
    return all(can_assign(actor, a.role, a.region_id) for a in assignments) and all(
        all(can_assign(actor, role, code) for role in REGION_ROLES) for code in anchored
    )


def require_manageable(actor, user) -> None:
    if not can_manage(actor, user):
        raise Forbidden(_("您无权管理该账户。"))


def _check_password(password: str, user=None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field="password") from None


def check_username(username: str) -> str:
    username = clean(username)
    if not username:
        raise ValidationFailed(_("用户名不能为空。"), field="username")
    if len(username) > 150:
        raise ValidationFailed(_("用户名不能超过150个字符。"), field="username", value=username)
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise ValidationFailed(
            _("用户名只能包含字母、数字和 @ . + - _。"), field="username", value=username
        ) from None
    if get_user_model().objects.filter(username=username).exists():
        raise Conflict(_("用户名“%(u)s”已被使用。") % {"u": username}, field="username")
    return username


@transaction.atomic
def user_create(
    *, actor, username: str, role: str, region: Region, full_name: str = "", password: str = ""
):
    """Create an account holding `role` over `region`; returns (user, initial password).

    Without a password one is generated; it is shown to the administrator once and
    stored only as an Argon2 hash."""
    username = check_username(username)
    check_role(role, region)
    require_assignable(actor, role, region)
    password = password or new_password()
    user = get_user_model()(username=username, first_name=clean(full_name)[:150])
    _check_password(password, user)
    user.set_password(password)
    user.save()
    RoleAssignment.objects.create(user=user, role=role, region=region)
    audit_record(
        actor=actor, action="user.create", obj=user, region_code=region.code, after=_snapshot(user)
    )
    return user, password


@transaction.atomic
def user_ensure(
    *,
    actor,
    username: str,
    password: str,
    role: str | None,
    region: Region | None,
    full_name: str = "",
    staff: bool = False,
):
    """Create a user (or reset its password) holding `role` over `region` (demo logins,
    set-up scripts); without a role, an account that sees only what names it (a project's
    responsible person). `staff` opens the Django admin, which the roles still scope."""
    if role is not None and region is not None:
        check_role(role, region)
        require_assignable(actor, role, region)
    else:
        system_only(actor)  # an account without a region: set-up scripts only
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    before = None if created else _snapshot(user)
    user.set_password(password)
    user.first_name = full_name or user.first_name
    user.is_staff = staff
    user.is_active = True
    user.save()
    if role is not None:
        RoleAssignment.objects.get_or_create(user=user, role=role, region=region)
    forget(user)
    audit_record(
        actor=actor,
        action="user.create" if created else "user.update",
        obj=user,
        region_code=region.code if region is not None else "",
        before=before,
        after=_snapshot(user),
    )
    return user


@transaction.atomic
def role_assign(*, actor, user, role: str, region: Region) -> RoleAssignment:
    """Give `user` a role over a region; the actor must manage the user and the region."""
    require_manageable(actor, user)
    check_role(role, region)
    require_assignable(actor, role, region)
    before = _snapshot(user)
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, region=region)
    if not created:
        raise Conflict(_("该用户已在%(region)s担任此角色。") % {"region": region})
    forget(user)
    audit_record(
        actor=actor,
        action="user.assign",
        obj=user,
        region_code=region.code,
        before=before,
        after=_snapshot(user),
    )
    return assignment


@transaction.atomic
def role_unassign(*, actor, assignment: RoleAssignment) -> None:
    """Take a role away; an account keeps at least one role (deactivate it instead)."""
    user = assignment.user
    require_manageable(actor, user)
    if RoleAssignment.objects.filter(user=user).count() == 1:
        raise ValidationFailed(_("这是该账户唯一的角色：如不再使用该账户，请停用它。"))
    before = _snapshot(user)
    region_code = assignment.region_id
    RoleAssignment.objects.filter(pk=assignment.pk).delete()
    forget(user)
    audit_record(
        actor=actor,
        action="user.unassign",
        obj=user,
        region_code=region_code,
        before=before,
        after=_snapshot(user),
    )


@transaction.atomic
def user_deactivate(*, actor, user) -> None:
    """Stop an account: it cannot log in, its sessions end at their next request (the
    session backend checks is_active) and its API tokens are revoked."""
    require_manageable(actor, user)
    before = _snapshot(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="user.deactivate",
        obj=user,
        region_code=_user_region_of_record(user),
        before=before,
        after={**_snapshot(user), "tokens_revoked": revoked},
    )


@transaction.atomic
def user_activate(*, actor, user) -> None:
    require_manageable(actor, user)
    before = _snapshot(user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    lockout.unlock(user.get_username())
    audit_record(
        actor=actor,
        action="user.activate",
        obj=user,
        region_code=_user_region_of_record(user),
        before=before,
        after=_snapshot(user),
    )


@transaction.atomic
def user_password_reset(*, actor, user) -> str:
    """A new generated password (shown once), and the lockout lifted."""
    require_manageable(actor, user)
    password = new_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    lockout.unlock(user.get_username())
    audit_record(
        actor=actor,
        action="user.password_reset",
        obj=user,
        region_code=_user_region_of_record(user),
        after={"username": user.get_username()},
    )
    return password


def user_login(*, actor, address: str) -> None:
    """Write a successful login to the audit trail (the session itself is Django's)."""
    audit_record(
        actor=actor,
        action="user.login",
        obj=actor,
        region_code=_user_region_of_record(actor),
        after={"username": actor.get_username(), "address": address},
    )


def _user_region_of_record(user) -> str:
    """Filed under the user's first assignment, read afresh (the user may be inactive)."""
    first = RoleAssignment.objects.filter(user=user).order_by("region_id").first()
    return first.region_id if first else ""


@dataclass(frozen=True)
class NewAccount:
    """A row of a bulk account sheet, checked: who, which role, where."""

    username: str
    full_name: str
    role: str
    region: Region


@transaction.atomic
def users_bulk_create(*, actor, accounts: list[NewAccount]) -> list[tuple]:
    """Create many accounts at once (rows already checked by accounts.workbook); all or
    nothing. Returns (user, initial password) per account."""
    return [
        user_create(
            actor=actor,
            username=account.username,
            full_name=account.full_name,
            role=account.role,
            region=account.region,
        )
        for account in accounts
    ]


@transaction.atomic
def household_assign(*, actor, user, household, role: str = Role.PAIRED_CADRE):
    """Let `user` see one household as its paired cadre (the assistance app's pairing
    calls this; until then administrators and tests do)."""
    if not can_assign(actor, Role.VILLAGE_CADRE, household.village_id):
        raise Forbidden(_("您无权为该户指定帮扶责任人。"))
    assignment, _created = HouseholdAssignment.objects.get_or_create(
        user=user, role=role, household=household
    )
    forget(user)
    audit_record(
        actor=actor,
        action="user.assign_household",
        obj=user,
        region_code=household.village_id,
        after={"username": user.get_username(), "role": role, "household": household.number},
    )
    return assignment


@transaction.atomic
def api_token_create(*, actor, user, name: str = "") -> tuple[ApiToken, str]:
    """A new API token for `user` (the user themself, an administrator who manages them,
    or a command). Returns the row and the token, which is never stored or shown again."""
    if getattr(actor, "pk", None) != user.pk:
        require_manageable(actor, user)
    if not user.is_active:
        raise ValidationFailed(_("账户已停用，不能创建令牌。"))
    token = "bm_" + secrets.token_urlsafe(30)
    row = ApiToken.objects.create(
        user=user, name=clean(name)[:100], prefix=token[:10], digest=token_digest(token)
    )
    audit_record(
        actor=actor,
        action="token.create",
        obj=row,
        region_code=_user_region_of_record(user),
        after={"user": user.get_username(), "prefix": row.prefix, "name": row.name},
    )
    return row, token


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> None:
    """Revoke a token at once: the next request that carries it is refused."""
    if getattr(actor, "pk", None) != token.user_id:
        require_manageable(actor, token.user)
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="token.revoke",
        obj=token,
        region_code=_user_region_of_record(token.user),
        after={"user": token.user.get_username(), "prefix": token.prefix},
    )


@transaction.atomic
def user_password_change(*, actor, user, password: str) -> None:
    """A user sets their own password (the old one already checked by the form)."""
    if getattr(actor, "pk", None) != user.pk:
        system_only(actor)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action="user.password_change",
        obj=user,
        region_code=_user_region_of_record(user),
        after={"username": user.get_username()},
    )
