"""Keep the rollups (`Figure` rows) in step with the records.

`rollups_rebuild()` recomputes every series from the records. `refresh_villages(codes)` runs
inside a write's transaction: it recomputes the changed villages' series with the same
sources, and applies the difference to each region above them, so the cost of a write
does not grow with the size of the county. Both paths must agree exactly; tests check it.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from battlemap.audit.services import audit_record
from battlemap.core.bulk import bulk_insert
from battlemap.core.codes import PREFIX_LENGTH, level_of
from battlemap.core.codes import prefix_of as region_prefix
from battlemap.core.figures import village_deltas
from battlemap.core.scoping import system_only
from battlemap.regions.models import Region

from .models import Figure

Series = dict[dt.date, int]  # date -> change on that date


def _collect(deltas: Iterable[tuple[str, str, dt.date, int]]) -> dict[tuple[str, str], Series]:
    out: dict[tuple[str, str], Series] = defaultdict(lambda: defaultdict(int))
    for village, name, date, change in deltas:
        out[(village, name)][date] += change
    return out


def _cumulate(changes: Series) -> list[tuple[dt.date, int]]:
    """Running values at each date where the value changes."""
    rows, value = [], 0
    for date in sorted(changes):
        if changes[date]:
            value += changes[date]
            rows.append((date, value))
    return rows


def _ancestors(code: str, known: set[str]) -> list[str]:
    """Codes of the existing regions above a village (township, county, ...)."""
    depth = PREFIX_LENGTH[level_of(code)]
    out = []
    for length in sorted(set(PREFIX_LENGTH.values())):
        if length < depth:
            candidate = code[:length].ljust(12, "0")
            if candidate in known:
                out.append(candidate)
    return out


@transaction.atomic
def rollups_rebuild(*, actor) -> int:
    """Recompute every rollup from the records; returns the number of rows written."""
    system_only(actor)
    Figure.objects.all().delete()
    known = set(Region.objects.values_list("code", flat=True))
    per_region: dict[tuple[str, str], Series] = defaultdict(lambda: defaultdict(int))
    for (village, name), changes in _collect(village_deltas(None)).items():
        for region in (village, *_ancestors(village, known)):
            series = per_region[(region, name)]
            for date, change in changes.items():
                series[date] += change
    rows = (
        (region, name, date, value)
        for (region, name), changes in per_region.items()
        for date, value in _cumulate(changes)
    )
    count = bulk_insert(Figure, FIELDS, rows)
    audit_record(
        actor=actor, action="rollups.rebuild", obj=("board.figure", ""), after={"rows": count}
    )
    return count


def _stored_changes(region: str) -> dict[str, Series]:
    """The changes a region's stored series make, per measure."""
    out: dict[str, Series] = defaultdict(dict)
    previous: dict[str, int] = defaultdict(int)
    for name, date, value in (
        Figure.objects.filter(region_code=region)
        .order_by("measure", "date")
        .values_list("measure", "date", "value")
    ):
        out[name][date] = value - previous[name]
        previous[name] = value
    return out


def refresh_regions(codes: set[str]) -> None:
    """The listener of `regions_changed`: a record of a township or a county refreshes the
    villages under it (the sources are per village), a village's refreshes that village."""
    villages = {code for code in codes if level_of(code) == "village"}
    above = sorted(code for code in codes if code not in villages)
    for code in above:
        prefix = region_prefix(code)
        villages |= set(
            Region.objects.filter(code__startswith=prefix, level="village").values_list(
                "code", flat=True
            )
        )
    if villages:
        refresh_villages(villages)


def refresh_villages(codes: set[str]) -> None:
    """Bring the rollups of these villages, and of every region above them, up to date."""
    candidates = _all_ancestor_candidates(codes)
    known = set(Region.objects.filter(code__in=candidates).values_list("code", flat=True))
    villages = set(Region.objects.filter(level="village").values_list("code", flat=True))
    # Every village (a county's first load): the sources' statements without a filter
    # read the tables in index order, a quarter faster than through a list of villages.
    fresh = _collect(village_deltas(None if codes >= villages else sorted(codes)))
    above: dict[str, dict[str, Series]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    # The stored changes of the villages read or written here, so that recomputing a
    # region above them does not read them again.
    stored: dict[str, dict[str, Series]] = {}
    with transaction.atomic():
        for village in sorted(codes):
            stored[village] = _stored_changes(village)
            diff = _village_diff(village, fresh, stored[village])
            if not diff:
                continue
            Figure.objects.filter(region_code=village, measure__in=list(diff)).delete()
            bulk_insert(
                Figure,
                FIELDS,
                [
                    (village, name, date, value)
                    for name in diff
                    for date, value in _cumulate(fresh.get((village, name), {}))
                ],
            )
            for name in diff:  # what the rows just written say, as _stored_changes reads it
                new = fresh.get((village, name), {})
                stored[village][name] = {d: new[d] for d in sorted(new) if new[d]}
            for region in _ancestors(village, known):
                for name, changes in diff.items():
                    for date, change in changes.items():
                        above[region][name][date] += change
        for region, diff in above.items():
            if sum(len(changes) for changes in diff.values()) > APPLY_LIMIT:
                _recompute(region, list(diff), stored)
            else:
                for name, changes in diff.items():
                    _apply(region, name, {d: c for d, c in changes.items() if c})


# Past this many changed dates, summing the villages' stored series again is cheaper
# than lifting the region's rows date by date (bulk imports, the demo).
APPLY_LIMIT = 200
FIELDS = ("region_code", "measure", "date", "value")


def _village_diff(village: str, fresh, old: dict[str, Series]) -> dict[str, Series]:
    """Per measure, how the village's changes differ from what its stored series says."""
    names = set(old) | {name for (code, name) in fresh if code == village}
    diff: dict[str, Series] = {}
    for name in names:
        new, before = fresh.get((village, name), {}), old.get(name, {})
        changed = {d: new.get(d, 0) - before.get(d, 0) for d in set(new) | set(before)}
        changed = {d: c for d, c in changed.items() if c}
        if changed:
            diff[name] = changed
    return diff


def _recompute(region: str, names: list[str], stored: dict[str, dict[str, Series]]) -> None:
    """Rewrite a region's series as the sum of its villages' stored series (those in `stored`
    as given there, the others as read)."""
    villages = Region.objects.filter(
        code__startswith=region_prefix(region), level="village"
    ).values_list("code", flat=True)
    totals: dict[str, Series] = defaultdict(lambda: defaultdict(int))
    for village in villages:
        series = stored[village] if village in stored else _stored_changes(village)
        for name, changes in series.items():
            if name in names:
                for date, change in changes.items():
                    totals[name][date] += change
    Figure.objects.filter(region_code=region, measure__in=names).delete()
    bulk_insert(
        Figure,
        FIELDS,
        [(region, name, date, value) for name in names for date, value in _cumulate(totals[name])],
    )


def _all_ancestor_candidates(codes: Iterable[str]) -> set[str]:
    return {code[:n].ljust(12, "0") for code in codes for n in PREFIX_LENGTH.values()}


def _apply(region: str, name: str, changes: Series) -> None:
    """Add step changes to a stored series: a change on D lifts every value from D on."""
    rows = Figure.objects.filter(region_code=region, measure=name)
    for date in sorted(changes):
        if not rows.filter(date=date).exists():
            before = rows.filter(date__lt=date).order_by("-date").values_list("value", flat=True)
            Figure.objects.create(
                region_code=region, measure=name, date=date, value=next(iter(before), 0)
            )
        rows.filter(date__gte=date).update(value=F("value") + changes[date])
