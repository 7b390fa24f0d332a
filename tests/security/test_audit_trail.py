"""The audit trail as users read it: a page and an API, filtered by user, object, region,
action and date, each record with before and after, scoped by region — and nobody, not
even the database's own client on PostgreSQL, can change or delete a record."""

import datetime as dt

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from battlemap.accounts.models import Role
from battlemap.audit.models import AuditRecord
from battlemap.registry.services import household_update
from tests import personas
from tests.factories import register

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def world(county):
    county.official = personas.cadre(
        county.huayang, username="official", role=Role.TOWNSHIP_OFFICIAL
    )
    county.h1 = register(county.v1, "H1", D(2015, 10, 1), 1)
    county.h3 = register(county.v3, "H3", D(2015, 10, 1), 1)
    household_update(actor=county.official, household=county.h1, expected_version=1, note="新备注")
    county.update = AuditRecord.objects.get(action="household.update")
    return county


def logged_in(user, api=False):
    client = APIClient() if api else Client()
    client.force_login(user)
    return client


def test_page_shows_before_and_after(world):
    html = logged_in(world.official).get("/audit/?action=household.update").content.decode()
    assert "修改户信息" in html and "official" in html
    assert "新备注" in html
    detail = logged_in(world.official).get(f"/audit/{world.update.pk}/").content.decode()
    assert "修改前 → 修改后" in detail and "<th>备注</th>" in detail and "新备注" in detail


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("user=official", {"household.update"}),
        ("action=household", {"household.register", "household.update"}),
        ("action=household.update", {"household.update"}),
        (
            "object_type=registry.household&object_id={h1}",
            {"household.register", "household.update"},
        ),
        ("region=341824100201&action=household", {"household.register", "household.update"}),
        ("region=341824101&action=household", {"household.register"}),
        ("date_from={today}&date_to={today}&action=household.update", {"household.update"}),
        ("date_to=2001-01-01", set()),
    ],
)
def test_api_filters(world, query, expected):
    admin_user = personas.county_admin(world.county)
    url = "/api/v1/audit/?" + query.format(h1=world.h1.pk, today=timezone.localdate().isoformat())
    data = logged_in(admin_user, api=True).get(url).json()
    assert {r["action"] for r in data["results"]} == expected


def test_api_record_has_before_and_after(world):
    data = logged_in(world.official, api=True).get(f"/api/v1/audit/{world.update.pk}/").json()
    assert data["before"]["note"] == "" and data["after"]["note"] == "新备注"
    assert data["actor"] == "official" and data["action_label"] == "修改户信息"


def test_a_township_sees_its_own_records_only(world):
    data = logged_in(world.official, api=True).get("/api/v1/audit/?page_size=500").json()
    assert data["count"] > 0
    assert all(r["region_code"].startswith("341824100") for r in data["results"])
    h3_register = AuditRecord.objects.get(action="household.register", object_id=str(world.h3.pk))
    assert logged_in(world.official).get(f"/audit/{h3_register.pk}/").status_code == 404
    assert (
        logged_in(world.official, api=True).get(f"/api/v1/audit/{h3_register.pk}/").status_code
        == 404
    )


def test_the_api_is_read_only(world):
    admin_user = personas.county_admin(world.county)
    api = logged_in(admin_user, api=True)
    url = f"/api/v1/audit/{world.update.pk}/"
    assert api.delete(url).status_code == 405
    assert api.patch(url, {"action": "x"}, format="json").status_code == 405
    assert api.post("/api/v1/audit/", {"action": "x"}, format="json").status_code == 405


def test_the_admin_is_read_only_and_scoped(world):
    staff = personas.county_admin(world.county, username="staff", staff=True)
    request = RequestFactory().get("/admin/audit/auditrecord/")
    request.user = staff
    model_admin = admin.site._registry[AuditRecord]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_change_permission(request, world.update)
    assert not model_admin.has_delete_permission(request, world.update)
    assert not model_admin.has_add_permission(request)
    official_staff = personas.cadre(world.linxi, username="linxi", role=Role.TOWNSHIP_OFFICIAL)
    official_staff.is_staff = True
    request.user = official_staff
    codes = set(model_admin.get_queryset(request).values_list("region_code", flat=True))
    assert codes and all(code.startswith("341824101") for code in codes)
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/audit/auditrecord/").status_code == 200
    assert client.get(f"/admin/audit/auditrecord/{world.update.pk}/delete/").status_code == 403


def test_records_cannot_be_changed_or_deleted_from_python(world):
    record = world.update
    record.action = "tampered"
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(PermissionError):
        AuditRecord.objects.filter(pk=record.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        AuditRecord.objects.filter(pk=record.pk).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete_at_the_database(world):
    table = AuditRecord._meta.db_table
    for sql in (
        f"UPDATE {table} SET action = 'tampered' WHERE id = %s",  # noqa: S608
        f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
    ):
        with pytest.raises(DatabaseError, match="cannot be changed or deleted"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [world.update.pk])
    assert AuditRecord.objects.get(pk=world.update.pk).action == "household.update"
