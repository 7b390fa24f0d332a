"""Accounts: Argon2, lockout after repeated failures, sessions, CSRF everywhere, the
security headers and Content-Security-Policy, and API tokens (hashed, scoped like their
user, revocable, from the command line)."""

import datetime as dt
import hashlib
import importlib
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from battlemap.accounts.models import ApiToken, LoginThrottle, Role
from battlemap.accounts.services import api_token_create, user_deactivate, user_ensure
from battlemap.audit.models import AuditRecord
from tests import personas
from tests.factories import ACTOR, register

pytestmark = pytest.mark.django_db
PASSWORD = "pw-long-enough-1"


@pytest.fixture
def cadre(county):
    return user_ensure(
        actor=ACTOR, username="cadre", password=PASSWORD, role=Role.VILLAGE_CADRE, region=county.v1
    )


def login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


# --- passwords --------------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2():
    real = importlib.import_module("battlemap.settings")
    assert real.PASSWORD_HASHERS[0] == "battlemap.accounts.hashers.BattlemapArgon2PasswordHasher"
    from battlemap.accounts.hashers import BattlemapArgon2PasswordHasher

    hasher = BattlemapArgon2PasswordHasher()
    encoded = hasher.encode("secret-pw", hasher.salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert hasher.verify("secret-pw", encoded) and not hasher.verify("wrong", encoded)


# --- lockout ----------------------------------------------------------------------------------


def test_five_failures_lock_the_account_and_say_until_when(cadre):
    client = Client()
    for attempt in range(1, settings.LOCKOUT_FAILURES):
        html = login(client, "cadre", "wrong").content.decode()
        assert "用户名或密码不正确" in html
        assert f"再输错{settings.LOCKOUT_FAILURES - attempt}次" in html
    html = login(client, "cadre", "wrong").content.decode()
    assert "账户已被锁定15分钟" in html
    until = timezone.localtime(LoginThrottle.objects.get(username="cadre").locked_until)
    assert until.strftime("%H:%M") in html
    # Even the right password is refused while locked, by the page and by the admin.
    response = login(client, "cadre", PASSWORD)
    assert response.status_code == 200 and "账户已被锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post("/admin/login/", {"username": "cadre", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    record = AuditRecord.objects.get(action="user.lock")
    assert record.object_id == str(cadre.pk) and record.region_code == cadre_region(cadre)


def cadre_region(user):
    return user.role_assignments.get().region_id


def test_the_lock_ends_after_its_time_and_success_clears_the_count(cadre):
    client = Client()
    for _ in range(settings.LOCKOUT_FAILURES):
        login(client, "cadre", "wrong")
    LoginThrottle.objects.filter(username="cadre").update(
        locked_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert login(client, "cadre", PASSWORD).status_code == 302
    assert not LoginThrottle.objects.filter(username="cadre").exists()


def test_unknown_usernames_are_counted_alike(db):
    """The answer for an unknown name is the same: no way to probe which accounts exist."""
    client = Client()
    for _ in range(settings.LOCKOUT_FAILURES):
        html = login(client, "nobody", "wrong").content.decode()
    assert "账户已被锁定" in html
    assert not AuditRecord.objects.filter(action="user.lock").exists()


def test_an_administrator_password_reset_lifts_the_lock(county, cadre):
    admin = personas.county_admin(county.county)
    for _ in range(settings.LOCKOUT_FAILURES):
        login(Client(), "cadre", "wrong")
    client = Client()
    client.force_login(admin)
    html = client.get(f"/users/{cadre.pk}/").content.decode()
    assert "登录已锁定至" in html
    response = client.post(f"/users/{cadre.pk}/password/")
    assert response.status_code == 200
    new = response.context["accounts"][0][1]
    assert login(Client(), "cadre", new).status_code == 302


def test_a_deactivated_user_cannot_log_in_and_its_session_ends(county, cadre):
    client = Client()
    assert login(client, "cadre", PASSWORD).status_code == 302
    assert client.get("/").status_code == 302  # to the map
    user_deactivate(actor=ACTOR, user=cadre)
    assert client.get("/")["Location"].startswith("/login/")
    assert login(Client(), "cadre", PASSWORD).status_code == 200


# --- sessions, CSRF, headers --------------------------------------------------------------------


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_csrf_is_refused_on_every_form_and_on_session_api_writes(county, cadre):
    household = register(county.v1, "H1", members=1)
    person = household.members.get()
    admin = personas.county_admin(county.county)
    client = Client(enforce_csrf_checks=True)
    assert login(client, "cadre", PASSWORD).status_code == 403  # even the login form
    client.force_login(cadre)
    assert (
        client.post(f"/households/{household.pk}/reveal/", {"person": person.pk}).status_code == 403
    )
    assert client.post("/logout/").status_code == 403
    assert client.post("/account/tokens/", {"name": "x"}).status_code == 403
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(cadre)
    assert api.post(f"/api/v1/persons/{person.pk}/reveal/").status_code == 403
    response = api.patch(f"/api/v1/households/{household.pk}/", {"version": 1}, format="json")
    assert response.status_code == 403
    admin_client = Client(enforce_csrf_checks=True)
    admin_client.force_login(admin)
    assert admin_client.post(f"/users/{cadre.pk}/deactivate/").status_code == 403
    assert admin_client.post("/users/new/", {"username": "x"}).status_code == 403
    cadre.refresh_from_db()
    assert cadre.is_active
    assert not AuditRecord.objects.filter(action__endswith=".reveal").exists()


PAGES = [
    "/login/",
    "/",
    "/map/341824000000/",
    "/screen/341824000000/",
    "/map/341824100201/households/",
    "/audit/",
    "/users/",
    "/users/new/",
    "/users/import/",
    "/account/tokens/",
    "/account/password/",
    "/api/v1/docs/",
    "/api/v1/schema/",
    "/api/v1/households/",
    "/admin/",
    "/admin/registry/household/",
    "/does-not-exist/",
]


def test_every_page_carries_the_csp_and_security_headers(county):
    household = register(county.v1, "H1", members=1)
    admin = personas.county_admin(county.county, staff=True)
    client = Client()
    client.force_login(admin)
    for url in [
        *PAGES,
        f"/households/{household.pk}/",
        f"/audit/{AuditRecord.objects.first().pk}/",
    ]:
        response = client.get(url)
        assert response.status_code in (200, 302, 404), url
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp, url
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
        assert "frame-ancestors 'none'" in csp, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert "camera=()" in response["Permissions-Policy"], url


def test_no_page_has_inline_script_or_style(county):
    """What the CSP would block: <script> without src, on* handlers, style attributes
    and <style> elements, on every page of ours."""
    import re

    household = register(county.v1, "H1", members=1, phone="13812345678")
    admin = personas.county_admin(county.county)
    client = Client()
    client.force_login(admin)
    urls = [u for u in PAGES if not u.startswith(("/admin", "/api/v1/schema", "/does"))]
    for url in [*urls, f"/households/{household.pk}/"]:
        html = client.get(url, follow=True).content.decode()
        for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S):
            attrs, body = match.groups()
            assert "src=" in attrs or 'type="application/json"' in attrs, (url, attrs)
            assert 'type="application/json"' in attrs or not body.strip(), url
        assert not re.search(r"<style\b", html), url
        assert not re.search(r"\son[a-z]+\s*=", html), url
        assert not re.search(r"\sstyle\s*=", html), url


# --- API tokens -------------------------------------------------------------------------------


def test_create_api_token_prints_a_token_that_acts_as_the_user(county, cadre):
    register(county.v1, "H1", members=1)
    register(county.v3, "H3", members=1)
    out = StringIO()
    call_command("create_api_token", "cadre", "--name", "script", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("bm_") and len(token) > 40
    row = ApiToken.objects.get(user=cadre)
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(ApiToken.objects.values())) and row.prefix == token[:10]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    data = client.get("/api/v1/households/").json()
    assert [r["number"] for r in data["results"]] == ["H1"]  # the cadre's village only
    assert client.get(f"/api/v1/regions/{county.v3.code}/").status_code == 404
    row.refresh_from_db()
    assert row.last_used_at is not None
    assert AuditRecord.objects.filter(action="token.create", object_id=str(row.pk)).exists()


def test_a_revoked_token_is_refused_at_once(county, cadre):
    _row, token = api_token_create(actor=cadre, user=cadre, name="x")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/households/").status_code == 200
    out = StringIO()
    call_command("revoke_api_token", "cadre", stdout=out)
    assert "1" in out.getvalue()
    response = client.get("/api/v1/households/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    with pytest.raises(CommandError):
        call_command("revoke_api_token", "cadre")


def test_tokens_page_creates_shows_once_and_revokes(county, cadre):
    client = Client()
    client.force_login(cadre)
    response = client.post("/account/tokens/", {"name": "数据交换"})
    token = response.context["created"]
    assert token in response.content.decode()
    page = client.get("/account/tokens/").content.decode()
    assert token not in page and token[:10] in page
    row = ApiToken.objects.get(user=cadre)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/persons/").status_code == 200
    other = personas.cadre(county.v2, username="other")
    other_client = Client()
    other_client.force_login(other)
    assert other_client.post(f"/account/tokens/{row.pk}/revoke/").status_code == 404
    assert client.post(f"/account/tokens/{row.pk}/revoke/").status_code == 302
    assert api.get("/api/v1/persons/").status_code == 401


def test_deactivating_a_user_revokes_their_tokens(county, cadre):
    _row, token = api_token_create(actor=ACTOR, user=cadre)
    user_deactivate(actor=ACTOR, user=cadre)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/households/").status_code == 401
    assert ApiToken.objects.get(user=cadre).revoked_at is not None


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token nonsense", "Bearer x"])
def test_bad_token_headers(db, header):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)
    assert api.get("/api/v1/households/").status_code == 401


def test_create_api_token_for_an_unknown_user_fails(db):
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody")
    assert get_user_model().objects.count() == 0


def test_create_user_command_makes_the_first_administrator(county):
    out = StringIO()
    call_command(
        "create_user",
        "admin",
        "--role",
        "county_admin",
        "--region",
        "341824",
        "--staff",
        stdout=out,
    )
    password = out.getvalue().strip().rsplit("：", 1)[1]
    user = get_user_model().objects.get(username="admin")
    assert user.is_staff and not user.is_superuser and user.check_password(password)
    assert user.role_assignments.get().region_id == county.county.code
    with pytest.raises(CommandError):
        call_command("create_user", "admin", "--role", "county_admin", "--region", "341824")


def test_a_user_changes_their_own_password(county, cadre):
    client = Client()
    client.force_login(cadre)
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-pw-4567",
            "new_password2": "a-new-pw-4567",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # still logged in
    cadre.refresh_from_db()
    assert cadre.check_password("a-new-pw-4567")
    assert AuditRecord.objects.filter(action="user.password_change", actor=cadre).exists()
    wrong = client.post(
        "/account/password/",
        {
            "old_password": "nope",
            "new_password1": "x-new-pw-4567",
            "new_password2": "x-new-pw-4567",
        },
    )
    assert wrong.status_code == 200 and not cadre.check_password("x-new-pw-4567")


def test_successful_logins_are_audited_with_the_address(county, cadre):
    from battlemap.audit.actions import action_label

    client = Client()
    assert login(client, "cadre", "wrong").status_code == 200
    assert not AuditRecord.objects.filter(action="user.login").exists()
    response = client.post(
        "/login/", {"username": "cadre", "password": PASSWORD}, REMOTE_ADDR="10.2.3.4"
    )
    assert response.status_code == 302
    record = AuditRecord.objects.get(action="user.login")
    assert record.object_id == str(cadre.pk) and record.actor_id == cadre.pk
    assert record.region_code == cadre_region(cadre)
    assert record.after == {"username": "cadre", "address": "10.2.3.4"}
    assert action_label("user.login") != "user.login"  # a label in words, not the code
    # The admin's login too; a refused one (not staff) is no login.
    assert Client().post("/admin/login/", {"username": "cadre", "password": PASSWORD})
    assert AuditRecord.objects.filter(action="user.login").count() == 1
