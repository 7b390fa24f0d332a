"""The battle map's JSON endpoints: figures, ranking, trend, geometry, scoping."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from battlemap.accounts.models import Role
from battlemap.registry.selectors import region_figures
from battlemap.registry.services import household_event_add
from tests.factories import ACTOR, make_county, register
from tests.personas import cadre, county_admin, outsider

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def county():
    county = make_county()
    register(county.v1, "A1", D(2015, 3, 1), 4)
    register(county.v2, "A2", D(2015, 3, 1), 2)
    exited = register(county.v3, "B1", D(2015, 3, 1), 3)
    household_event_add(actor=ACTOR, household=exited, kind="exited", date=D(2018, 6, 1))
    return county


def client(user):
    api = APIClient()
    api.force_login(user)
    return api


def test_board_figures_equal_the_direct_figures_and_rank_worst_first(county):
    data = (
        client(county_admin(county.county))
        .get(
            f"/api/v1/board/{county.county.code}/",
            {"date": "2018-12-31", "indicator": "persons_poor"},
        )
        .json()
    )
    direct = region_figures(county.county, D(2018, 12, 31))
    for name in ("households_poor", "persons_poor", "households_registered", "rural_population"):
        assert data["measures"][name] == direct[name]
    assert data["indicators"]["poverty_incidence"] == round(direct["poverty_incidence"] * 100, 2)
    children = {c["code"]: c for c in data["children"]}
    assert children[county.huayang.code]["measures"]["persons_poor"] == 6
    assert children[county.linxi.code]["measures"]["persons_poor"] == 0
    assert data["ranking"] == [county.huayang.code, county.linxi.code]
    assert [b["code"] for b in data["breadcrumb"]] == [county.county.code]


def test_trend_by_year_end(county):
    points = (
        client(county_admin(county.county))
        .get(f"/api/v1/board/{county.county.code}/trend/", {"period": "year", "date": "2019-06-30"})
        .json()
    )
    by_date = {p["date"]: p["measures"]["persons_poor"] for p in points}
    assert by_date["2015-12-31"] == 9
    assert by_date["2018-12-31"] == 6
    assert points[-1]["date"] == "2019-06-30"


def test_geometry_is_a_schematic_inside_the_real_county_outline(county):
    from shapely.geometry import shape

    from battlemap.regions.geometry import packaged_outline

    data = (
        client(county_admin(county.county)).get(f"/api/v1/board/{county.county.code}/geo/").json()
    )
    assert data["schematic"] is True
    assert {f["properties"]["code"] for f in data["features"]} == {
        county.huayang.code,
        county.linxi.code,
    }
    outline = shape(packaged_outline(county.county.code))
    cells = [shape(f["geometry"]) for f in data["features"]]
    assert abs(sum(c.area for c in cells) - outline.area) < outline.area * 0.01
    assert all(outline.buffer(1e-4).contains(c) for c in cells)


def test_bad_parameters_are_refused_with_a_message(county):
    api = client(county_admin(county.county))
    response = api.get(f"/api/v1/board/{county.county.code}/", {"date": "2019-02-30"})
    assert response.status_code == 400 and "YYYY-MM-DD" in response.json()["date"]
    response = api.get(f"/api/v1/board/{county.county.code}/", {"indicator": "nope"})
    assert response.status_code == 400


def test_scoped_users_see_their_region_only(county):
    township_user = cadre(county.huayang, role=Role.TOWNSHIP_OFFICIAL)
    api = client(township_user)
    assert api.get(f"/api/v1/board/{county.huayang.code}/").status_code == 200
    for code in (county.linxi.code, county.v3.code, "999999000000"):
        assert api.get(f"/api/v1/board/{code}/").status_code == 404
        assert api.get(f"/api/v1/board/{code}/geo/").status_code == 404
    data = api.get(f"/api/v1/board/{county.huayang.code}/").json()
    assert [b["code"] for b in data["breadcrumb"]] == [county.huayang.code]
    assert client(outsider()).get(f"/api/v1/board/{county.county.code}/").status_code == 404


def test_indicator_definitions(county):
    data = client(county_admin(county.county)).get("/api/v1/board/indicators/").json()
    names = {i["name"]: i for i in data["indicators"]}
    assert names["poverty_incidence"]["rollup"] == "ratio"
    assert names["persons_poor"]["rollup"] == "sum"
    assert data["default"] in names
