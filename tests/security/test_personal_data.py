"""Personal data: masked everywhere; one number revealed by an explicit click (page or
API), for a role that may, and every reveal in the audit trail (who, whose, when);
exports clear only for a role with view_personal_data, and recorded."""

import datetime as dt
import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from battlemap.accounts.models import Role
from battlemap.audit.models import AuditRecord
from battlemap.core import crypto
from battlemap.registry.exports import member_rows
from tests import personas
from tests.factories import id_number, register

pytestmark = pytest.mark.django_db
D = dt.date
MASKED_ID = re.compile(r"\d{4}\*{10}[\dX]{4}")
HEAD_ID = id_number(7001)
PHONE = "13812345678"


@pytest.fixture
def world(county):
    county.household = register(
        county.v1, "H1", D(2015, 10, 1), [{"name": "张三", "id_number": HEAD_ID}, {}], phone=PHONE
    )
    county.head = county.household.members.get(name="张三")
    county.admin = personas.county_admin(county.county)
    county.leader = personas.holder(county.county, username="leader", role=Role.LEADER)
    county.cadre = personas.cadre(county.v1)
    return county


def logged_in(user, api=False):
    client = APIClient() if api else Client()
    client.force_login(user)
    return client


def reveals():
    return AuditRecord.objects.filter(action__endswith=".reveal").order_by("id")


def test_pages_and_api_show_masked_numbers_only(world):
    for user in (world.admin, world.leader, world.cadre):
        html = logged_in(user).get(f"/households/{world.household.pk}/").content.decode()
        assert HEAD_ID not in html and PHONE not in html
        assert crypto.mask_id_number(HEAD_ID) in html and "138****5678" in html
        data = logged_in(user, api=True).get(f"/api/v1/households/{world.household.pk}/").json()
        assert HEAD_ID not in str(data) and PHONE not in str(data)
        assert all(MASKED_ID.fullmatch(m["id_number"]) for m in data["members"])
    assert not reveals().exists()


def test_reveal_buttons_only_for_roles_that_may(world):
    html = logged_in(world.cadre).get(f"/households/{world.household.pk}/").content.decode()
    assert html.count("data-reveal") == 3  # two members and the phone
    assert "js/reveal.js" in html
    html = logged_in(world.leader).get(f"/households/{world.household.pk}/").content.decode()
    assert "data-reveal" not in html and "js/reveal.js" not in html


def test_reveal_on_the_page_is_a_post_and_is_logged(world):
    client = logged_in(world.cadre)
    url = f"/households/{world.household.pk}/reveal/"
    assert client.get(url).status_code == 405  # a look is never a link to follow
    # With the page's script: JSON with the number.
    response = client.post(url, {"person": world.head.pk}, HTTP_ACCEPT="application/json")
    assert response.json() == {"value": HEAD_ID}
    assert "no-store" in response["Cache-Control"]
    # Without script: the file again, with that one number shown.
    html = client.post(url, {"field": "phone"}).content.decode()
    assert PHONE in html and HEAD_ID not in html
    first, second = reveals()
    assert (first.actor, first.action, first.object_type, first.object_id) == (
        world.cadre,
        "person.reveal",
        "registry.person",
        str(world.head.pk),
    )
    assert first.region_code == world.v1.code and first.at is not None
    assert first.after["person"] == "张三" and first.after["field"] == "id_number"
    assert HEAD_ID not in str(first.after)  # the trail itself holds the masked form only
    assert (second.action, second.object_id, second.after["field"]) == (
        "household.reveal",
        str(world.household.pk),
        "phone",
    )
    assert PHONE not in str(second.after)


def test_reveal_by_api_is_logged(world):
    client = logged_in(world.admin, api=True)
    response = client.post(f"/api/v1/persons/{world.head.pk}/reveal/")
    assert response.status_code == 200 and response.json() == {"id_number": HEAD_ID}
    response = client.post(f"/api/v1/households/{world.household.pk}/reveal/")
    assert response.json() == {"phone": PHONE}
    assert [(r.actor_label, r.action) for r in reveals()] == [
        ("boss", "person.reveal"),
        ("boss", "household.reveal"),
    ]


def test_a_leader_may_not_reveal(world):
    api = logged_in(world.leader, api=True)
    assert api.post(f"/api/v1/persons/{world.head.pk}/reveal/").status_code == 403
    assert api.post(f"/api/v1/households/{world.household.pk}/reveal/").status_code == 403
    page = logged_in(world.leader)
    url = f"/households/{world.household.pk}/reveal/"
    assert page.post(url, {"person": world.head.pk}).status_code == 403
    assert not reveals().exists()


def test_reveal_of_a_person_of_another_household_is_404(world):
    other = register(world.v1, "H2", D(2015, 10, 1), 1).members.get()
    page = logged_in(world.cadre)
    url = f"/households/{world.household.pk}/reveal/"
    assert page.post(url, {"person": other.pk}).status_code == 404
    assert page.post(url, {"person": "x"}).status_code == 404


def test_exports_are_clear_only_with_view_personal_data(world):
    official = personas.cadre(world.huayang, username="official", role=Role.TOWNSHIP_OFFICIAL)
    for user, clear in ((world.admin, True), (official, True), (world.cadre, False)):
        columns, rows = member_rows(user, world.v1.code)
        head = next(r for r in rows if r[3] == "张三")
        id_col, phone_col = columns.index("证件号码"), columns.index("联系电话")
        if clear:
            assert (head[id_col], head[phone_col]) == (HEAD_ID, PHONE)
        else:
            assert head[id_col] == crypto.mask_id_number(HEAD_ID)
            assert head[phone_col] == "138****5678"
    columns, rows = member_rows(world.leader, world.county.code)
    assert all(MASKED_ID.fullmatch(r[columns.index("证件号码")]) for r in rows)
    exports = AuditRecord.objects.filter(action="registry.export").order_by("id")
    assert [(e.actor_label, e.after["clear"], e.after["rows"]) for e in exports] == [
        ("boss", True, 2),
        ("official", True, 2),
        ("cadre", False, 2),
        ("leader", False, 2),
    ]
    assert exports[0].object_type == "regions.region" and exports[0].region_code == world.v1.code
