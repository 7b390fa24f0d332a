"""Test data built through the services, the way real data arrives: a small county,
valid ID numbers, and registered households."""

import datetime as dt
import itertools
from types import SimpleNamespace

from battlemap.audit.services import SystemActor
from battlemap.core.idnumber import make_id_number
from battlemap.regions.services import population_set, region_upsert
from battlemap.registry.services import household_register

ACTOR = SystemActor("test")

COUNTY = "341824000000"
HUAYANG, LINXI = "341824100000", "341824101000"
V1, V2 = "341824100201", "341824100202"  # under 华阳镇
V3, V4 = "341824101201", "341824101202"  # under 临溪镇

# (code, year, registered, rural). Township and county rows exist to prove that the
# rural population is summed over villages only.
POPULATION = [
    (COUNTY, 2018, 160000, 120000),
    (HUAYANG, 2018, 60000, 30000),
    (V1, 2018, 1000, 900),
    (V1, 2020, 1050, 950),
    (V2, 2018, 700, 600),
    (V3, 2020, 900, 800),
    (V4, 2019, 600, 500),
]


def make_county(*, actor=ACTOR, population: bool = True) -> SimpleNamespace:
    """绩溪县 with two townships of two villages each, and village population figures."""
    county, _ = region_upsert(actor=actor, code=COUNTY, name="绩溪县")
    huayang, _ = region_upsert(actor=actor, code=HUAYANG, name="华阳镇", parent_code=COUNTY)
    linxi, _ = region_upsert(actor=actor, code=LINXI, name="临溪镇", parent_code=COUNTY)
    v1, _ = region_upsert(actor=actor, code=V1, name="城西村", parent_code=HUAYANG)
    v2, _ = region_upsert(actor=actor, code=V2, name="龙川村", parent_code=HUAYANG)
    v3, _ = region_upsert(actor=actor, code=V3, name="临溪村", parent_code=LINXI)
    v4, _ = region_upsert(actor=actor, code=V4, name="湖村", parent_code=LINXI)
    regions = {r.code: r for r in (county, huayang, linxi, v1, v2, v3, v4)}
    if population:
        for code, year, registered, rural in POPULATION:
            population_set(
                actor=actor, region=regions[code], year=year, registered=registered, rural=rural
            )
    return SimpleNamespace(
        county=county,
        huayang=huayang,
        linxi=linxi,
        townships=[huayang, linxi],
        v1=v1,
        v2=v2,
        v3=v3,
        v4=v4,
        villages=[v1, v2, v3, v4],
        regions=regions,
    )


_serial = itertools.count(1)


def id_number(
    n: int | None = None, *, birth: dt.date | None = None, male: bool = True, prefix: str = "341824"
) -> str:
    """A valid ID number; distinct n (or, without n, each call) gives a distinct number."""
    if n is None:
        n = next(_serial)
    birth = birth or dt.date(1960, 1, 1) + dt.timedelta(days=n)
    seq = 2 * (n % 500) + (1 if male else 0)
    return make_id_number(prefix, birth, seq)


RELATIONS = ["户主", "配偶", "之子", "之女", "之孙子", "之孙女", "之父", "之母"]


def member(relation: str = "户主", **overrides) -> dict:
    """A member as the services take it (labels, not ids); override any field."""
    data = {
        "name": f"成员{next(_serial)}",
        "relation": relation,
        "health": "健康",
        "labour": "普通劳动力",
    }
    data.update(overrides)
    if "id_number" not in data:
        data["id_number"] = id_number(male=relation not in ("配偶", "之女", "之孙女", "之母"))
    return data


def register(
    village,
    number: str,
    identified_on: dt.date = dt.date(2015, 10, 1),
    members: list[dict] | int | None = None,
    *,
    actor=ACTOR,
    **fields,
):
    """household_register with sensible defaults; `members` is a list of partial member
    dicts (merged over defaults, relations 户主, 配偶, 之子… in order) or a household size."""
    if members is None:
        members = 3
    if isinstance(members, int):
        members = [{} for _ in range(members)]
    full = [
        member(**{"relation": RELATIONS[1 + (i - 1) % 7] if i else "户主", **m})
        for i, m in enumerate(members)
    ]
    fields.setdefault("main_cause", "因病")
    return household_register(
        actor=actor,
        village=village,
        number=number,
        identified_on=identified_on,
        members=full,
        **fields,
    )


def make_project(
    region, name: str = "城西村组道硬化工程", *, actor=ACTOR, year: int = 2019, **fields
):
    """A planned project through project_create, with sensible defaults."""
    from battlemap.projects.services import project_create

    values = {
        "year": year,
        "name": name,
        "programme": "infrastructure",
        "construction_type": "new",
        "planned_start": dt.date(year, 3, 1),
        "planned_end": dt.date(year, 10, 31),
        "budget": "300000.00",
        "responsible_unit": "县交通运输局",
        "responsible_leader": "程国庆",
        "responsible_person": "胡建华",
        "performance_target": "带动10户贫困户增收",
        "planned_on": dt.date(year - 1, 11, 1),
        **fields,
    }
    return project_create(actor=actor, region=region, **values)
