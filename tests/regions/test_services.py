"""Region writes and the code tree."""

import datetime as dt

import pytest
from django.utils import timezone

from battlemap.audit.models import AuditRecord
from battlemap.core.codes import level_of, normalize_code, prefix_of
from battlemap.core.errors import ValidationFailed
from battlemap.regions.models import Region, RegionPopulation, VillageStatusEvent
from battlemap.regions.services import poor_village_set, population_set, region_upsert
from tests.factories import ACTOR


@pytest.mark.parametrize(
    "code, level, prefix",
    [
        ("340000000000", "province", "34"),
        ("341800000000", "city", "3418"),
        ("341824000000", "county", "341824"),
        ("341824100000", "township", "341824100"),
        ("341824100201", "village", "341824100201"),
    ],
)
def test_level_and_prefix_from_code(code, level, prefix):
    assert level_of(code) == level
    assert prefix_of(code) == prefix


@pytest.mark.parametrize(
    "raw, code",
    [
        ("341824", "341824000000"),
        ("341824100", "341824100000"),
        ("341824100201", "341824100201"),
        (" ３４１８２４ ", "341824000000"),
        (341824100201.0, "341824100201"),
        ("34182", ""),
        ("3418241002011", ""),
        ("34182410020X", ""),
        ("", ""),
    ],
)
def test_normalize_code(raw, code):
    assert normalize_code(raw) == code


@pytest.mark.django_db
def test_within_is_the_subtree(county):
    assert set(Region.objects.within(county.huayang).values_list("code", flat=True)) == {
        county.huayang.code,
        county.v1.code,
        county.v2.code,
    }
    assert Region.objects.within(county.county).count() == 7
    assert list(Region.objects.within(county.v3)) == [county.v3]


@pytest.mark.django_db
def test_region_upsert_reports_what_changed(county):
    audits = AuditRecord.objects.count()
    region, what = region_upsert(
        actor=ACTOR, code=county.v1.code, name="城西村", parent_code=county.huayang.code
    )
    assert (region, what) == (county.v1, "")
    assert AuditRecord.objects.count() == audits
    region, what = region_upsert(
        actor=ACTOR, code=county.v1.code, name="城西社区", parent_code=county.huayang.code
    )
    assert what == "updated"
    assert Region.objects.get(code=county.v1.code).name == "城西社区"
    assert AuditRecord.objects.count() == audits + 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code, name, parent, reason",
    [
        ("34182410020", "村", "341824100000", "12位"),
        ("341824100203", "", "341824100000", "名称"),
        ("341824100203", "村", "341824101000", "不属于上级"),
        ("341824100203", "村", "341824100203", "不属于上级"),
        ("341824102201", "村", "341824102000", "不存在"),
    ],
)
def test_region_upsert_refuses(county, code, name, parent, reason):
    count = Region.objects.count()
    with pytest.raises(ValidationFailed, match=reason):
        region_upsert(actor=ACTOR, code=code, name=name, parent_code=parent)
    assert Region.objects.count() == count


@pytest.mark.django_db
def test_population_set(county):
    assert population_set(actor=ACTOR, region=county.v4, year=2021, registered=610, rural=510)
    assert not population_set(actor=ACTOR, region=county.v4, year=2021, registered=610, rural=510)
    assert population_set(actor=ACTOR, region=county.v4, year=2021, registered=620, rural=510)
    assert RegionPopulation.objects.get(region=county.v4, year=2021).registered == 620
    with pytest.raises(ValidationFailed, match="不能大于"):
        population_set(actor=ACTOR, region=county.v4, year=2021, registered=100, rural=101)
    with pytest.raises(ValidationFailed, match="年份"):
        population_set(
            actor=ACTOR,
            region=county.v4,
            year=timezone.localdate().year + 1,
            registered=100,
            rural=10,
        )
    with pytest.raises(ValidationFailed, match="年份"):
        population_set(actor=ACTOR, region=county.v4, year=1948, registered=100, rural=10)


@pytest.mark.django_db
def test_poor_village_set(county):
    v = county.v2
    assert poor_village_set(
        actor=ACTOR, village=v, identified_on=dt.date(2014, 10, 1), exited_on=dt.date(2019, 11, 30)
    )
    assert not poor_village_set(
        actor=ACTOR, village=v, identified_on=dt.date(2014, 10, 1), exited_on=dt.date(2019, 11, 30)
    )
    assert set(v.poverty_events.values_list("kind", "date")) == {
        ("identified", dt.date(2014, 10, 1)),
        ("exited", dt.date(2019, 11, 30)),
    }
    # Withdrawing the exit removes it.
    assert poor_village_set(actor=ACTOR, village=v, identified_on=dt.date(2014, 10, 1))
    assert list(v.poverty_events.values_list("kind", flat=True)) == ["identified"]
    record = AuditRecord.objects.filter(action="village.poverty_status").first()
    assert record.before == {"identified": "2014-10-01", "exited": "2019-11-30"}
    assert record.after == {"identified": "2014-10-01"}


@pytest.mark.django_db
def test_poor_village_set_refuses(county):
    with pytest.raises(ValidationFailed, match="不是村级"):
        poor_village_set(actor=ACTOR, village=county.huayang, identified_on=dt.date(2014, 10, 1))
    with pytest.raises(ValidationFailed, match="早于"):
        poor_village_set(
            actor=ACTOR,
            village=county.v1,
            identified_on=dt.date(2014, 10, 1),
            exited_on=dt.date(2014, 9, 30),
        )
    assert not VillageStatusEvent.objects.exists()
