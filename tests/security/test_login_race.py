"""The lockout under parallel attempts, and the per-address limit on failed logins.

Attempts are fired from threads, each with its own database connection (transactional
tests: every thread sees what the others committed), at the same instant (a barrier).
The password checks are counted by a hasher that also takes a little time, as Argon2
does, so the attempts really overlap.
"""

import threading
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connections
from django.test import Client, override_settings

from battlemap.accounts.models import LoginThrottle

PASSWORD = "pw-long-enough-1"
COUNTING = "tests.security.test_login_race.CountingHasher"


class CountingHasher(MD5PasswordHasher):
    """MD5 that counts each password it checks and takes 20 ms to do it."""

    algorithm = "md5"
    lock = threading.Lock()
    checks = 0

    def verify(self, password, encoded):
        with CountingHasher.lock:
            CountingHasher.checks += 1
        time.sleep(0.02)
        return super().verify(password, encoded)


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """Threads that write at once need a database file: SQLite's in-memory test database
    (shared cache) answers "table is locked" at once instead of waiting its turn, which a
    county's SQLite file (WAL, busy timeout) never does. The test database is copied to a
    file for the test; PostgreSQL needs nothing."""
    import sqlite3

    connection = connections["default"]
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    path = tmp_path / "shared.sqlite3"
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    memory, name = connection.connection, connection.settings_dict["NAME"]
    # Detach, not close: closing the last connection to the in-memory database drops it.
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


@pytest.fixture
def counting_hasher(shared_database):
    with override_settings(PASSWORD_HASHERS=[COUNTING]):
        CountingHasher.checks = 0
        yield CountingHasher


def make_user(username="cadre"):
    return get_user_model().objects.create_user(username, password=PASSWORD)


def login(username, password, address="10.1.1.1"):
    response = Client().post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response


def answer(response) -> str:
    if response.status_code == 302:
        return "in"
    html = response.content.decode()
    if "已被锁定" in html:
        return "locked"
    if "该网络地址登录失败次数过多" in html:
        return "address"
    assert "用户名或密码不正确" in html, html[:2000]
    return "wrong"


def in_parallel(passwords, username="cadre"):
    """Post one login per password, all released at the same instant; their answers."""
    barrier = threading.Barrier(len(passwords))
    answers = [None] * len(passwords)
    errors = []

    def attempt(i, password):
        try:
            barrier.wait()
            answers[i] = answer(login(username, password))
        except Exception as exc:  # reported below: a thread's failure must fail the test
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i, p)) for i, p in enumerate(passwords)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return answers


def test_of_thirty_parallel_wrong_attempts_at_most_the_limit_are_checked(counting_hasher):
    make_user()
    answers = in_parallel(["wrong"] * 30)
    limit = settings.LOCKOUT_FAILURES
    assert counting_hasher.checks <= limit
    assert answers.count("locked") >= 30 - limit
    assert "in" not in answers
    row = LoginThrottle.objects.get(username="cadre")
    assert row.failures == limit and row.locked_until is not None
    # Locked: the right password is refused too, without being checked.
    checks = counting_hasher.checks
    assert answer(login("cadre", PASSWORD)) == "locked"
    assert counting_hasher.checks == checks


def test_forty_nine_wrong_and_the_right_one_at_once(counting_hasher):
    make_user()
    passwords = ["wrong"] * 49 + [PASSWORD]
    answers = in_parallel(passwords)
    limit = settings.LOCKOUT_FAILURES
    # At most the limit were checked with the burst's count: the right one got in only if
    # it was one of them. A success starts a new count, so on a loaded machine, where the
    # threads do not really start at one instant, stragglers that arrive after it may take
    # the new count's places — never more than the limit again.
    signed_in = answers.count("in")
    assert counting_hasher.checks <= limit * (1 + signed_in)
    assert answers.count("locked") >= len(passwords) - limit * (1 + signed_in)
    assert answers.count("wrong") <= limit * (1 + signed_in) - signed_in
    row = LoginThrottle.objects.filter(username="cadre").first()
    assert row is None or row.failures <= limit  # not 33: every attempt is counted once
    # Whatever the interleaving, no further password is checked while the burst's lock holds.
    if row is not None and row.locked_until is not None:
        checks = counting_hasher.checks
        assert answer(login("cadre", "wrong")) == "locked"
        assert counting_hasher.checks == checks


def test_parallel_attempts_on_other_accounts_are_not_held(counting_hasher):
    """Each username has its own count: a burst on one does not lock the others."""
    for name in ("a", "b", "c"):
        make_user(name)
    barrier_passwords = ["wrong"] * 12
    answers = in_parallel(barrier_passwords, username="a")
    assert answers.count("locked") >= 12 - settings.LOCKOUT_FAILURES
    assert answer(login("b", PASSWORD)) == "in"
    assert answer(login("c", PASSWORD)) == "in"


