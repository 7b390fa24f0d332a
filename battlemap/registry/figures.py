"""The registry's and the regions' figures: measures computed set-based per village (the
rollup statement below), and the battle map's indicators over them."""

import datetime as dt

from django.db import connection, transaction
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from battlemap.core.codes import Level
from battlemap.core.figures import GREENS, indicator, measure, source
from battlemap.regions.models import RegionPopulation, VillageStatusEvent

from .models import Household, HouseholdEvent, Person
from .querysets import POOR_KINDS

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


# The state of a household (registered, poor) changes only on its events: each event
# changes it from that of the event before (LAG, in the order of the (household, date)
# index). Persons count with their household's state while they are members. Members
# without a joining or leaving date (nearly all) are there throughout: they move the
# person counts with every change of the household's state, so a household's events
# weigh n times, n its fixed members, counted in one pass over the persons grouped by
# household and joined to the events in the same (household) order, like the households.
# The few with a date (births, deaths, marriages...; m per household) add their own
# changes: each change of their household strictly between their joining and leaving
# (only households with m > 0 are looked at), its state at their joining (latest event on
# or before it, one index probe), and minus its state just before their leaving; a member
# who joins and leaves on the same day never counts. Summing per village and date gives
# the village's deltas. One statement serves the full rebuild and a single village. It
# replaces a window pass over every date of every household (events, joinings, leavings)
# that took 10-16 s at demo scale 100; the correlated subqueries per date before that took
# 5-11 s at demo scale 10.
_REGISTRY_SQL = """
WITH members AS (
    SELECT p.household_id AS h,
        SUM(CASE WHEN p.joined_on IS NULL AND p.left_on IS NULL THEN 1 ELSE 0 END) AS n,
        SUM(CASE WHEN p.joined_on IS NULL AND p.left_on IS NULL THEN 0 ELSE 1 END) AS m
    FROM {person} p {members_scope} GROUP BY p.household_id
),
ev AS (
    SELECT e.household_id AS h, hh.village_id AS v, e.date AS d,
        COALESCE(members.n, 0) AS n, COALESCE(members.m, 0) AS m,
        {registered} - LAG({registered}, 1, 0) OVER w AS dreg,
        {poor} - LAG({poor}, 1, 0) OVER w AS dpoor
    FROM {event} e JOIN {household} hh ON hh.id = e.household_id {village_filter}
        LEFT JOIN members ON members.h = e.household_id
    WINDOW w AS (PARTITION BY e.household_id ORDER BY e.date)
),
moving AS (
    SELECT p.household_id AS h, hh.village_id AS v, p.joined_on, p.left_on
    FROM {person} p JOIN {household} hh ON hh.id = p.household_id {village_filter}
    WHERE p.joined_on IS NOT NULL OR p.left_on IS NOT NULL
),
ends AS (
    SELECT v, joined_on AS d, 1 AS sign, (
        SELECT e.kind FROM {event} e WHERE e.household_id = moving.h AND e.date <= joined_on
        ORDER BY e.date DESC LIMIT 1
    ) AS kind
    FROM moving WHERE joined_on IS NOT NULL AND (left_on IS NULL OR left_on > joined_on)
    UNION ALL
    SELECT v, left_on, -1, (
        SELECT e.kind FROM {event} e WHERE e.household_id = moving.h AND e.date < left_on
        ORDER BY e.date DESC LIMIT 1
    )
    FROM moving WHERE left_on IS NOT NULL AND (joined_on IS NULL OR joined_on < left_on)
),
changes AS (
    SELECT v, d, dreg AS hh_reg, dreg * n AS p_reg, dpoor AS hh_poor, dpoor * n AS p_poor
    FROM ev WHERE dreg <> 0 OR dpoor <> 0
    UNION ALL
    SELECT ev.v, ev.d, 0, ev.dreg, 0, ev.dpoor
    FROM moving JOIN ev ON ev.h = moving.h
        AND (moving.joined_on IS NULL OR ev.d > moving.joined_on)
        AND (moving.left_on IS NULL OR ev.d < moving.left_on)
    WHERE ev.m > 0 AND (ev.dreg <> 0 OR ev.dpoor <> 0)
    UNION ALL
    SELECT v, d, 0,
        CASE WHEN kind IS NOT NULL AND kind <> 'removed' THEN sign ELSE 0 END,
        0,
        CASE WHEN kind IN ({poor_kinds}) THEN sign ELSE 0 END
    FROM ends
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
    where, params = _village_filter("hh.village_id", villages)
    # The filter joins the household table itself in each part, not a shared CTE: the
    # planner then knows the sizes, and picks hash joins for a county, index probes for
    # a village.
    poor_kinds = ", ".join(f"'{kind}'" for kind in POOR_KINDS)
    household = Household._meta.db_table
    # The members of all households need no household at all; of a few villages, theirs.
    members_scope = f"JOIN {household} hh ON hh.id = p.household_id {where}" if where else ""
    params *= _REGISTRY_SQL.count("{village_filter}") + (1 if where else 0)
    kind_is = "CASE WHEN e.kind {} THEN 1 ELSE 0 END".format
    sql = _REGISTRY_SQL.format(
        household=household,
        event=HouseholdEvent._meta.db_table,
        person=Person._meta.db_table,
        village_filter=where,
        members_scope=members_scope,
        poor_kinds=poor_kinds,
        poor=kind_is(f"IN ({poor_kinds})"),
        registered=kind_is("<> 'removed'"),
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner switches JIT on for a county: compiling takes 1-2 s, longer than
            # the statement. Off for this statement only.
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


# --- indicators ---------------------------------------------------------------------------


def households_with(status: str):
    """The household list of the region, filtered by status on the date."""

    def link(region, date) -> str:
        query = urlencode({"status": status, "date": date.isoformat()})
        return reverse("registry:households", args=[region.code]) + f"?{query}"

    return link


def villages_rated(name: str):
    """The map of the region coloured by the indicator (a village has no villages)."""

    def link(region, date) -> str | None:
        if region.level == Level.VILLAGE:
            return None
        query = urlencode({"date": date.isoformat(), "indicator": name})
        return reverse("board:map", args=[region.code]) + f"?{query}"

    return link


indicator(
    name="households_registered",
    label=_("建档立卡户"),
    unit=pgettext_lazy("unit", "户"),
    numerator="households_registered",
    higher_is_worse=False,
    records="registered",
    records_link=households_with("registered"),
    key=10,
    summary=True,
)
indicator(
    name="persons_registered",
    label=_("建档立卡人口"),
    unit=pgettext_lazy("unit", "人"),
    numerator="persons_registered",
    higher_is_worse=False,
    records="registered",
    records_link=households_with("registered"),
    key=20,
    summary=True,
)
indicator(
    name="households_poor",
    label=_("未脱贫户"),
    unit=pgettext_lazy("unit", "户"),
    numerator="households_poor",
    records="poor",
    records_link=households_with("poor"),
    key=30,
    summary=True,
)
indicator(
    name="persons_poor",
    label=_("未脱贫人口"),
    unit=pgettext_lazy("unit", "人"),
    numerator="persons_poor",
    records="poor",
    records_link=households_with("poor"),
    key=40,
    summary=True,
)
indicator(
    name="poverty_incidence",
    label=_("贫困发生率"),
    unit="%",
    numerator="persons_poor",
    denominator="rural_population",
    factor=100,
    decimals=2,
    records="poor",
    records_link=households_with("poor"),
    key=50,
    default=True,
    summary=True,
)
indicator(
    name="rural_population",
    label=_("农村户籍人口"),
    unit=pgettext_lazy("unit", "人"),
    numerator="rural_population",
    higher_is_worse=False,
    colors=GREENS,
    summary=True,
)
indicator(
    name="poor_villages",
    label=_("贫困村"),
    unit=pgettext_lazy("unit", "个"),
    numerator="poor_villages",
    records="poor_villages",
    records_link=villages_rated("poor_villages"),
    summary=True,
)
indicator(
    name="poor_villages_exited",
    label=_("已出列贫困村"),
    unit=pgettext_lazy("unit", "个"),
    numerator="poor_villages_exited",
    higher_is_worse=False,
    colors=GREENS,
    records="poor_villages",
    records_link=villages_rated("poor_villages_exited"),
    summary=True,
)
indicator(
    name="village_exit_rate",
    label=_("贫困村出列率"),
    unit="%",
    numerator="poor_villages_exited",
    denominator="poor_villages",
    factor=100,
    decimals=1,
    higher_is_worse=False,
    colors=GREENS,
    records="poor_villages",
    records_link=villages_rated("village_exit_rate"),
    key=60,
)
