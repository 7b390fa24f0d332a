"""Managing a project from its battle map: each form calls one service; a refusal comes
back on the project page with the rule's message; a role without edit_projects gets 403."""

import datetime as dt

import pytest
from django.test import Client

from battlemap.projects.models import Project
from tests import personas
from tests.factories import make_county, make_project

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def world():
    w = make_county(population=False)
    w.project = make_project(w.v1)
    w.admin = Client()
    w.admin.force_login(personas.county_admin(w.county))
    return w


def post(client, url, data):
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][1] == 302
    return response.content.decode()


def test_a_project_walks_its_stages_from_the_page(world):
    base = f"/projects/{world.project.pk}"
    page = post(world.admin, f"{base}/stage/", {"stage": "in_library", "date": "2018-11-20"})
    assert "入库前须公示" in page  # the rule's message, on the page
    post(
        world.admin,
        f"{base}/notices/",
        {"kind": "before_entry", "start": "2018-11-05", "end": "2018-11-12", "place": "村公示栏"},
    )
    for stage, date, document in (
        ("in_library", "2018-11-20", ""),
        ("applied", "2018-12-01", ""),
        ("approved", "2019-01-10", "绩扶项〔2019〕1号"),
    ):
        page = post(
            world.admin, f"{base}/stage/", {"stage": stage, "date": date, "document": document}
        )
        assert "已保存" in page
    post(
        world.admin,
        f"{base}/funds/",
        {
            "kind": "allocation",
            "source": "county",
            "amount": "1000",
            "date": "2019-01-20",
            "payee": "绩财〔2019〕1号",
        },
    )
    post(world.admin, f"{base}/stage/", {"stage": "under_way", "date": "2019-03-01"})
    page = post(
        world.admin,
        f"{base}/funds/",
        {"kind": "payment", "amount": "1200", "date": "2019-03-05", "payee": "甲"},
    )
    assert "超出已下达资金" in page
    post(
        world.admin,
        f"{base}/funds/",
        {"kind": "payment", "amount": "600", "date": "2019-03-05", "payee": "甲"},
    )
    post(
        world.admin,
        f"{base}/milestones/",
        {"name": "施工", "owner": "王工", "start": "2019-03-01", "due": "2019-05-01"},
    )
    step = world.project.milestones.get()
    page = post(world.admin, f"{base}/milestones/{step.pk}/done/", {"done_on": "2019-04-20"})
    assert "已保存" in page
    project = Project.objects.get(pk=world.project.pk)
    assert project.stage == "under_way"
    assert project.allocations.get().document == "绩财〔2019〕1号"
    assert project.disbursements.get().amount == 600
    assert project.milestones.get().done_on == D(2019, 4, 20)
    page = world.admin.get(f"{base}/?date=2019-04-30").content.decode()
    assert "60.00%" in page  # 600 of 1,000 paid


def test_reading_roles_cannot_manage(world):
    cadre = Client()
    cadre.force_login(personas.cadre(world.v1))
    base = f"/projects/{world.project.pk}"
    assert cadre.get(f"{base}/").status_code == 200
    assert "project-manage" not in cadre.get(f"{base}/").content.decode()
    response = cadre.post(f"{base}/stage/", {"stage": "in_library", "date": "2018-11-20"})
    assert response.status_code == 403
    assert "project-manage" in world.admin.get(f"{base}/").content.decode()


def test_new_project_form_offers_and_accepts_only_the_users_places(world):
    official = Client()
    official.force_login(
        personas.cadre(world.linxi, username="official_b", role="township_official")
    )
    page = official.get("/projects/new/").content.decode()
    assert world.v3.code in page and world.linxi.code in page
    assert world.v1.code not in page and world.county.code not in page
    data = {
        "region": world.v3.code,
        "year": "2019",
        "name": "临溪村产业路",
        "programme": "infrastructure",
        "construction_type": "new",
        "planned_start": "2019-03-01",
        "planned_end": "2019-09-30",
        "budget": "150000",
        "performance_target": "带动8户增收",
        "responsible_unit": "临溪镇人民政府",
        "responsible_leader": "程国庆",
        "responsible_person": "汪红梅",
    }
    response = official.post("/projects/new/", data)
    created = Project.objects.get(name="临溪村产业路")
    assert response["Location"] == f"/projects/{created.pk}/"
    assert created.stage == "planned" and created.region_id == world.v3.code
    other = official.post("/projects/new/", {**data, "region": world.v1.code, "name": "越界"})
    assert other.status_code == 200 and not Project.objects.filter(name="越界").exists()
    cadre = Client()
    cadre.force_login(personas.cadre(world.v1))
    assert cadre.get("/projects/new/").status_code == 403


def test_the_project_number_is_shown_and_searchable(world):
    from tests.factories import make_project

    other = make_project(world.v3, "临溪村安全饮水工程", number="P-2019-077")
    page = world.admin.get("/projects/?q=2019-0001").content.decode()
    assert world.project.number == "341824-2019-0001"
    assert world.project.number in page and other.name not in page
    page = world.admin.get("/projects/?q=p-2019-07").content.decode()
    assert other.name in page and world.project.name not in page
    assert "P-2019-077" in world.admin.get(f"/projects/{other.pk}/").content.decode()
    api = world.admin.get("/api/v1/projects/?number=P-2019-077").json()
    rows = api["results"] if isinstance(api, dict) else api
    assert [r["number"] for r in rows] == ["P-2019-077"]
