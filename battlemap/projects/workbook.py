"""The project library workbook (扶贫项目库): template, all-or-nothing import, export.

Sheet `项目库`, one row per project. A project is known by its number (项目编号), unique
in its county and year: the export writes it, and a county can bring the numbers of the
provincial project-library system. A row without a number is known by its year, place and
name while that is unambiguous (a file filled in from the template). A row that matches a
project in the library with the same content is left alone (exporting and importing, or
importing the same file twice, changes nothing); one that differs is refused and named —
a project in the library changes on its own page, where every stage has its rules. New
projects go in through `projects.services.project_create` (which numbers those without a
number), each audited, all in one transaction. The export is the template's workbook
(drop-down lists, code sheet, notes) with the library's rows.
"""

# Over 400 lines: the project library workbook's template, all-or-nothing import and export,
# which share its column list.

import io
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from battlemap.core.cells import Cells, Errors, Refused, kinds
from battlemap.core.codes import Level
from battlemap.core.errors import DomainError
from battlemap.core.scoping import user_can
from battlemap.core.tabular import ImportFailed, RowError, cell_text
from battlemap.core.text import clean
from battlemap.core.workbook import (
    Column,
    code_list_sheet,
    drop_downs,
    missing_sheet,
    notes_sheet,
    open_xlsx,
    put_row,
    read_rows,
    required_headers,
    write_header,
)
from battlemap.projects.actions import EDIT_PROJECTS, VIEW_PROJECTS
from battlemap.projects.models import ConstructionType, Programme, Project
from battlemap.projects.rules import clean_number
from battlemap.projects.services import project_create
from battlemap.regions.models import Region
from battlemap.regions.selectors import get_region_for
from battlemap.registry.models import Household

SHEET = "项目库"
NOTES = "填写说明"
P = "project"
C = Column
COLUMNS: list[Column] = [
    C(
        "项目编号",
        "number",
        P,
        "text",
        width=18,
        help=gettext_lazy(
            "省项目库系统的项目编号，本县同一年度内唯一；不填的新项目由系统编号（如341824-2019-0001）。"
        ),
    ),
    C("年度", "year", P, "year", True, width=7, future=True),
    C("项目名称", "name", P, "text", True, width=28),
    C(
        "实施地点代码",
        "region",
        P,
        "region",
        True,
        width=15,
        help=gettext_lazy("项目所在村或乡镇的12位区划代码。"),
    ),
    C("所属工程", "programme", P, "code", True, "programme", 18),
    C("建设性质", "construction_type", P, "code", True, "construction_type", 10),
    C("计划开工", "planned_start", P, "date", True, width=12, future=True),
    C("计划完工", "planned_end", P, "date", True, width=12, future=True),
    C(
        "概算投资（元）",
        "budget",
        P,
        "decimal",
        True,
        width=14,
        field=Project._meta.get_field("budget"),
    ),
    C("建设内容及规模", "content", P, "text", width=30),
    C(
        "绩效目标",
        "performance_target",
        P,
        "text",
        width=30,
        help=gettext_lazy("入库前必须填写：没有绩效目标的项目不能入库。"),
    ),
    C("带贫机制", "benefit_mechanism", P, "text", width=24),
    C(
        "受益贫困户",
        "beneficiaries",
        P,
        "text",
        width=24,
        help=gettext_lazy("受益贫困户的户编号，用“、”分隔；须在项目所在地。"),
    ),
    C("责任单位", "responsible_unit", P, "text", True, width=16),
    C("责任领导", "responsible_leader", P, "text", True, width=10),
    C("责任人", "responsible_person", P, "text", True, width=10),
    C(
        "阶段",
        "stage",
        P,
        "text",
        width=10,
        help=gettext_lazy("导出时写出项目当前阶段；导入时不读取（阶段在项目页面推进）。"),
    ),
]
BY_HEADER = {c.header: c for c in COLUMNS}
COMPARED = (
    "name",
    "region",
    "programme",
    "construction_type",
    "planned_start",
    "planned_end",
    "budget",
    "content",
    "performance_target",
    "benefit_mechanism",
    "responsible_unit",
    "responsible_leader",
    "responsible_person",
)


def _tables() -> dict[str, dict[str, str]]:
    # The workbook speaks Chinese whatever the page's language: its values are data.
    with translation.override("zh-hans"):
        return {
            "programme": {str(label): value for value, label in Programme.choices},
            "construction_type": {str(label): value for value, label in ConstructionType.choices},
        }


