"""Project writes: every one atomic, validated against its rule, and audited here.

The stage rules (one project moves one stage forward at a time, on a date not before
the last one):

- 入库 (in library): a performance target, and a 入库前公示 ended on or before the date;
- 申报 (applied): a budget above zero;
- 批复 (approved): the approval's document number;
- 实施 (under way): money allocated on or before the date;
- 验收 (accepted): every milestone done on or before the date;
- 绩效评价 (evaluated): a 验收后公告 started on or before the date;
- 资产移交 (handed over): who receives the assets (in `document`).
"""

# Over 400 lines: the project's whole life cycle (stages and their rules, notices, funds,
# milestones, daily reports), whose rules refer to one another.

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from battlemap.audit.services import audit_record
from battlemap.core.bulk import bulk_insert
from battlemap.core.codes import Level
from battlemap.core.errors import Conflict, ValidationFailed
from battlemap.core.scoping import is_system, require_action
from battlemap.core.tabular import check_range
from battlemap.core.text import clean
from battlemap.projects.actions import EDIT_PROJECTS, FILE_REPORT
from battlemap.regions.models import Region

from .models import (
    STAGE_ORDER,
    Allocation,
    ConstructionType,
    DailyReport,
    Disbursement,
    FundSource,
    Milestone,
    Notice,
    Programme,
    Project,
    Stage,
    StageRecord,
)
from .rules import clean_number, project_number

CENT = Decimal("0.01")


def _amount(value, field) -> Decimal:
    """A sum in 元 that the model `field` can store (a number too large is refused in words)."""
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (ArithmeticError, ValueError):
        raise ValidationFailed(
            _("金额无效：请填写数字（元）。"), field=field.name, value=value
        ) from None
    return check_range(amount, field, value=value)


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (ArithmeticError, ValueError):
        raise ValidationFailed(
            _("金额无效：请填写数字（元）。"), field=field, value=value
        ) from None
    if amount <= 0:
        raise ValidationFailed(_("金额须大于0元。"), field=field, value=value)
    # Allocations and disbursements share the amount's digits.
    return check_range(amount, Allocation._meta.get_field(field), value=value)


def _not_future(date: dt.date, field: str) -> None:
    if date > timezone.localdate():
        raise ValidationFailed(_("日期在未来，请核对。"), field=field, value=date)


def _required(value, field: str, label: str) -> str:
    text = clean(value)
    if not text:
        raise ValidationFailed(_("%(f)s不能为空。") % {"f": label}, field=field)
    return text


def project_snapshot(project: Project) -> dict:
    return {
        "number": project.number,
        "name": project.name,
        "region": project.region_id,
        "year": project.year,
        "programme": project.programme,
        "construction_type": project.construction_type,
        "planned_start": project.planned_start.isoformat(),
        "planned_end": project.planned_end.isoformat(),
        "budget": str(project.budget),
        "performance_target": project.performance_target,
        "responsible_unit": project.responsible_unit,
        "responsible_leader": project.responsible_leader,
        "responsible_person": project.responsible_person,
        "responsible_user": project.responsible_user_id,
        "stage": project.stage,
    }