# --- per-address limit on failed logins ----------------------------------------------------------


def test_the_address_limit_is_a_setting_of_50_in_15_minutes():
    import importlib

    real = importlib.import_module("battlemap.settings")
    assert real.LOGIN_ADDRESS_FAILURES == 50
    assert real.LOGIN_ADDRESS_MINUTES == 15


@pytest.mark.django_db
def test_failed_logins_from_one_address_are_limited_and_other_accounts_keep_working():
    for name in ("b", "c"):
        make_user(name)
    limit = settings.LOGIN_ADDRESS_FAILURES
    # Failures spread over many usernames (none of them reaches its own lock).
    for i in range(limit - 1):
        assert answer(login(f"guess{i % 25}", "wrong")) == "wrong"
    # Under the limit, another account's login from the same address works, and a
    # successful login is not a failure: it does not use up the address's allowance.
    assert answer(login("b", PASSWORD)) == "in"
    # The limit-th failure says that the address is now refused.
    assert answer(login("guess0", "wrong")) == "address"
    # Over it, nobody logs in from that address for a while, not even with the right
    # password, and the answer says so; other addresses are not affected.
    assert answer(login("c", PASSWORD)) == "address"
    assert answer(login("c", PASSWORD, address="10.1.1.2")) == "in"
    # The address's refusals are not failures of the account.
    assert not LoginThrottle.objects.filter(username="c", failures__gt=0).exists()


@pytest.mark.django_db
def test_the_address_limit_ends_after_its_window(settings):
    from battlemap.accounts.models import AddressThrottle

    settings.LOGIN_ADDRESS_FAILURES = 3
    make_user("b")
    assert [answer(login(f"x{i}", "wrong")) for i in range(3)] == ["wrong", "wrong", "address"]
    assert answer(login("b", PASSWORD)) == "address"
    import datetime as dt

    AddressThrottle.objects.update(
        window_started_at=AddressThrottle.objects.get().window_started_at
        - dt.timedelta(minutes=settings.LOGIN_ADDRESS_MINUTES)
    )
    assert answer(login("b", PASSWORD)) == "in"


def test_parallel_failures_from_one_address_stop_at_its_limit(counting_hasher, settings):
    settings.LOGIN_ADDRESS_FAILURES = 4
    for name in ("a", "b", "c", "d", "e", "f"):
        make_user(name)
    barrier = threading.Barrier(6)
    answers = {}

    def attempt(name):
        try:
            barrier.wait()
            answers[name] = answer(login(name, "wrong"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in "abcdef"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counting_hasher.checks <= 4
    assert list(answers.values()).count("address") >= 2


@pytest.mark.django_db
def test_the_address_comes_from_x_forwarded_for_only_when_told(settings):
    from django.test import RequestFactory

    from battlemap.accounts.lockout import client_address

    request = RequestFactory().post(
        "/login/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 172.16.0.5"
    )
    settings.LOGIN_TRUST_X_FORWARDED_FOR = False
    assert client_address(request) == "10.0.0.9"
    settings.LOGIN_TRUST_X_FORWARDED_FOR = True
    # The proxy appends the address it saw: the last entry is the one it vouches for.
    assert client_address(request) == "172.16.0.5"


@pytest.mark.django_db
def test_a_success_inside_a_burst_frees_no_slots():
    """The right password's check started first; wrong ones came after it. Its success
    must not clear their count: the burst still gets no more than the limit's checks."""
    from battlemap.accounts import lockout

    limit = settings.LOCKOUT_FAILURES
    right = lockout.attempt_begin("cadre")
    wrong = [lockout.attempt_begin("cadre") for _ in range(limit - 1)]
    assert None not in wrong
    assert lockout.attempt_begin("cadre") is None  # the sixth of the burst: refused
    lockout.attempt_succeeded(right)
    for attempt in wrong:
        lockout.attempt_failed(attempt)
    assert lockout.attempt_begin("cadre") is None
    assert lockout.locked_until("cadre") is not None


@pytest.mark.django_db
def test_a_success_after_the_last_attempt_starts_the_count_again():
    from battlemap.accounts import lockout

    for _ in range(settings.LOCKOUT_FAILURES - 2):
        lockout.attempt_failed(lockout.attempt_begin("cadre"))
    lockout.attempt_succeeded(lockout.attempt_begin("cadre"))
    assert lockout.failures_left("cadre") == settings.LOCKOUT_FAILURES
    assert lockout.locked_until("cadre") is None
