"""Importing real boundaries: matched by code, all or nothing, idempotent."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from battlemap.audit.models import AuditRecord
from battlemap.regions.geometry import feature_collection
from battlemap.regions.models import Region
from tests.factories import make_county

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[118.5, 30.0], [118.6, 30.0], [118.6, 30.1], [118.5, 30.1], [118.5, 30.0]]],
}
OTHER = {
    "type": "Polygon",
    "coordinates": [[[118.6, 30.0], [118.7, 30.0], [118.7, 30.1], [118.6, 30.1], [118.6, 30.0]]],
}
BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


def write(tmp_path, features):
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return str(path)


def feature(code, geometry):
    return {"type": "Feature", "properties": {"code": code}, "geometry": geometry}


def test_import_matches_by_code_and_is_idempotent(tmp_path):
    county = make_county()
    path = write(tmp_path, [feature("341824100", SQUARE), feature(county.linxi.code, OTHER)])
    out = StringIO()
    call_command("import_boundaries", path, stdout=out)
    assert "2" in out.getvalue()
    assert Region.objects.get(code=county.huayang.code).geometry == SQUARE
    data = feature_collection(county.county)
    assert data["schematic"] is False
    audits = AuditRecord.objects.count()
    out = StringIO()
    call_command("import_boundaries", path, stdout=out)
    assert "没有变化" in out.getvalue()
    assert AuditRecord.objects.count() == audits


def test_bad_features_are_named_and_nothing_changes(tmp_path):
    county = make_county()
    path = write(
        tmp_path,
        [
            feature(county.huayang.code, SQUARE),
            feature("341899000000", OTHER),
            feature(county.linxi.code, BOWTIE),
            {"properties": {}},
        ],
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_boundaries", path, stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 3
    assert "第2个要素" in lines[0] and "341899000000" in lines[0]
    assert "第3个要素" in lines[1] and "无效" in lines[1]
    assert "第4个要素" in lines[2]
    assert Region.objects.get(code=county.huayang.code).geometry is None


def test_villages_without_boundaries_are_drawn_inside_their_real_township(tmp_path):
    from shapely.geometry import shape

    county = make_county()
    call_command(
        "import_boundaries",
        write(tmp_path, [feature(county.huayang.code, SQUARE)]),
        stdout=StringIO(),
    )
    data = feature_collection(county.huayang)
    assert data["schematic"] is True
    square = shape(SQUARE)
    assert abs(sum(shape(f["geometry"]).area for f in data["features"]) - square.area) < 1e-9
