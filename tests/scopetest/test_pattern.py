"""The pattern, proved on a throwaway app: a model that declares its scope is scoped by
page, API, export and `user_can`, with no line in any other app."""

import io

import pytest
from django.http import Http404
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from battlemap.core.kinds import KINDS
from battlemap.core.scoping import user_can
from battlemap.registry.actions import EDIT_REGISTRY
from tests import personas

from .models import Note

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(county):
    return {
        "a": Note.objects.create(village=county.v1, text="城西村记事"),
        "b": Note.objects.create(village=county.v3, text="临溪村记事"),
    }


@pytest.fixture
def official_a(county):
    return personas.cadre(county.huayang, username="official_a", role="township_official")


def test_visible_to_and_user_can_read_the_declaration(county, notes, official_a):
    assert list(Note.objects.visible_to(official_a)) == [notes["a"]]
    assert user_can(official_a, EDIT_REGISTRY, notes["a"])
    assert not user_can(official_a, EDIT_REGISTRY, notes["b"])
    leader = personas.holder(county.county, username="leader", role="leader")
    assert set(Note.objects.visible_to(leader)) == set(notes.values())
    assert not user_can(leader, EDIT_REGISTRY, notes["a"])  # leaders change nothing
    assert not Note.objects.visible_to(personas.outsider()).exists()


def test_page_answers_404_outside_the_scope(notes, official_a):
    client = Client()
    client.force_login(official_a)
    assert client.get(f"/notes/{notes['a'].pk}/").content.decode() == "城西村记事"
    assert client.get(f"/notes/{notes['b'].pk}/").status_code == 404
    assert client.get("/notes/999999/").status_code == 404


def test_api_lists_and_details_only_the_scope(notes, official_a):
    client = APIClient()
    client.force_login(official_a)
    rows = client.get("/api/notes/notes/").json()
    assert [r["text"] for r in rows["results"]] == ["城西村记事"]
    assert client.get(f"/api/notes/notes/{notes['b'].pk}/").status_code == 404


def test_export_writes_only_the_scope(county, notes, official_a):
    kind = KINDS["notes"]
    _name, content = kind.export(official_a, county.huayang.code)
    cells = [
        value
        for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
        for value in row
    ]
    assert "城西村记事" in cells and "临溪村记事" not in cells
    with pytest.raises(Http404):
        kind.export(official_a, county.linxi.code)
