"""What the API gives away without asking: clear numbers kept in caches, the schema and
its documentation shown to anyone."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from battlemap.accounts.services import api_token_create
from tests import personas
from tests.factories import ACTOR, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(county):
    return personas.county_admin(county.county)


def test_reveal_answers_are_never_stored(county, admin):
    household = register(county.v1, "H1", members=1, phone="13812345678")
    person = household.members.get()
    api = APIClient()
    api.force_login(admin)
    for url in (
        f"/api/v1/persons/{person.pk}/reveal/",
        f"/api/v1/households/{household.pk}/reveal/",
    ):
        response = api.post(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    client = Client()
    client.force_login(admin)
    for data in ({"person": person.pk}, {"field": "phone"}):
        for accept in ("application/json", "text/html"):
            response = client.post(f"/households/{household.pk}/reveal/", data, HTTP_ACCEPT=accept)
            assert response.status_code == 200
            assert "no-store" in response["Cache-Control"], (data, accept)


def test_the_schema_and_its_docs_need_a_login(county, admin):
    anonymous = Client()
    response = anonymous.get("/api/v1/schema/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert b"/api/v1/households/" not in response.content
    response = anonymous.get("/api/v1/docs/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert anonymous.get("/api/v1/docs/?script=").status_code in (302, 401)

    client = Client()
    client.force_login(admin)
    assert b"/api/v1/households/" in client.get("/api/v1/schema/").content
    assert client.get("/api/v1/docs/").status_code == 200
    _row, token = api_token_create(actor=ACTOR, user=admin)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/schema/").status_code == 200
