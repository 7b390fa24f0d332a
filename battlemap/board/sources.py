"""The registry's and the regions' measures, computed set-based per village."""

import datetime as dt

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from battlemap.regions.models import RegionPopulation, VillageStatusEvent
from battlemap.registry.models import Household, HouseholdEvent, Person
from battlemap.registry.querysets import POOR_KINDS

from .measures import measure, source

measure("households_registered", _("建档立卡户数"), pgettext_lazy("unit", "户"))
measure("persons_registered", _("建档立卡人数"), pgettext_lazy("unit", "人"))
measure("households_poor", _("未脱贫户数"), pgettext_lazy("unit", "户"))
measure("persons_poor", _("未脱贫人数"), pgettext_lazy("unit", "人"))
measure("rural_population", _("农村户籍人口"), pgettext_lazy("unit", "人"))
measure("poor_villages", _("贫困村数"), pgettext_lazy("unit", "个"))
measure("poor_villages_exited", _("已出列贫困村数"), pgettext_lazy("unit", "个"))


def _village_filter(column: str, villages: list[str] | None) -> tuple[str, list]:
    if villages is None:
        return "", []
    return f" AND {column} IN ({', '.join(['%s'] * len(villages))})", list(villages)


# A household's poor/registered flag and its member count change only on the dates of
# its events and of its members' joining and leaving. One pass of window functions over
# these dates (points) per household gives the state at each point and just before it:
# the member count is the members without a joining date plus the running sum of
# joinings (+1) and leavings (-1); the kind is that of the latest event so far (the
# running maximum of "date + kind", whose date part sorts). Subtracting the state before
# from the state at a point gives the changes; summing per village and date gives the
# village's deltas. One statement serves the full rebuild and a single village. It is
# sort-based on purpose: the correlated subqueries per point it replaces ran once per
# reference to the state (a dozen per point) and took 5-11 s at demo scale 10.
_REGISTRY_SQL = """
WITH hh AS (
    SELECT id, village_id FROM {household} WHERE 1 = 1 {village_filter}
),
marks AS (
    SELECT e.household_id AS h, hh.village_id AS v, e.date AS d, e.kind AS kind, 0 AS dm
        FROM {event} e JOIN hh ON hh.id = e.household_id
    UNION ALL
    SELECT p.household_id, hh.village_id, p.joined_on, NULL, 1
        FROM {person} p JOIN hh ON hh.id = p.household_id WHERE p.joined_on IS NOT NULL
    UNION ALL
    SELECT p.household_id, hh.village_id, p.left_on, NULL, -1
        FROM {person} p JOIN hh ON hh.id = p.household_id WHERE p.left_on IS NOT NULL
),
pts AS (
    SELECT h, MAX(v) AS v, d, MAX(kind) AS kind, SUM(dm) AS dm FROM marks GROUP BY h, d
),
base AS (
    SELECT p.household_id AS h, COUNT(*) AS n FROM {person} p JOIN hh ON hh.id = p.household_id
        WHERE p.joined_on IS NULL GROUP BY p.household_id
),
st AS (
    SELECT pts.v, pts.d,
        COALESCE(base.n, 0) + SUM(pts.dm) OVER w AS members,
        COALESCE(base.n, 0) + SUM(pts.dm) OVER w - pts.dm AS members_before,
        SUBSTR(MAX(CASE WHEN pts.kind IS NOT NULL THEN {day} || pts.kind END) OVER w, 11)
            AS kind,
        SUBSTR(MAX(CASE WHEN pts.kind IS NOT NULL THEN {day} || pts.kind END)
            OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 11) AS kind_before
    FROM pts LEFT JOIN base ON base.h = pts.h
    WINDOW w AS (PARTITION BY pts.h ORDER BY pts.d)
),
flags AS (
    SELECT v, d, members, members_before,
        CASE WHEN kind IN ({poor_kinds}) THEN 1 ELSE 0 END AS poor,
        CASE WHEN kind IS NOT NULL AND kind <> 'removed' THEN 1 ELSE 0 END AS reg,
        CASE WHEN kind_before IN ({poor_kinds}) THEN 1 ELSE 0 END AS poor_before,
        CASE WHEN kind_before IS NOT NULL AND kind_before <> 'removed' THEN 1 ELSE 0 END
            AS reg_before
    FROM st
),
changes AS (
    SELECT v, d,
        reg - reg_before AS hh_reg,
        reg * members - reg_before * members_before AS p_reg,
        poor - poor_before AS hh_poor,
        poor * members - poor_before * members_before AS p_poor
    FROM flags
)
SELECT v, d, SUM(hh_reg), SUM(p_reg), SUM(hh_poor), SUM(p_poor) FROM changes GROUP BY v, d
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
        # The date as YYYY-MM-DD text (10 characters), whatever the server's DateStyle.
        day="to_char(pts.d, 'YYYY-MM-DD')" if connection.vendor == "postgresql" else "pts.d",
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner cannot size the windows and switches JIT on: compiling takes 1-2 s,
            # longer than the statement. Off for this statement only.
            cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
            jit = cursor.fetchone()[0]
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('jit', %s, true)", [jit])
        for village, date, *values in rows:
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