def new_workbook(rows: int = 1000):
    """The template's workbook: the project sheet with its header and drop-down lists over
    `rows` rows, the code tables, and the sheet explaining each column."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    write_header(ws, [c.header for c in COLUMNS], BY_HEADER)
    tables = {name: list(entries) for name, entries in _tables().items()}
    titles = {c.table: c.header for c in COLUMNS if c.table}
    drop_downs(ws, COLUMNS, code_list_sheet(wb, tables, titles), rows)
    notes_sheet(
        wb.create_sheet(NOTES),
        COLUMNS,
        tables,
        [
            [],
            _("每行一个项目；项目编号在本县同一年度内不能重复。"),
            _(
                "新项目可不填项目编号：系统按“县代码-年度-序号”编号；不填编号时同一年度、同一地点的项目名称不能重复。"
            ),
            _("导入时先检查全部数据：有任何错误则不作任何改动，并给出标明错误的工作簿。"),
            _(
                "库中已有的项目（项目编号相同，未填编号时年度、地点、名称相同）内容一致的不作改动；内容不同的请在项目页面修改。"
            ),
        ],
    )
    return wb, ws


def template_bytes(rows: int = 1000) -> bytes:
    wb, _ws = new_workbook(rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class Outcome:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created)

    def summary(self) -> list[list]:
        return [
            [_("读取行数"), self.rows],
            [_("新入项目库"), self.created],
            [_("库中已有且一致"), self.unchanged],
        ]


class ProjectsImportFailed(ImportFailed):
    def __init__(self, errors: list[RowError], outcome: Outcome):
        self.outcome = outcome
        super().__init__(errors)


def _values(project: Project) -> dict:
    return {key: getattr(project, "region_id" if key == "region" else key) for key in COMPARED}


def _library(todo) -> tuple[dict, dict]:  # scoped: looks the file up in the library; clashes are phrased by conflict rules
    """The library's projects the file's rows may stand for: by (county, year, number),
    and by (year, place, name) for the rows without a number. Two queries."""
    by_number, by_name = {}, {}
    numbers = {(place.code[:6], v["year"], v["number"]) for _r, v, place, _h in todo if v["number"]}
    if numbers:
        for p in Project.objects.filter(
            year__in={y for _c, y, _n in numbers}, number__in={n for _c, _y, n in numbers}
        ):
            by_number[(p.region_id[:6], p.year, p.number)] = p
    names = {(v["year"], v["region"], v["name"]) for _r, v, _p, _h in todo if not v["number"]}
    if names:
        for p in Project.objects.filter(
            year__in={y for y, _r, _n in names},
            region_id__in={r for _y, r, _n in names},
            name__in={n for _y, _r, n in names},
        ).order_by("pk"):
            by_name.setdefault((p.year, p.region_id, p.name), []).append(p)
    return by_number, by_name


def projects_import(*, actor, content: bytes, filename: str, progress=None) -> Outcome:  # scoped: checks the file's places and beneficiaries; each place is checked with user_can
    """Import the project library workbook all or nothing."""
    wb = open_xlsx(content, filename)
    try:
        if SHEET not in wb.sheetnames:
            raise missing_sheet(SHEET)
        rows, errors, warnings = read_rows(
            SHEET, wb[SHEET].iter_rows(values_only=True), required_headers(COLUMNS), BY_HEADER
        )
    finally:
        wb.close()
    outcome = Outcome(rows=len(rows), warnings=warnings)
    if errors:
        raise ProjectsImportFailed(errors, outcome)
    errors = Errors()
    cells = Cells(_tables(), timezone.localdate())
    parsed = []
    for row in rows:
        values = {}
        for column in COLUMNS:
            if column.key == "stage":
                continue  # written by the export, never read
            raw = row.cells.get(column.header)
            try:
                values[column.key] = cells.parse(column, raw)
                if column.key == "number":
                    values["number"] = clean_number(raw) or None
            except DomainError as exc:
                errors.add(row, column.header, raw, exc.message, "format")
                values[column.key] = Refused
            except Refused as exc:
                errors.add(row, column.header, raw, exc.reason, exc.kind)
                values[column.key] = Refused
        parsed.append((row, values))
    places = Region.objects.in_bulk({v["region"] for _r, v in parsed} - {None, Refused})
    keys = Counter((v["year"], v["region"], v["name"]) for _r, v in parsed if not v.get("number"))
    numbered = Counter(
        (str(v["region"])[:6], v["year"], v["number"]) for _r, v in parsed if v.get("number")
    )
    beneficiaries = {
        row.number: [
            n
            for n in (clean(x) for x in (v["beneficiaries"] or "").replace(",", "、").split("、"))
            if n
        ]
        for row, v in parsed
        if v.get("beneficiaries") not in (None, Refused)
    }
    # The beneficiary households of the whole file in one query, not one per row.
    on_file = {
        (h.county_code, h.number): h
        for h in Household.objects.filter(
            number__in={n for numbers in beneficiaries.values() for n in numbers}
        )
    }
    todo = []
    for row, v in parsed:
        if Refused in v.values():
            continue
        place = places.get(v["region"])
        if place is None or place.level not in (Level.VILLAGE, Level.TOWNSHIP):
            errors.add(
                row, "实施地点代码", v["region"], _("区划代码不存在，或不是村或乡镇。"), "village"
            )
            continue
        if not user_can(actor, EDIT_PROJECTS, place):
            errors.add(
                row,
                "实施地点代码",
                v["region"],
                _("您没有管理该地项目的权限：请只导入本辖区的项目。"),
                "village",
            )
            continue
        if v["planned_end"] < v["planned_start"]:
            errors.add(
                row, "计划完工", v["planned_end"], _("计划完工日期早于计划开工日期。"), "date"
            )
        if v["number"] and numbered[(place.code[:6], v["year"], v["number"])] > 1:
            errors.add(
                row, "项目编号", v["number"], _("同一年度的项目编号在文件中重复。"), "format"
            )
        elif not v["number"] and keys[(v["year"], v["region"], v["name"])] > 1:
            errors.add(
                row,
                "项目名称",
                v["name"],
                _("同一年度、同一地点的项目名称在文件中重复：请填写项目编号以区分。"),
                "format",
            )
        numbers = beneficiaries.get(row.number, [])
        households = [
            h
            for n in numbers
            if (h := on_file.get((place.code[:6], n))) and h.village_id.startswith(place.prefix)
        ]
        missing = sorted(set(numbers) - {h.number for h in households})
        if missing:
            errors.add(
                row,
                "受益贫困户",
                v["beneficiaries"],
                _("户编号%(n)s不存在或不在项目所在地。") % {"n": "、".join(missing)},
                "registered",
            )
        todo.append((row, v, place, households))
    by_number, by_name = _library(todo)
    new = []
    for row, v, place, households in todo:
        if v["number"]:
            known = by_number.get((place.code[:6], v["year"], v["number"]))
        else:
            same = by_name.get((v["year"], v["region"], v["name"]), [])
            if len(same) > 1:
                errors.add(
                    row,
                    "项目名称",
                    v["name"],
                    _("库中该年度、该地点有%(n)d个同名项目：请填写项目编号（见导出的项目库）。")
                    % {"n": len(same)},
                    "library",
                )
                continue
            known = same[0] if same else None
        if known is None:
            new.append((row, v, place, households))
            continue
        wanted = {key: v[key] if v[key] is not None else "" for key in COMPARED}
        have = {key: value if value is not None else "" for key, value in _values(known).items()}
        if wanted != have:
            changed = [BY_KEY[k].header for k in COMPARED if wanted[k] != have[k]]
            errors.add(
                row,
                changed[0],
                row.cells.get(changed[0]),
                _("项目已在库中，以下内容与库中不同：%(c)s。库中的项目请在项目页面修改。")
                % {"c": "、".join(changed)},
                "library",
            )
        else:
            outcome.unchanged += 1
    # Rows that bring their number go in first, so that the numbers Battlemap gives the
    # others (one more than the highest of its own) never take one of theirs.
    new.sort(key=lambda item: (not item[1]["number"], item[0].number))
    if errors:
        errors.sort(key=lambda e: e.row)
        raise ProjectsImportFailed(list(errors), outcome)
    if progress:
        progress(len(rows), len(rows), _("写入数据"))
    with transaction.atomic():
        for row, v, place, households in new:
            try:
                project_create(
                    actor=actor,
                    region=place,
                    beneficiaries=households,
                    **{
                        k: v[k] or ""
                        for k in (
                            "name",
                            "content",
                            "performance_target",
                            "benefit_mechanism",
                            "responsible_unit",
                            "responsible_leader",
                            "responsible_person",
                        )
                    },
                    year=v["year"],
                    programme=v["programme"],
                    construction_type=v["construction_type"],
                    planned_start=v["planned_start"],
                    planned_end=v["planned_end"],
                    budget=v["budget"],
                    number=v["number"] or "",
                )
            except DomainError as exc:
                header = BY_KEY[exc.field].header if getattr(exc, "field", None) in BY_KEY else ""
                raise ProjectsImportFailed(
                    [
                        RowError(
                            SHEET,
                            row.number,
                            header,
                            cell_text(row.cells.get(header)),
                            str(exc),
                            kind=kinds()["library"],
                        )
                    ],
                    outcome,
                ) from None
            outcome.created += 1
    return outcome


BY_KEY = {c.key: c for c in COLUMNS}


def projects_export(user, code: str) -> tuple[str, bytes]:
    """(file name, workbook) of the projects under region `code` the user may see."""
    region = get_region_for(user, code, VIEW_PROJECTS)
    projects = (
        Project.objects.visible_to(user, VIEW_PROJECTS)
        .in_region(region)
        .order_by("year", "region_id", "id")
        .prefetch_related("beneficiaries")
    )
    tables = {name: {v: k for k, v in entries.items()} for name, entries in _tables().items()}
    projects = list(projects)
    wb, ws = new_workbook(max(1000, len(projects) + 200))
    with translation.override("zh-hans"):
        for number, project in enumerate(projects, start=2):
            values = {
                **{key: getattr(project, key) for key in COMPARED},
                "number": project.number,
                "year": project.year,
                "name": project.name,
                "region": project.region_id,
                "programme": tables["programme"][project.programme],
                "construction_type": tables["construction_type"][project.construction_type],
                "beneficiaries": "、".join(sorted(h.number for h in project.beneficiaries.all())),
                "stage": str(project.get_stage_display()),
            }
            put_row(ws, number, [values.get(c.key) for c in COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return f"{region.name}-扶贫项目库-{timezone.localdate():%Y%m%d}.xlsx", out.getvalue()