@transaction.atomic
def project_create(
    *,
    actor,
    region: Region,
    year: int,
    name: str,
    programme: str,
    construction_type: str,
    planned_start: dt.date,
    planned_end: dt.date,
    budget,
    responsible_unit: str,
    responsible_leader: str,
    responsible_person: str,
    responsible_user=None,
    content: str = "",
    performance_target: str = "",
    benefit_mechanism: str = "",
    beneficiaries=(),
    planned_on: dt.date | None = None,
    number: str = "",
) -> Project:
    """Put a project in the plan (谋划) of a village or township. An Excel import calls
    this once per row. `number` (项目编号) is the provincial project-library system's,
    where the county has one; without it Battlemap gives the next of its own."""
    if region.level not in (Level.VILLAGE, Level.TOWNSHIP):
        raise ValidationFailed(
            _("项目须落在乡镇或村，%(n)s不是。") % {"n": region.name}, field="region"
        )
    require_action(actor, EDIT_PROJECTS, region)
    if programme not in Programme.values:
        raise ValidationFailed(_("所属工程无效。"), field="programme", value=programme)
    if construction_type not in ConstructionType.values:
        raise ValidationFailed(_("建设性质无效。"), field="construction_type")
    if planned_end < planned_start:
        raise ValidationFailed(_("计划完工日期早于计划开工日期。"), field="planned_end")
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed(_("年度无效。"), field="year", value=year)
    budget = _amount(budget, Project._meta.get_field("budget"))
    if budget < 0:
        raise ValidationFailed(_("概算投资不能为负数。"), field="budget", value=budget)
    households = list(beneficiaries)
    outside = [h for h in households if not h.village_id.startswith(region.prefix)]
    if outside:
        raise ValidationFailed(
            _("受益户%(n)s不在项目所在地。") % {"n": outside[0].number}, field="beneficiaries"
        )
    number = _number_for(region, int(year), number)
    project = Project.objects.create(
        region=region,
        year=year,
        number=number,
        name=_required(name, "name", _("项目名称")),
        programme=programme,
        construction_type=construction_type,
        planned_start=planned_start,
        planned_end=planned_end,
        budget=budget,
        content=clean(content),
        performance_target=clean(performance_target),
        benefit_mechanism=clean(benefit_mechanism),
        responsible_unit=_required(responsible_unit, "responsible_unit", _("责任单位")),
        responsible_leader=_required(responsible_leader, "responsible_leader", _("责任领导")),
        responsible_person=_required(responsible_person, "responsible_person", _("责任人")),
        responsible_user=responsible_user,
        stage=Stage.PLANNED,
    )
    if households:
        project.beneficiaries.set(households)
    StageRecord.objects.create(
        project=project, stage=Stage.PLANNED, date=planned_on or timezone.localdate()
    )
    audit_record(
        actor=actor,
        action="project.create",
        obj=project,
        region_code=region.code,
        after={**project_snapshot(project), "beneficiaries": [h.pk for h in households]},
    )
    return project


def _number_for(region: Region, year: int, number) -> str:
    """The project number given (refused when its county and year already have it), or
    the next of Battlemap's own (`rules.project_number`)."""
    county = region.code[:6]
    same = Project.objects.filter(region__code__startswith=county, year=year)
    given = clean_number(number)
    if given:
        holder = same.filter(number=given).values_list("name", flat=True).first()
        if holder is not None:
            raise Conflict(
                _("项目编号%(n)s在本县%(y)s年度已由项目“%(p)s”使用：请核对编号。")
                % {"n": given, "y": year, "p": holder},
                field="number",
                value=given,
            )
        return given
    return project_number(
        county, year, same.filter(number__startswith=f"{county}-").values_list("number", flat=True)
    )


@transaction.atomic
def notice_record(
    *, actor, project: Project, kind: str, start: dt.date, end: dt.date, place: str
) -> Notice:
    """Record a public notice (公示/公告) of a project."""
    require_action(actor, EDIT_PROJECTS, project)
    if kind not in Notice.Kind.values:
        raise ValidationFailed(_("公示类型无效。"), field="kind", value=kind)
    if end < start:
        raise ValidationFailed(_("公示结束日期早于开始日期。"), field="end")
    notice = Notice.objects.create(
        project=project,
        kind=kind,
        start=start,
        end=end,
        place=_required(place, "place", _("公示地点")),
    )
    audit_record(
        actor=actor,
        action="project.notice",
        obj=project,
        region_code=project.region_id,
        after={"kind": kind, "start": start.isoformat(), "end": end.isoformat(), "place": place},
    )
    return notice


