"""Every role with view_projects in the county reads the county's bulletins (which rank
its townships); a bulletin of a township stays within that township; outsiders see none."""

import pytest
from django.test import Client

from battlemap.board.bulletins import bulletin_generate
from tests import personas
from tests.factories import ACTOR

from .test_bulletin import DAY, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _personas(w):
    return {
        "county_admin": personas.county_admin(w.county),
        "leader": personas.holder(w.county, username="leader", role="leader"),
        "inspector": personas.holder(w.county, username="inspector", role="inspector"),
        "department": personas.holder(w.county, username="dept", role="department"),
        "township_huayang": personas.cadre(w.huayang, username="hy", role="township_official"),
        "township_linxi": personas.cadre(w.linxi, username="lx", role="township_official"),
        "village_cadre": personas.cadre(w.v1, username="vc"),
    }


def test_every_role_with_view_projects_in_the_county_reads_its_bulletins(world):  # noqa: F811
    county = bulletin_generate(actor=ACTOR, region=world.county, date=DAY)
    township = bulletin_generate(actor=ACTOR, region=world.huayang, date=DAY)
    client = Client()
    for name, user in _personas(world).items():
        client.force_login(user)
        page = client.get("/bulletins/").content.decode()
        assert f"/bulletins/{county.pk}/" in page, name
        assert "尚无日通报" not in page, name
        detail = client.get(f"/bulletins/{county.pk}/")
        assert detail.status_code == 200 and "华阳镇" in detail.content.decode(), name
        assert client.get(f"/bulletins/{county.pk}/docx/").status_code == 200, name
        sees_township = name != "township_linxi"
        assert (f"/bulletins/{township.pk}/" in page) is sees_township, name
        assert client.get(f"/bulletins/{township.pk}/").status_code == (
            200 if sees_township else 404
        ), name
    client.force_login(personas.outsider())
    assert client.get("/bulletins/").status_code == 403
    assert client.get(f"/bulletins/{county.pk}/").status_code == 404
