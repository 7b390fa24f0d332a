"""Lockout after repeated failed logins: LOCKOUT_FAILURES failures in a row lock the
username for LOCKOUT_MINUTES minutes, whatever the password tried next; and
LOGIN_ADDRESS_FAILURES failed logins from one network address within
LOGIN_ADDRESS_MINUTES refuse every login from that address until the window ends.

Counted per username first: a county network often puts a whole township behind one
address, so the address limit is generous and counts failures only (a successful login,
or an attempt refused because its username is locked, does not use it up).

Each attempt is counted *before* its password is checked, by a conditional UPDATE
(`... SET failures = failures + 1 WHERE failures < limit`) whose row count says whether the
attempt got one of the limit's slots: both SQLite and PostgreSQL run that statement
atomically, so of N attempts at the same instant at most the limit have their password
checked and the rest are refused unchecked (`select_for_update` would do nothing on
SQLite). Taking the last slot starts the lock, so a refusal always has an end.

A successful login clears the count only when no attempt came after its own (the
`attempts` number): a success in the middle of a burst must not hand the burst new slots.

Enforced in the authentication backend, so the login page, the admin's login and any
other caller of authenticate() are all held to it.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import AddressThrottle, LoginThrottle


@dataclass(frozen=True)
class Attempt:
    """A login attempt that got a slot: its password may be checked."""

    username: str
    number: int  # the username's `attempts` once this one was counted
    locks: bool  # it took the last slot: its failure is the one that locks
    address: str
    window: dt.datetime | None  # the address's window it was counted in


def client_address(request) -> str:
    """The client's network address: REMOTE_ADDR, or behind the county's proxy (when
    LOGIN_TRUST_X_FORWARDED_FOR is on) the last X-Forwarded-For entry, the one the proxy
    itself appended; earlier entries come from the client and prove nothing."""
    if request is None:
        return ""
    if settings.LOGIN_TRUST_X_FORWARDED_FOR:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1][:45]
    return request.META.get("REMOTE_ADDR", "")[:45]


def locked_until(username: str) -> dt.datetime | None:
    """When the lock on `username` ends, or None when it is not locked."""
    row = LoginThrottle.objects.filter(username=username).first()
    if row is None or row.locked_until is None or row.locked_until <= timezone.now():
        return None
    return row.locked_until


def address_blocked_until(address: str) -> dt.datetime | None:
    """When logins from `address` are accepted again, or None when they are now."""
    limit = settings.LOGIN_ADDRESS_FAILURES
    row = AddressThrottle.objects.filter(address=address).first() if address else None
    if row is None or limit <= 0 or row.failures < limit:
        return None
    until = row.window_started_at + dt.timedelta(minutes=settings.LOGIN_ADDRESS_MINUTES)
    return until if until > timezone.now() else None


def failures_left(username: str) -> int:
    row = LoginThrottle.objects.filter(username=username).first()
    failures = row.failures if row else 0
    return max(settings.LOCKOUT_FAILURES - failures, 0)


def attempt_begin(username: str, request=None) -> Attempt | None:
    """Count an attempt before its password is checked; None when it is refused unchecked
    (the username is locked, or its address has failed too often)."""
    now = timezone.now()
    address = client_address(request)
    window = None
    if address and settings.LOGIN_ADDRESS_FAILURES > 0:
        window = _address_take(address, now)
        if window is None:
            return None
    with transaction.atomic():
        LoginThrottle.objects.bulk_create([LoginThrottle(username=username)], ignore_conflicts=True)
        rows = LoginThrottle.objects.filter(username=username)
        # A lock that ran out starts a new count (`attempts` keeps numbering: an attempt
        # still running from before must not take a new one's number).
        rows.filter(locked_until__lte=now).update(failures=0, locked_until=None)
        limit = settings.LOCKOUT_FAILURES
        taken = rows.filter(failures__lt=limit).update(
            failures=F("failures") + 1, attempts=F("attempts") + 1
        )
        if not taken:
            rows.update(attempts=F("attempts") + 1)
        # Read under the row lock the UPDATE holds until commit: exactly our numbers.
        row = rows.get()
        locks = bool(taken) and row.failures >= limit and row.locked_until is None
        if locks:
            rows.update(locked_until=now + dt.timedelta(minutes=settings.LOCKOUT_MINUTES))
    if not taken:
        if window is not None:
            _address_give_back(address, window)  # refused unchecked: not a failed login
        return None
    return Attempt(username, row.attempts, locks, address, window)


def attempt_failed(attempt: Attempt, request=None) -> None:
    """The password was wrong: the attempt stays counted; the one that took the last slot
    writes the lock to the audit trail."""
    now = timezone.now()
    LoginThrottle.objects.filter(username=attempt.username).update(last_failure_at=now)
    if attempt.locks:
        until = locked_until(attempt.username)
        if until is not None:
            _audit_lock(attempt.username, until, request)


def attempt_succeeded(attempt: Attempt) -> None:
    """The password was right: the count starts again, unless other attempts came after
    this one (a burst is going on: they keep their places and the lock stands)."""
    LoginThrottle.objects.filter(username=attempt.username, attempts=attempt.number).delete()
    if attempt.window is not None:
        _address_give_back(attempt.address, attempt.window)


def unlock(username: str) -> None:
    """An administrator lifts a lock (accounts.services.user_unlock audits it)."""
    LoginThrottle.objects.filter(username=username).delete()


def _address_take(address: str, now: dt.datetime) -> dt.datetime | None:
    """Count a failure of `address` in advance; the start of its window, or None when the
    address has used up its failures for this window."""
    window = dt.timedelta(minutes=settings.LOGIN_ADDRESS_MINUTES)
    with transaction.atomic():
        AddressThrottle.objects.bulk_create(
            [AddressThrottle(address=address, window_started_at=now)], ignore_conflicts=True
        )
        rows = AddressThrottle.objects.filter(address=address)
        rows.filter(window_started_at__lte=now - window).update(failures=0, window_started_at=now)
        taken = rows.filter(failures__lt=settings.LOGIN_ADDRESS_FAILURES).update(
            failures=F("failures") + 1
        )
        started = rows.values_list("window_started_at", flat=True).get()
    return started if taken else None


def _address_give_back(address: str, window: dt.datetime) -> None:
    """An attempt counted in advance was not a failure after all."""
    AddressThrottle.objects.filter(
        address=address, window_started_at=window, failures__gt=0
    ).update(failures=F("failures") - 1)


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
            "address": client_address(request),
        },
    )