def _check_stage_rule(project: Project, stage: str, date: dt.date, document: str) -> None:
    if stage == Stage.IN_LIBRARY:
        if not project.performance_target:
            raise ValidationFailed(
                _("没有绩效目标的项目不能入库：请先填写绩效目标。"), field="performance_target"
            )
        if not project.notices.filter(kind=Notice.Kind.BEFORE_ENTRY, end__lte=date).exists():
            raise ValidationFailed(
                _("入库前须公示，且公示期满：请先登记入库前公示。"), field="notice"
            )
    elif stage == Stage.APPLIED:
        if project.budget <= 0:
            raise ValidationFailed(_("申报前请填写概算投资。"), field="budget")
    elif stage == Stage.APPROVED:
        if not document:
            raise ValidationFailed(_("批复须填写批复文号。"), field="document")
    elif stage == Stage.UNDER_WAY:
        if not project.allocations.filter(date__lte=date).exists():
            raise ValidationFailed(_("资金尚未下达，项目不能开工。"), field="allocation")
    elif stage == Stage.ACCEPTED:
        open_steps = project.milestones.exclude(done_on__lte=date).order_by("due")
        first = open_steps.first()
        if first is not None:
            raise ValidationFailed(
                _("节点“%(m)s”尚未完成，项目不能验收。") % {"m": first.name}, field="milestone"
            )
    elif stage == Stage.EVALUATED:
        if not project.notices.filter(kind=Notice.Kind.AFTER_ACCEPTANCE, start__lte=date).exists():
            raise ValidationFailed(
                _("验收后须公告：请先登记验收后公告，再做绩效评价。"), field="notice"
            )
    elif stage == Stage.HANDED_OVER and not document:
        raise ValidationFailed(_("资产移交须写明接收单位。"), field="document")


@transaction.atomic
def project_stage_advance(
    *, actor, project: Project, stage: str, date: dt.date, document: str = ""
) -> StageRecord:
    """Move a project to its next stage on a date, if that stage's rule is met."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    require_action(actor, EDIT_PROJECTS, project)
    if stage not in STAGE_ORDER:
        raise ValidationFailed(_("阶段无效。"), field="stage", value=stage)
    current = STAGE_ORDER.index(project.stage)
    if STAGE_ORDER.index(stage) != current + 1:
        raise Conflict(
            _("项目处于“%(c)s”阶段，下一阶段只能是“%(n)s”。")
            % {
                "c": Stage(project.stage).label,
                "n": Stage(STAGE_ORDER[current + 1]).label
                if current + 1 < len(STAGE_ORDER)
                else "—",
            },
            field="stage",
        )
    _not_future(date, "date")
    last = project.stage_records.order_by("-date").values_list("date", flat=True).first()
    if last and date < last:
        raise ValidationFailed(
            _("日期早于上一阶段（%(d)s），请核对。") % {"d": last.isoformat()}, field="date"
        )
    document = clean(document)
    _check_stage_rule(project, stage, date, document)
    before = project.stage
    record = StageRecord.objects.create(project=project, stage=stage, date=date, document=document)
    project.stage = stage
    project.save(update_fields=["stage"])
    audit_record(
        actor=actor,
        action="project.stage",
        obj=project,
        region_code=project.region_id,
        before={"stage": before},
        after={"stage": stage, "date": date.isoformat(), "document": document},
    )
    return record


def report_backdate_days() -> int:
    return max(0, int(settings.BATTLEMAP_REPORT_BACKDATE_DAYS))


def report_earliest() -> dt.date:
    """The earliest day a person may still file a daily report for."""
    return timezone.localdate() - dt.timedelta(days=report_backdate_days())


def report_fileable(project: Project) -> bool:
    """Whether a daily report can be filed for the project today: it is under way on a
    day between the earliest day a report may be back-dated to and today."""
    earliest, today = report_earliest(), timezone.localdate()
    if stage_on(project, earliest) == Stage.UNDER_WAY:
        return True
    return project.stage_records.filter(
        stage=Stage.UNDER_WAY, date__gt=earliest, date__lte=today
    ).exists()


def stage_on(project: Project, date: dt.date) -> str | None:
    """The project's stage on a date (None before it was planned)."""
    return (
        project.stage_records.filter(date__lte=date)
        .order_by("-date", "-id")
        .values_list("stage", flat=True)
        .first()
    )


