"""Project reads: figures on a date, expenditure by group, the battle map of one project.

Money is summed in Python as Decimal (SQLite's SUM over numeric returns a float); the
figures are over the projects of the date's year, as they stood on the date.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from battlemap.core.scoping import object_for
from battlemap.projects.actions import VIEW_PROJECTS

from .models import (
    COMPLETED_STAGES,
    Allocation,
    DailyReport,
    Disbursement,
    FundSource,
    Milestone,
    Programme,
    Project,
    StageRecord,
)

ZERO = Decimal("0.00")
DUE_SOON_DAYS = 7


def get_project_for(user, pk, action: str = VIEW_PROJECTS) -> Project:
    """A project the user may see (404 otherwise, existing or not) and act on (403)."""
    visible = Project.objects.visible_to(user).select_related("region", "responsible_user")
    return object_for(visible, user, action, pk=pk)


def rate(disbursed: Decimal, allocated: Decimal) -> float | None:
    """Expenditure rate as a fraction: paid out ÷ allocated (None without allocations)."""
    return float(disbursed / allocated) if allocated else None


def _year_projects(region, date: dt.date, projects=None):  # scoped: the caller passes the scoped projects (pages) or asks for figures
    rows = projects if projects is not None else Project.objects.all()
    return rows.filter(year=date.year, region__code__startswith=region.prefix)


def project_figures(region, date: dt.date, projects=None) -> dict:  # scoped: aggregates of projects the caller scoped
    """The region's projects of the date's year as of the date: planned, completed,
    money allocated and paid out (元), expenditure rate (a fraction)."""
    ids = _year_projects(region, date, projects).values("pk")
    stages = StageRecord.objects.filter(project__in=ids, date__lte=date)
    allocated = sum(
        Allocation.objects.filter(project__in=ids, date__lte=date).values_list("amount", flat=True),
        ZERO,
    )
    disbursed = sum(
        Disbursement.objects.filter(
            project__in=ids, date__lte=date, kind=Disbursement.Kind.PAYMENT
        ).values_list("amount", flat=True),
        ZERO,
    )
    return {
        "projects_planned": stages.filter(stage="planned").count(),
        "projects_completed": stages.filter(stage=COMPLETED_STAGES[0]).count(),
        "funds_allocated": allocated,
        "funds_disbursed": disbursed,
        "expenditure_rate": rate(disbursed, allocated),
    }


def funds_by(region, date: dt.date, by: str, projects=None) -> list[dict]:
    """Allocated, paid out and rate as of the date, grouped by `township`, `programme`,
    `source` or `project`, over the region's projects of the date's year."""
    ids = _year_projects(region, date, projects)
    return _funds_grouped(ids, _group_labels(region, by, ids), date, by)


def project_funds(project: Project, date: dt.date) -> list[dict]:  # scoped: one project the caller got through get_project_for
    """One project's own money by source up to the date, whatever its year: the
    date's-year rule is for a region's yearly figures, not for one project's totals."""
    ids = Project.objects.filter(pk=project.pk)
    return _funds_grouped(ids, _group_labels(None, "source", ids), date, "source")


def _funds_grouped(ids, labels: dict[str, str], date: dt.date, by: str) -> list[dict]:  # scoped: sums over projects of a region the caller checked

    def key_of(code: str, programme: str, source: str, pk: int) -> str:
        return {
            "township": code[:9].ljust(12, "0"),
            "programme": programme,
            "source": source,
        }.get(by, str(pk))

    allocated: dict[str, Decimal] = defaultdict(lambda: ZERO)
    disbursed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    share: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for pk, code, programme, source, amount in Allocation.objects.filter(
        project__in=ids, date__lte=date
    ).values_list("project_id", "project__region_id", "project__programme", "source", "amount"):
        allocated[key_of(code, programme, source, pk)] += amount
        share[pk][source] += amount
    for pk, code, programme, amount in Disbursement.objects.filter(
        project__in=ids, date__lte=date, kind=Disbursement.Kind.PAYMENT
    ).values_list("project_id", "project__region_id", "project__programme", "amount"):
        if by == "source":
            # A payment is not tagged with a source: it is spread over the project's
            # sources in proportion to what each allocated.
            total = sum(share[pk].values(), ZERO)
            for source, part in share[pk].items():
                disbursed[source] += amount * part / total if total else ZERO
        else:
            disbursed[key_of(code, programme, "", pk)] += amount
    order = list(labels)
    keys = sorted(
        set(allocated) | set(disbursed), key=lambda k: order.index(k) if k in order else 0
    )
    return [
        {
            "key": key,
            "label": labels.get(key, key),
            "allocated": allocated[key],
            "disbursed": disbursed[key].quantize(Decimal("0.01")),
            "rate": rate(disbursed[key], allocated[key]),
        }
        for key in keys
    ]


