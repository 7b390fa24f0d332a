"""The registry's and the regions' measures, computed set-based per village."""

import datetime as dt

from django.db import connection
from django.utils.translation import gettext_lazy as _

from battlemap.regions.models import RegionPopulation, VillageStatusEvent
from battlemap.registry.models import Household, HouseholdEvent, Person
from battlemap.registry.querysets import POOR_KINDS

from .measures import measure, source

measure("households_registered", _("建档立卡户数"), _("户"))
measure("persons_registered", _("建档立卡人数"), _("人"))
measure("households_poor", _("未脱贫户数"), _("户"))
measure("persons_poor", _("未脱贫人数"), _("人"))
measure("rural_population", _("农村户籍人口"), _("人"))
measure("poor_villages", _("贫困村数"), _("个"))
measure("poor_villages_exited", _("已出列贫困村数"), _("个"))


def _village_filter(column: str, villages: list[str] | None) -> tuple[str, list]:
    if villages is None:
        return "", []
    return f" AND {column} IN ({', '.join(['%s'] * len(villages))})", list(villages)


# A household's poor/registered flag and its member count change only on the dates of
# its events and of its members' joining and leaving. At each such date the state is
# read back, and LAG turns the states into changes; summing per village and date gives
# the village's deltas. One statement serves the full rebuild and a single village.
_REGISTRY_SQL = """
WITH hh AS (
    SELECT id, village_id FROM {household} WHERE 1 = 1 {village_filter}
),
pts AS (
    SELECT e.household_id AS h, e.date AS d FROM {event} e JOIN hh ON hh.id = e.household_id
    UNION
    SELECT p.household_id, p.joined_on FROM {person} p JOIN hh ON hh.id = p.household_id
        WHERE p.joined_on IS NOT NULL
    UNION
    SELECT p.household_id, p.left_on FROM {person} p JOIN hh ON hh.id = p.household_id
        WHERE p.left_on IS NOT NULL
),
st AS (
    SELECT h, d,
        (SELECT e.kind FROM {event} e WHERE e.household_id = pts.h AND e.date <= pts.d
            ORDER BY e.date DESC LIMIT 1) AS kind,
        (SELECT COUNT(*) FROM {person} p WHERE p.household_id = pts.h
            AND (p.joined_on IS NULL OR p.joined_on <= pts.d)
            AND (p.left_on IS NULL OR p.left_on > pts.d)) AS members
    FROM pts
),
flags AS (
    SELECT h, d, members,
        CASE WHEN kind IN ({poor_kinds}) THEN 1 ELSE 0 END AS poor,
        CASE WHEN kind IS NOT NULL AND kind <> 'removed' THEN 1 ELSE 0 END AS reg
    FROM st
),
changes AS (
    SELECT h, d,
        reg - COALESCE(LAG(reg) OVER w, 0) AS hh_reg,
        reg * members - COALESCE(LAG(reg * members) OVER w, 0) AS p_reg,
        poor - COALESCE(LAG(poor) OVER w, 0) AS hh_poor,
        poor * members - COALESCE(LAG(poor * members) OVER w, 0) AS p_poor
    FROM flags
    WINDOW w AS (PARTITION BY h ORDER BY d)
)
SELECT hh.village_id, changes.d, SUM(hh_reg), SUM(p_reg), SUM(hh_poor), SUM(p_poor)
FROM changes JOIN hh ON hh.id = changes.h
GROUP BY hh.village_id, changes.d
"""

_REGISTRY_MEASURES = (
    "households_registered",
    "persons_registered",
    "households_poor",
    "persons_poor",
)


@source
def registry_deltas(villages):
    where, params = _village_filter("village_id", villages)
    sql = _REGISTRY_SQL.format(
        household=Household._meta.db_table,
        event=HouseholdEvent._meta.db_table,
        person=Person._meta.db_table,
        village_filter=where,
        poor_kinds=", ".join(f"'{kind}'" for kind in POOR_KINDS),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for village, date, *values in cursor.fetchall():
            if isinstance(date, str):  # SQLite hands back ISO text from raw SQL
                date = dt.date.fromisoformat(date)
            for name, value in zip(_REGISTRY_MEASURES, values, strict=True):
                if value:
                    yield village, name, date, int(value)


@source
def population_deltas(villages):
    """Rural population: each year's figure holds from 1 January of that year."""
    rows = RegionPopulation.objects.filter(region__level="village").order_by("region_id", "year")
    if villages is not None:
        rows = rows.filter(region_id__in=villages)
    previous: dict[str, int] = {}
    for code, year, rural in rows.values_list("region_id", "year", "rural"):
        change = rural - previous.get(code, 0)
        previous[code] = rural
        if change:
            yield code, "rural_population", dt.date(year, 1, 1), change


@source
def poor_village_deltas(villages):
    rows = VillageStatusEvent.objects.all()
    if villages is not None:
        rows = rows.filter(region_id__in=villages)
    names = {"identified": "poor_villages", "exited": "poor_villages_exited"}
    for code, kind, date in rows.values_list("region_id", "kind", "date"):
        yield code, names[kind], date, 1
