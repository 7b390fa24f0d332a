"""The API shows each record's `version` and an ETag, and PATCH honours `If-Match`:
a stale ETag is 412 Precondition Failed, a stale body `version` is 409 as before."""

import pytest
from rest_framework.test import APIClient

from battlemap.audit.models import AuditRecord
from battlemap.registry.models import Household
from tests import personas
from tests.factories import register

pytestmark = pytest.mark.django_db
STALE = "该记录已被他人修改，请刷新后重试。"


@pytest.fixture
def setup(county):
    household = register(county.v1, "H1", members=2)
    client = APIClient()
    client.force_login(personas.county_admin(county.county))
    return client, household


def test_a_household_shows_its_version_and_etag(setup):
    client, household = setup
    response = client.get(f"/api/v1/households/{household.pk}/")
    assert response.json()["version"] == household.version == 1
    assert response["ETag"] == '"1"'
    assert all(m["version"] == 1 for m in response.json()["members"])
    listed = client.get("/api/v1/households/").json()["results"][0]
    assert listed["version"] == 1


def test_a_person_shows_its_version_and_etag(setup):
    client, household = setup
    person = household.members.first()
    response = client.get(f"/api/v1/persons/{person.pk}/")
    assert response.json()["version"] == person.version
    assert response["ETag"] == f'"{person.version}"'


def test_patch_with_the_etag_read(setup):
    client, household = setup
    url = f"/api/v1/households/{household.pk}/"
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"note": "走访"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2 and response["ETag"] == '"2"'
    household.refresh_from_db()
    assert household.note == "走访" and household.version == 2


def test_a_stale_etag_is_412_and_changes_nothing(setup):
    client, household = setup
    url = f"/api/v1/households/{household.pk}/"
    etag = client.get(url)["ETag"]
    assert client.patch(url, {"note": "a"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    records = AuditRecord.objects.count()
    for stale in (etag, '"99"', 'W/"2"', "nonsense"):
        response = client.patch(url, {"note": "b"}, format="json", HTTP_IF_MATCH=stale)
        assert response.status_code == 412, stale
        assert response.json() == {"detail": STALE}
    # A stale ETag loses even with the current version in the body.
    response = client.patch(url, {"note": "b", "version": 2}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    household.refresh_from_db()
    assert household.note == "a" and household.version == 2
    assert AuditRecord.objects.count() == records


def test_the_body_version_keeps_working(setup):
    client, household = setup
    url = f"/api/v1/households/{household.pk}/"
    assert client.patch(url, {"note": "a", "version": 1}, format="json").status_code == 200
    response = client.patch(url, {"note": "b", "version": 1}, format="json")
    assert response.status_code == 409 and response.json()["detail"] == STALE
    response = client.patch(url, {"note": "b"}, format="json")  # neither: say what is missing
    assert response.status_code == 400 and "version" in response.json()
    assert Household.objects.get(pk=household.pk).note == "a"
