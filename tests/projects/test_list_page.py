"""The project library's list: paginated (the filters kept in the page and tab links),
its region filter a drop-down of the regions the user may see, 导出Excel a styled button."""

import re

import pytest
from django.test import Client

from battlemap.accounts.models import Role
from battlemap.projects.views import PAGE_SIZE
from tests import personas
from tests.factories import make_county, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = make_county(population=False)
    for i in range(PAGE_SIZE + 5):
        make_project(w.v1 if i % 2 else w.v3, name=f"项目{i:03d}")
    w.admin = Client()
    w.admin.force_login(personas.county_admin(w.county))
    return w


def names(html: str) -> list[str]:
    return re.findall(r">(项目\d{3})</a>", html)


def test_the_list_is_paginated(world):
    first = world.admin.get("/projects/").content.decode()
    second = world.admin.get("/projects/?page=2").content.decode()
    assert len(names(first)) == PAGE_SIZE
    assert len(names(second)) == 5
    assert not set(names(first)) & set(names(second))
    assert "第1页，共2页" in first


def test_page_links_keep_the_filters(world):
    html = world.admin.get("/projects/?year=2019&programme=infrastructure").content.decode()
    link = re.search(r'href="\?([^"]*page=2)"', html).group(1).replace("&amp;", "&")
    assert "year=2019" in link and "programme=infrastructure" in link
    assert len(names(world.admin.get(f"/projects/?{link}").content.decode())) == 5


def test_region_filter_is_a_drop_down_of_the_visible_regions(world):
    html = world.admin.get("/projects/").content.decode()
    select = re.search(r'<select name="region">(.*?)</select>', html, re.S).group(1)
    assert world.huayang.name in select and world.linxi.name in select
    assert 'name="region" value=' not in html  # no typed code box any more
    official = Client()
    official.force_login(personas.cadre(world.huayang, username="hy", role=Role.TOWNSHIP_OFFICIAL))
    html = official.get("/projects/").content.decode()
    select = re.search(r'<select name="region">(.*?)</select>', html, re.S).group(1)
    assert world.huayang.name in select and world.v1.name in select
    assert world.linxi.name not in select and world.v3.name not in select


def test_region_drop_down_filters(world):
    html = world.admin.get(f"/projects/?region={world.huayang.prefix}").content.decode()
    assert len(names(html)) == (PAGE_SIZE + 5) // 2
    assert f'<option value="{world.huayang.prefix}" selected>' in html


def test_export_is_a_styled_secondary_button(world):
    html = world.admin.get("/projects/").content.decode()
    assert re.search(r'<button type="submit" id="projects-export" class="secondary">', html)
