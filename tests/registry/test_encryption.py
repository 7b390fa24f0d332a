"""ID and phone numbers never reach the database in clear: not in the registry tables, not in
the audit trail, not anywhere. The database is read back as raw as each backend allows."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from battlemap.core import crypto
from battlemap.registry.codebook import CodeBook
from battlemap.registry.services import (
    HouseholdRow,
    PersonRow,
    household_update,
    person_update,
    registry_bulk_register,
)
from tests import personas
from tests.factories import ACTOR, id_number, register

pytestmark = pytest.mark.django_db
D = dt.date


def database_text() -> str:
    """Everything the database holds, as text, from the test's own connection (which sees the
    test's uncommitted rows)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        parts = list(raw.iterdump())
        name = str(settings.DATABASES["default"]["NAME"])
        if (
            name != ":memory:"
            and "mode=memory" not in name
            and not name.startswith("file:memorydb")
        ):
            # A file database: also read its bytes (committed data) after a checkpoint.
            raw.execute("PRAGMA wal_checkpoint(FULL)")
            for path in (Path(name), Path(name + "-wal")):
                if path.exists():
                    parts.append(path.read_bytes().decode("latin-1"))
        return "\n".join(parts)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [row[0] for row in cursor.fetchall()]
        assert "registry_person" in tables and "audit_auditrecord" in tables
        parts = []
        for table in tables:
            cursor.execute(f"SELECT t::text FROM {connection.ops.quote_name(table)} t")  # noqa: S608
            parts.extend(row[0] for row in cursor.fetchall())
        return "\n".join(parts)


def assert_absent(secret: str, text: str):
    assert secret not in text
    for hex_form in (secret.encode().hex(), secret.encode().hex().upper()):
        assert hex_form not in text  # not stored as plain bytes either


def test_dump_sees_what_it_should(county):
    """The check below is only worth something if the dump really contains the data."""
    household = register(county.v1, "可见户号123", D(2015, 10, 1), 1)
    text = database_text()
    assert "可见户号123" in text or "可见户号123".encode().hex() in text.lower()
    assert household.members.get().id_index in text


def test_clear_id_and_phone_never_stored(county):
    ids = [id_number(birth=D(1950 + i, 3, 1), male=i % 2 == 0) for i in range(3)]
    household = register(
        county.v1,
        "H1",
        D(2015, 10, 1),
        [{"id_number": ids[0]}, {"id_number": ids[1]}, {"id_number": ids[2].lower()}],
        phone="13812345678",
    )
    # Changes go through the audit trail too: change an ID number and the phone.
    person = household.members.order_by("id").last()
    new_id = id_number(birth=D(1990, 1, 1))
    person_update(actor=ACTOR, person=person, expected_version=1, id_number=new_id)
    household_update(actor=ACTOR, household=household, expected_version=1, phone="13987654321")

    text = database_text()
    for secret in [*ids, new_id, "13812345678", "13987654321"]:
        assert_absent(secret, text)
    # What the database does hold: masked forms (in the audit trail) and blind indexes.
    assert crypto.mask_id_number(ids[0]) in text
    assert "139****4321" in text
    assert crypto.blind_index(new_id) in text

    # The API returns the masked forms, and the clear numbers are still recoverable.
    client = APIClient()
    client.force_login(personas.county_admin(county.county))
    data = client.get(f"/api/v1/households/{household.pk}/").json()
    assert data["phone"] == "139****4321"
    shown = sorted(m["id_number"] for m in data["members"])
    assert shown == sorted(crypto.mask_id_number(n) for n in [ids[0], ids[1], new_id])
    assert sorted(p.id_number for p in household.members.all()) == sorted([ids[0], ids[1], new_id])


def test_bulk_path_never_stores_clear_numbers(county):
    book = CodeBook()
    cause = book.id("poverty_cause", "因病")
    head, spouse = book.id("relation", "户主"), book.id("relation", "配偶")
    health, labour = book.id("health", "健康"), book.id("labour", "普通劳动力")
    ids = [id_number(birth=D(1960, 5, 5)), id_number(birth=D(1962, 6, 6), male=False)]
    registry_bulk_register(
        actor=ACTOR,
        households=[
            HouseholdRow(
                county.v2.code,
                "B1",
                cause,
                None,
                None,
                None,
                None,
                (True,) * 5,
                "13700001111",
                ((D(2015, 10, 1), "identified"),),
            )
        ],
        persons=[
            PersonRow(
                "B1",
                relation,
                f"人{i}",
                number,
                health,
                labour,
                None,
                None,
                None,
                None,
                (True, False, True),
                None,
                None,
                None,
                None,
            )
            for i, (relation, number) in enumerate(zip([head, spouse], ids, strict=True))
        ],
    )
    text = database_text()
    for secret in [*ids, "13700001111"]:
        assert_absent(secret, text)