def _group_labels(region, by: str, projects) -> dict[str, str]:  # scoped: names of the townships under a checked region
    if by == "township":
        from battlemap.regions.models import Region

        rows = Region.objects.filter(code__startswith=region.prefix, level="township")
        return dict(rows.order_by("code").values_list("code", "name"))
    if by == "programme":
        return {k: str(v) for k, v in Programme.choices}
    if by == "source":
        return {k: str(v) for k, v in FundSource.choices}
    return {str(pk): name for pk, name in projects.values_list("pk", "name")}


def milestones_on(project: Project, date: dt.date) -> list[dict]:
    """The project's milestones as they stood on the date: done only if done by then."""
    return [
        {
            "milestone": m,
            "done_on": m.done_on if m.done_on and m.done_on <= date else None,
            "state": milestone_state(m, date),
        }
        for m in project.milestones.order_by("start", "pk")
    ]


def project_on(project: Project, date: dt.date) -> dict:
    """Everything one project page or API answer shows, as it stood on the date: its
    stage, stage records and notices until then, its money up to then (whatever its
    year), its milestones' state and its daily reports until then."""
    funds = project_funds(project, date)
    allocated = sum((f["allocated"] for f in funds), ZERO)
    disbursed = sum((f["disbursed"] for f in funds), ZERO)
    records = list(project.stage_records.filter(date__lte=date).order_by("date", "pk"))
    return {
        "stage": records[-1].stage if records else None,
        "stage_records": records,
        "notices": list(project.notices.filter(start__lte=date).order_by("start", "pk")),
        "funds": funds,
        "allocated": allocated,
        "disbursed": disbursed,
        "rate": rate(disbursed, allocated),
        "milestones": milestones_on(project, date),
        "reports": project.reports.filter(date__lte=date).order_by("-date"),
    }


def milestone_state(milestone: Milestone, date: dt.date) -> str:
    """done (green), late (red: past its deadline and not done), due soon (yellow: due
    within a week), or open."""
    if milestone.done_on is not None and milestone.done_on <= date:
        return "done"
    if milestone.due < date:
        return "late"
    if (milestone.due - date).days <= DUE_SOON_DAYS:
        return "due_soon"
    return "open"


def late_milestones(projects, date: dt.date) -> list[Milestone]:  # scoped: rows of projects the caller scoped
    """Milestones of these projects past their deadline and not done on the date."""
    return list(
        Milestone.objects.filter(project__in=projects, due__lt=date)
        .filter(Q(done_on__isnull=True) | Q(done_on__gt=date))
        .select_related("project", "project__region")
        .order_by("due", "project_id")
    )


def under_way_on(projects, date: dt.date) -> list[int]:  # scoped: rows of projects the caller scoped
    """Ids of the projects under way (实施) on the date: their last stage on or before it."""
    latest: dict[int, tuple[dt.date, int, str]] = {}
    for pk, rid, stage, day in StageRecord.objects.filter(
        project__in=projects, date__lte=date
    ).values_list("project_id", "id", "stage", "date"):
        if pk not in latest or (day, rid) > latest[pk][:2]:
            latest[pk] = (day, rid, stage)
    return sorted(pk for pk, (_d, _r, stage) in latest.items() if stage == "under_way")