@transaction.atomic
def allocation_add(
    *,
    actor,
    project: Project,
    year: int,
    source: str,
    amount,
    date: dt.date,
    document: str = "",
) -> Allocation:
    """Allocate money of a year and source to a project."""
    require_action(actor, EDIT_PROJECTS, project)
    if source not in FundSource.values:
        raise ValidationFailed(_("资金来源无效。"), field="source", value=source)
    _not_future(date, "date")
    allocation = Allocation.objects.create(
        project=project,
        year=year,
        source=source,
        amount=_money(amount, "amount"),
        date=date,
        document=clean(document),
    )
    audit_record(
        actor=actor,
        action="project.allocate",
        obj=project,
        region_code=project.region_id,
        after={"year": year, "source": source, "amount": str(allocation.amount), "date": str(date)},
    )
    return allocation


def _total(rows) -> Decimal:
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


@transaction.atomic
def disbursement_add(
    *,
    actor,
    project: Project,
    amount,
    date: dt.date,
    payee: str,
    kind: str = Disbursement.Kind.PAYMENT,
) -> Disbursement:
    """Record money paid out (or only transferred to a department) for a project."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    require_action(actor, EDIT_PROJECTS, project)
    if kind not in Disbursement.Kind.values:
        raise ValidationFailed(_("支付类型无效。"), field="kind", value=kind)
    _not_future(date, "date")
    amount = _money(amount, "amount")
    if STAGE_ORDER.index(stage_on(project, date) or Stage.PLANNED) < STAGE_ORDER.index(
        Stage.APPROVED
    ):
        raise ValidationFailed(_("项目批复前不能支付资金。"), field="date", value=date)
    allocated = _total(project.allocations.filter(date__lte=date))
    paid = _total(project.disbursements.filter(kind=kind))
    if paid + amount > allocated:
        raise ValidationFailed(
            _("超出已下达资金：已下达%(a)s元，已%(k)s%(p)s元。")
            % {"a": allocated, "k": Disbursement.Kind(kind).label, "p": paid},
            field="amount",
            value=amount,
        )
    row = Disbursement.objects.create(
        project=project,
        kind=kind,
        amount=amount,
        date=date,
        payee=_required(payee, "payee", _("收款方")),
    )
    audit_record(
        actor=actor,
        action="project.disburse",
        obj=project,
        region_code=project.region_id,
        after={"kind": kind, "amount": str(amount), "date": str(date), "payee": row.payee},
    )
    return row


@transaction.atomic
def milestone_add(
    *, actor, project: Project, name: str, owner: str, start: dt.date, due: dt.date
) -> Milestone:
    """Add a step with its owner and deadline to the project battle map."""
    require_action(actor, EDIT_PROJECTS, project)
    if due < start:
        raise ValidationFailed(_("完成时限早于开始日期。"), field="due")
    milestone = Milestone.objects.create(
        project=project,
        name=_required(name, "name", _("节点")),
        owner=_required(owner, "owner", _("责任人")),
        start=start,
        due=due,
    )
    audit_record(
        actor=actor,
        action="milestone.add",
        obj=milestone,
        region_code=project.region_id,
        after={"project": project.pk, "name": name, "owner": owner, "due": due.isoformat()},
    )
    return milestone


@transaction.atomic
def milestone_complete(*, actor, milestone: Milestone, done_on: dt.date) -> Milestone:
    """Mark a step done on a date."""
    require_action(actor, EDIT_PROJECTS, milestone.project)
    _not_future(done_on, "done_on")
    if done_on < milestone.start:
        raise ValidationFailed(_("完成日期早于节点开始日期。"), field="done_on")
    if milestone.done_on is not None:
        raise Conflict(_("该节点已于%(d)s完成。") % {"d": milestone.done_on}, field="done_on")
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    audit_record(
        actor=actor,
        action="milestone.complete",
        obj=milestone,
        region_code=milestone.project.region_id,
        before={"done_on": None},
        after={"done_on": done_on.isoformat()},
    )
    return milestone


@transaction.atomic
def report_file(
    *,
    actor,
    project: Project,
    date: dt.date,
    progress: int,
    work: str,
    amount_paid=0,
    problems: str = "",
    author_name: str = "",
) -> DailyReport:
    """File the daily report (日报告) of a project under way; one per project and day, at
    most BATTLEMAP_REPORT_BACKDATE_DAYS days back (a person; commands and imports carry
    history)."""
    require_action(actor, FILE_REPORT, project)
    _not_future(date, "date")
    earliest = report_earliest()
    if date < earliest and not is_system(actor):
        raise ValidationFailed(
            _("日报告最多补报%(n)d天：%(d)s已超过期限，请填写%(e)s及以后的日期。")
            % {"n": report_backdate_days(), "d": date.isoformat(), "e": earliest.isoformat()},
            field="date",
            value=date,
        )
    if stage_on(project, date) != Stage.UNDER_WAY:
        raise ValidationFailed(_("只有实施中的项目填报日报告。"), field="date", value=date)
    if not 0 <= int(progress) <= 100:
        raise ValidationFailed(_("形象进度须在0到100之间。"), field="progress", value=progress)
    if DailyReport.objects.filter(project=project, date=date).exists():
        raise Conflict(_("该项目%(d)s的日报告已填报。") % {"d": date.isoformat()}, field="date")
    paid = _amount(amount_paid or 0, DailyReport._meta.get_field("amount_paid"))
    if paid < 0:
        raise ValidationFailed(_("金额不能为负数。"), field="amount_paid")
    user = actor if getattr(actor, "pk", None) else None
    report = DailyReport.objects.create(
        project=project,
        date=date,
        author=user,
        author_name=clean(author_name)
        or (user.get_full_name() or user.get_username() if user else project.responsible_person),
        progress=int(progress),
        work=_required(work, "work", _("当日进展")),
        amount_paid=paid,
        problems=clean(problems),
    )
    audit_record(
        actor=actor,
        action="project.report",
        obj=report,
        region_code=project.region_id,
        after={"project": project.pk, "date": date.isoformat(), "progress": report.progress},
    )
    return report


REPORT_FIELDS = (
    "project",
    "date",
    "author",
    "author_name",
    "progress",
    "work",
    "amount_paid",
    "problems",
)


@transaction.atomic
def report_bulk_file(*, actor, rows: list[tuple]) -> int:
    """Many past daily reports at once (the demo, imports): the same checks as
    `report_file` per row, written in batches with one audit record per county.

    rows: (project, date, progress, work, amount paid, problems, author name).
    """
    if not rows:
        return 0
    projects = {row[0].pk: row[0] for row in rows}
    stages: dict[int, list[tuple[dt.date, str]]] = {pk: [] for pk in projects}
    for pk, stage, date in StageRecord.objects.filter(project_id__in=projects).values_list(
        "project_id", "stage", "date"
    ):
        stages[pk].append((date, stage))
    objs, counties = [], {}
    for project, date, progress, work, paid, problems, author in rows:
        require_action(actor, FILE_REPORT, project)
        current = [stage for day, stage in sorted(stages[project.pk]) if day <= date]
        if not current or current[-1] != Stage.UNDER_WAY or not 0 <= progress <= 100:
            raise ValidationFailed(
                _("%(p)s %(d)s：只有实施中的项目填报日报告，进度须在0到100之间。")
                % {"p": project.name, "d": date.isoformat()},
                field="date",
            )
        county = project.region_id[:6]
        counties[county] = counties.get(county, 0) + 1
        objs.append(
            (project.pk, date, None, author, progress, work, Decimal(paid).quantize(CENT), problems)
        )
    # Set-based, like the registry's bulk path: tens of thousands of rows in one statement.
    bulk_insert(DailyReport, REPORT_FIELDS, objs)
    for county, count in sorted(counties.items()):
        audit_record(
            actor=actor,
            action="project.report_bulk",
            obj=("projects.dailyreport", ""),
            region_code=county.ljust(12, "0"),
            after={"reports": count},
        )
    return len(objs)
