"""Region writes: the tree, population figures and poor-village status, all audited."""

# Over 400 lines: the region tree, population and poor villages with the regions workbook
# and boundary imports that write them.

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from battlemap.audit.services import audit_record
from battlemap.core.changes import regions_changed
from battlemap.core.codes import PREFIX_LENGTH, level_of, prefix_of
from battlemap.core.errors import ValidationFailed
from battlemap.core.scoping import require_action, system_only
from battlemap.core.tabular import (
    ImportFailed,
    RowError,
    cell_text,
    check_range,
    parse_date,
    parse_int,
    read_sheet,
)
from battlemap.core.text import clean

from .actions import EDIT_REGIONS
from .models import Region, RegionPopulation, VillageStatusEvent

SHEET_REGIONS, SHEET_POPULATION, SHEET_POOR = "区划", "人口", "贫困村"
COL_CODE, COL_NAME, COL_PARENT = "代码", "名称", "上级代码"
COL_YEAR, COL_REGISTERED, COL_RURAL = "年份", "户籍人口", "农村户籍人口"
COL_IDENTIFIED, COL_EXITED = "认定日期", "出列日期"


@dataclass
class RegionChanges:
    """What an import or a set of writes changed; all zero means nothing changed."""

    regions_created: int = 0
    regions_updated: int = 0
    populations_written: int = 0
    village_events_written: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (
            self.regions_created
            + self.regions_updated
            + self.populations_written
            + self.village_events_written
        )


