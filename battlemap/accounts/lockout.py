"""Lockout after repeated failed logins: LOCKOUT_FAILURES failures in a row lock the
username for LOCKOUT_MINUTES minutes, whatever the password tried next.

Counted per username (not per address): a county network often puts a whole township
behind one address. A successful login clears the count. Enforced in the authentication
backend, so the login page, the admin's login and any other caller of authenticate()
are all held to it.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import LoginThrottle


def locked_until(username: str) -> dt.datetime | None:
    """When the lock on `username` ends, or None when it is not locked."""
    row = LoginThrottle.objects.filter(username=username).first()
    if row is None or row.locked_until is None or row.locked_until <= timezone.now():
        return None
    return row.locked_until


def failures_left(username: str) -> int:
    row = LoginThrottle.objects.filter(username=username).first()
    failures = row.failures if row else 0
    return max(settings.LOCKOUT_FAILURES - failures, 0)


@transaction.atomic
def login_failed(username: str, request=None) -> dt.datetime | None:
    """Count a failure; returns the end of the lock when this failure locks the account."""
    now = timezone.now()
    row, _created = LoginThrottle.objects.select_for_update().get_or_create(username=username)
    if row.locked_until is not None and row.locked_until <= now:
        row.failures, row.locked_until = 0, None  # a lock that ran out starts a new count
    row.failures += 1
    row.last_failure_at = now
    locked = None
    if row.failures >= settings.LOCKOUT_FAILURES and row.locked_until is None:
        locked = row.locked_until = now + dt.timedelta(minutes=settings.LOCKOUT_MINUTES)
    row.save()
    if locked is not None:
        _audit_lock(username, locked, request)
    return locked


def login_succeeded(username: str) -> None:
    LoginThrottle.objects.filter(username=username).delete()


def unlock(username: str) -> None:
    """An administrator lifts a lock (accounts.services.user_unlock audits it)."""
    LoginThrottle.objects.filter(username=username).delete()


def _audit_lock(username: str, until: dt.datetime, request) -> None:
    from django.contrib.auth import get_user_model

    from battlemap.audit.services import SystemActor, audit_record
    from battlemap.regions.selectors import top_region_codes

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return  # no such account: nothing to lock, nobody to tell
    regions = top_region_codes(user)
    audit_record(
        actor=SystemActor("login"),
        action="user.lock",
        obj=user,
        region_code=regions[0] if regions else "",
        after={
            "username": username,
            "failures": settings.LOCKOUT_FAILURES,
            "locked_until": until.isoformat(),
            "address": request.META.get("REMOTE_ADDR", "") if request is not None else "",
        },
    )
