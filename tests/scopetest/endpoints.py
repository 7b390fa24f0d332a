"""The throwaway app's pages in the security matrix, classified here, in its own folder:
the matrix runs them for every role over the notes of township A it builds below."""

from tests.security.endpoints import Endpoint

ENDPOINTS = [
    Endpoint("scopetest:note", "note", lambda w, o: f"/notes/{o.pk}/"),
    Endpoint("scopetest:note-detail", "note", lambda w, o: f"/api/notes/notes/{o.pk}/", api=True),
]
LISTS = {
    "scopetest:note-list": "tests/scopetest/test_pattern.py (the scope's rows only)",
    "scopetest:api-root": "no data: links to the lists",
}


def objects(world) -> dict:
    from .models import Note

    return {
        "note": [Note.objects.create(village=v, text=f"{v.name}记事") for v in (world.v1, world.v2)]
    }