def parse_code(raw) -> str:
    """A 12-digit statistical code; raise ValidationFailed otherwise."""
    value = clean(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        value = str(int(raw))
    if len(value) != 12 or not value.isdigit():
        raise ValidationFailed(_("区划代码应为12位数字。"), value=raw)
    return value


def check_parent(code: str, parent_code: str) -> None:
    """The parent must be a shallower region whose prefix the child's code starts with."""
    child_depth = PREFIX_LENGTH[level_of(code)]
    parent_prefix = prefix_of(parent_code)
    if len(parent_prefix) >= child_depth or not code.startswith(parent_prefix):
        raise ValidationFailed(
            _("代码%(c)s不属于上级%(p)s：下级代码须以上级代码的前缀开头。")
            % {"c": code, "p": parent_code},
            value=parent_code,
        )


@transaction.atomic
def region_upsert(*, actor, code: str, name: str, parent_code: str = "") -> tuple[Region, str]:
    """Create or rename/re-parent a region; returns it and 'created', 'updated' or ''."""
    code = parse_code(code)
    require_action(actor, EDIT_REGIONS, code)
    name = clean(name)
    if not name:
        raise ValidationFailed(_("名称不能为空。"), value=name)
    parent = None
    if parent_code:
        parent_code = parse_code(parent_code)
        check_parent(code, parent_code)
        parent = Region.objects.filter(code=parent_code).first()
        if parent is None:
            raise ValidationFailed(
                _("上级代码%(p)s不存在。") % {"p": parent_code}, value=parent_code
            )
    existing = Region.objects.filter(code=code).first()
    after = {"name": name, "parent": parent.code if parent else None, "level": level_of(code)}
    if existing is None:
        region = Region.objects.create(code=code, name=name, parent=parent, level=level_of(code))
        audit_record(actor=actor, action="region.create", obj=region, region_code=code, after=after)
        return region, "created"
    before = {"name": existing.name, "parent": existing.parent_id, "level": existing.level}
    if before == after:
        return existing, ""
    existing.name, existing.parent = name, parent
    existing.save(update_fields=["name", "parent"])
    audit_record(
        actor=actor,
        action="region.update",
        obj=existing,
        region_code=code,
        before=before,
        after=after,
    )
    return existing, "updated"


@transaction.atomic
def population_set(*, actor, region: Region, year: int, registered: int, rural: int) -> bool:
    """Record a region's population for a year; returns whether anything changed."""
    require_action(actor, EDIT_REGIONS, region)
    if rural > registered:
        raise ValidationFailed(_("农村户籍人口不能大于户籍人口。"), value=rural)
    for name, number in (("registered", registered), ("rural", rural)):
        check_range(number, RegionPopulation._meta.get_field(name))
    if not 1949 <= year <= timezone.localdate().year:
        raise ValidationFailed(_("年份%(y)s不合理。") % {"y": year}, value=year)
    row = RegionPopulation.objects.filter(region=region, year=year).first()
    before = {"registered": row.registered, "rural": row.rural} if row else None
    after = {"registered": registered, "rural": rural}
    if before == after:
        return False
    RegionPopulation.objects.update_or_create(region=region, year=year, defaults=after)
    regions_changed([region.code] if region.level == "village" else [])
    audit_record(
        actor=actor,
        action="population.set",
        obj=("regions.regionpopulation", f"{region.code}/{year}"),
        region_code=region.code,
        before=before,
        after=after,
    )
    return True


@transaction.atomic
def poor_village_set(
    *, actor, village: Region, identified_on: dt.date, exited_on: dt.date | None = None
) -> bool:
    """Record when a village was identified as poor and when it exited; returns if changed."""
    require_action(actor, EDIT_REGIONS, village)
    if village.level != "village":
        raise ValidationFailed(_("“%(c)s”不是村级区划。") % {"c": village.code}, value=village.code)
    if exited_on and exited_on < identified_on:
        raise ValidationFailed(_("出列日期早于认定日期。"), value=exited_on)
    current = dict(village.poverty_events.values_list("kind", "date"))
    wanted = {"identified": identified_on, **({"exited": exited_on} if exited_on else {})}
    if current == wanted:
        return False
    village.poverty_events.exclude(kind__in=list(wanted)).delete()
    for kind, date in wanted.items():
        VillageStatusEvent.objects.update_or_create(
            region=village, kind=kind, defaults={"date": date}
        )
    regions_changed([village.code])
    audit_record(
        actor=actor,
        action="village.poverty_status",
        obj=village,
        region_code=village.code,
        before={k: v.isoformat() for k, v in current.items()} or None,
        after={k: v.isoformat() for k, v in wanted.items()},
    )
    return True


# The population columns and the fields they are stored in (their range bounds a cell).
POPULATION_FIELDS = {
    COL_REGISTERED: RegionPopulation._meta.get_field("registered"),
    COL_RURAL: RegionPopulation._meta.get_field("rural"),
}


def regions_import_workbook(*, actor, workbook) -> RegionChanges:
    """Load 区划, 人口 and 贫困村 sheets; all-or-nothing, and a re-import changes nothing."""
    errors: list[RowError] = []
    sheets = {ws.title: ws for ws in workbook.worksheets}
    if SHEET_REGIONS not in sheets:
        raise ImportFailed([RowError(SHEET_REGIONS, 1, "", "", _("缺少工作表“区划”。"))])

    def fail(row, column, reason):
        errors.append(RowError(row.sheet, row.number, column, cell_text(row.get(column)), reason))

    rows, header_errors = read_sheet(sheets[SHEET_REGIONS], [COL_CODE, COL_NAME, COL_PARENT])
    errors += header_errors
    known = set(Region.objects.values_list("code", flat=True))
    seen: dict[str, int] = {}
    regions: list[tuple[str, str, str, object]] = []
    for row in rows:
        try:
            code = parse_code(row.get(COL_CODE))
        except ValidationFailed as exc:
            fail(row, COL_CODE, exc.message)
            continue
        if code in seen:
            fail(row, COL_CODE, _("代码重复，已在第%(r)d行出现。") % {"r": seen[code]})
            continue
        seen[code] = row.number
        name = clean(row.get(COL_NAME))
        if not name:
            fail(row, COL_NAME, _("名称不能为空。"))
        parent = ""
        if clean(row.get(COL_PARENT)):
            try:
                parent = parse_code(row.get(COL_PARENT))
                check_parent(code, parent)
            except ValidationFailed as exc:
                fail(row, COL_PARENT, exc.message)
                continue
        regions.append((code, name, parent, row))
    for _code, _name, parent, row in regions:
        if parent and parent not in seen and parent not in known:
            fail(row, COL_PARENT, _("上级代码%(p)s既不在本表中也不在系统中。") % {"p": parent})
    all_codes = known | set(seen)
    levels = {code: level_of(code) for code in all_codes}

    populations = []
    if SHEET_POPULATION in sheets:
        prows, perrs = read_sheet(
            sheets[SHEET_POPULATION], [COL_CODE, COL_YEAR, COL_REGISTERED, COL_RURAL]
        )
        errors += perrs
        pseen: dict[tuple[str, int], int] = {}
        for row in prows:
            try:
                code = parse_code(row.get(COL_CODE))
            except ValidationFailed as exc:
                fail(row, COL_CODE, exc.message)
                continue
            if code not in all_codes:
                fail(row, COL_CODE, _("区划代码不在“区划”表中也不在系统中。"))
                continue
            values = {}
            for column in (COL_YEAR, COL_REGISTERED, COL_RURAL):
                try:
                    number = parse_int(row.get(column))
                    if column in POPULATION_FIELDS:
                        check_range(number, POPULATION_FIELDS[column])
                    values[column] = number
                except ValidationFailed as exc:
                    fail(row, column, exc.message)
                    continue
                if values[column] is None:
                    fail(row, column, _("必填，不能为空。"))
            if len([v for v in values.values() if v is not None]) < 3:
                continue
            year = values[COL_YEAR]
            if not 1949 <= year <= timezone.localdate().year:
                fail(row, COL_YEAR, _("年份不合理。"))
                continue
            if values[COL_RURAL] > values[COL_REGISTERED]:
                fail(row, COL_RURAL, _("农村户籍人口不能大于户籍人口。"))
                continue
            if (code, year) in pseen:
                fail(
                    row, COL_YEAR, _("该区划该年份已在第%(r)d行出现。") % {"r": pseen[(code, year)]}
                )
                continue
            pseen[(code, year)] = row.number
            populations.append((code, year, values[COL_REGISTERED], values[COL_RURAL]))

    poor = []
    if SHEET_POOR in sheets:
        vrows, verrs = read_sheet(sheets[SHEET_POOR], [COL_CODE, COL_IDENTIFIED, COL_EXITED])
        errors += verrs
        vseen: set[str] = set()
        for row in vrows:
            try:
                code = parse_code(row.get(COL_CODE))
            except ValidationFailed as exc:
                fail(row, COL_CODE, exc.message)
                continue
            if levels.get(code) != "village":
                fail(row, COL_CODE, _("不是已知的村级区划代码。"))
                continue
            if code in vseen:
                fail(row, COL_CODE, _("该村重复出现。"))
                continue
            vseen.add(code)
            dates = {}
            for column in (COL_IDENTIFIED, COL_EXITED):
                try:
                    dates[column] = parse_date(row.get(column))
                except ValidationFailed as exc:
                    fail(row, column, exc.message)
            if len(dates) < 2:
                continue
            if dates[COL_IDENTIFIED] is None:
                fail(row, COL_IDENTIFIED, _("必填，不能为空。"))
                continue
            if dates[COL_EXITED] and dates[COL_EXITED] < dates[COL_IDENTIFIED]:
                fail(row, COL_EXITED, _("出列日期早于认定日期。"))
                continue
            poor.append((code, dates[COL_IDENTIFIED], dates[COL_EXITED]))

    if errors:
        raise ImportFailed(errors)

    changes = RegionChanges()
    with transaction.atomic():
        # Parents before children: shorter prefixes first.
        for code, name, parent, _row in sorted(regions, key=lambda r: (len(prefix_of(r[0])), r[0])):
            _region, what = region_upsert(actor=actor, code=code, name=name, parent_code=parent)
            changes.regions_created += what == "created"
            changes.regions_updated += what == "updated"
        by_code = Region.objects.in_bulk([p[0] for p in populations] + [p[0] for p in poor])
        for code, year, registered, rural in populations:
            changes.populations_written += population_set(
                actor=actor, region=by_code[code], year=year, registered=registered, rural=rural
            )
        for code, identified_on, exited_on in poor:
            changes.village_events_written += poor_village_set(
                actor=actor, village=by_code[code], identified_on=identified_on, exited_on=exited_on
            )
    return changes


BOUNDARY_CODE_KEYS = ("code", "区划代码", "adcode", "gb")


def regions_import_boundaries(*, actor, data) -> int:
    """Store real boundaries from a GeoJSON FeatureCollection, matched by code; all or nothing.

    Each feature names its region in a property `code` (or 区划代码, adcode, gb; 6, 9 or
    12 digits). Returns how many regions changed; a second import of the same file changes
    nothing.
    """
    from shapely.geometry import shape
    from shapely.validation import explain_validity

    system_only(actor)  # a command's work: boundaries change the map of every user

    from battlemap.core.codes import normalize_code

    errors: list[RowError] = []

    def bad(number: int, column: str, value, reason) -> None:
        errors.append(RowError("GeoJSON", number, column, str(value), reason, unit="feature"))

    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        bad(
            0,
            "type",
            data.get("type") if isinstance(data, dict) else "",
            _("文件须为GeoJSON FeatureCollection。"),
        )
        raise ImportFailed(errors)
    wanted: dict[str, dict] = {}
    known = set(Region.objects.values_list("code", flat=True))
    for number, feature in enumerate(data.get("features") or [], start=1):
        feature = feature if isinstance(feature, dict) else {}
        properties = feature.get("properties") or {}
        raw = str(next((properties[k] for k in BOUNDARY_CODE_KEYS if properties.get(k)), ""))
        code = normalize_code(raw[3:] if raw.startswith("156") and len(raw) == 9 else raw)
        if not code:
            bad(number, "code", raw, _("缺少有效的区划代码属性（code）。"))
        elif code not in known:
            bad(number, "code", code, _("系统中没有这个区划，请先导入区划。"))
        elif code in wanted:
            bad(number, "code", code, _("同一区划出现了两次。"))
        else:
            try:
                geom = shape(feature.get("geometry"))
            except (AttributeError, KeyError, TypeError, ValueError, IndexError):
                bad(number, "geometry", code, _("几何图形无法读取。"))
                continue
            if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
                bad(number, "geometry", geom.geom_type, _("须为面（Polygon或MultiPolygon）。"))
            elif not geom.is_valid:
                bad(
                    number,
                    "geometry",
                    code,
                    _("几何图形无效：%(why)s。") % {"why": explain_validity(geom)},
                )
            else:
                wanted[code] = feature["geometry"]
    if errors:
        raise ImportFailed(errors)
    changed = 0
    with transaction.atomic():
        for region in Region.objects.filter(code__in=wanted).select_for_update():
            if region.geometry == wanted[region.code]:
                continue
            had = region.geometry is not None
            region.geometry = wanted[region.code]
            region.save(update_fields=["geometry"])
            audit_record(
                actor=actor,
                action="region.boundary",
                obj=region,
                region_code=region.code,
                before={"geometry": had},
                after={"geometry": True},
            )
            changed += 1
    return changed