def missing_reports(projects, date: dt.date) -> list[Project]:  # scoped: rows of projects the caller scoped
    """Projects under way on the date without a daily report for it."""
    running = under_way_on(projects, date)
    filed = set(
        DailyReport.objects.filter(project_id__in=running, date=date).values_list(
            "project_id", flat=True
        )
    )
    return list(
        Project.objects.filter(pk__in=[pk for pk in running if pk not in filed])
        .select_related("region")
        .order_by("region_id", "pk")
    )


def money_over_time(project: Project, until: dt.date | None = None) -> list[dict]:
    """Allocated and paid out, cumulated at each date either changed up to `until` (the
    chart)."""
    allocations, payments = (
        project.allocations.all(),
        project.disbursements.filter(kind=Disbursement.Kind.PAYMENT),
    )
    if until is not None:
        allocations, payments = (
            allocations.filter(date__lte=until),
            payments.filter(date__lte=until),
        )
    steps: dict[dt.date, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for date, amount in allocations.values_list("date", "amount"):
        steps[date][0] += amount
    for date, amount in payments.values_list("date", "amount"):
        steps[date][1] += amount
    out, allocated, paid = [], ZERO, ZERO
    for date in sorted(steps):
        allocated += steps[date][0]
        paid += steps[date][1]
        out.append({"date": date.isoformat(), "allocated": str(allocated), "paid": str(paid)})
    return out


def project_measures(codes: list[str], dates: list[dt.date]) -> dict:  # scoped: aggregates per region for the battle map (no row leaves)
    """For each (region code, date): the region's projects of the date's year as of the
    date — planned, completed, money allocated and paid out in fen, late milestones.

    Four queries whatever the number of regions and dates (the map asks for a region and
    its children, the trend for a region at many dates); each date looks at its own year.
    """
    from battlemap.core.codes import prefix_of

    names = (
        "projects_planned",
        "projects_completed",
        "funds_allocated_fen",
        "funds_disbursed_fen",
        "milestones_late",
    )
    out = {(code, date): dict.fromkeys(names, 0) for code in codes for date in dates}
    if not codes or not dates:
        return out
    prefixes = {code: prefix_of(code) for code in codes}
    common = min(prefixes.values(), key=len)
    if not all(p.startswith(common) for p in prefixes.values()):
        common = ""
    years = sorted({d.year for d in dates})
    rows = Project.objects.filter(year__in=years, region__code__startswith=common)
    projects, year_of = {}, {}
    for pk, region, year in rows.values_list("pk", "region_id", "year"):
        projects[pk], year_of[pk] = region, year
    if not projects:
        return out
    ids = list(projects)
    planned, accepted = {}, {}
    for pk, stage, day in StageRecord.objects.filter(
        project_id__in=ids, stage__in=["planned", COMPLETED_STAGES[0]]
    ).values_list("project_id", "stage", "date"):
        (planned if stage == "planned" else accepted)[pk] = day
    money: dict[int, list[tuple[dt.date, int, int]]] = defaultdict(list)
    for pk, day, amount in Allocation.objects.filter(project_id__in=ids).values_list(
        "project_id", "date", "amount"
    ):
        money[pk].append((day, int(amount * 100), 0))
    for pk, day, amount in Disbursement.objects.filter(
        project_id__in=ids, kind=Disbursement.Kind.PAYMENT
    ).values_list("project_id", "date", "amount"):
        money[pk].append((day, 0, int(amount * 100)))
    steps: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for pk, due, done in Milestone.objects.filter(project_id__in=ids).values_list(
        "project_id", "due", "done_on"
    ):
        steps[pk].append((due, done))
    for pk, region in projects.items():
        holders = [code for code, prefix in prefixes.items() if region.startswith(prefix)]
        for date in dates:
            if year_of[pk] != date.year:
                continue
            row = {
                "projects_planned": int(pk in planned and planned[pk] <= date),
                "projects_completed": int(pk in accepted and accepted[pk] <= date),
                "funds_allocated_fen": sum(a for day, a, _p in money[pk] if day <= date),
                "funds_disbursed_fen": sum(p for day, _a, p in money[pk] if day <= date),
                "milestones_late": sum(
                    1 for due, done in steps[pk] if due < date and (done is None or done > date)
                ),
            }
            for code in holders:
                target = out[(code, date)]
                for name, value in row.items():
                    target[name] += value
    return out
