"""Project pages: the project library, one battle map per project, the daily report form.

Thin views: read the query string, fetch projects through the user's scope (a miss is a
404, existing or not), call the selectors or one service, render.
"""

# Over 400 lines: the project library's pages and the forms of a project's battle map, each
# a thin call of one service.

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from battlemap.core.codes import Level
from battlemap.core.errors import DomainError, ValidationFailed
from battlemap.core.scoping import object_for, require_anywhere, user_can, user_can_anywhere
from battlemap.projects.actions import EDIT_PROJECTS, FILE_REPORT, VIEW_PROJECTS
from battlemap.regions.models import Region
from battlemap.registry.models import Household

from . import selectors
from .filters import ProjectFilter
from .forms import ProjectForm, ReportForm
from .models import (
    STAGE_ORDER,
    Disbursement,
    FundSource,
    Milestone,
    Notice,
    Programme,
    Project,
    Stage,
)
from .services import (
    allocation_add,
    disbursement_add,
    milestone_add,
    milestone_complete,
    notice_record,
    project_create,
    project_stage_advance,
    report_earliest,
    report_file,
    report_fileable,
)

STATE_LABELS = {
    "done": _("已完成"),
    "late": _("逾期"),
    "due_soon": _("临期"),
    "open": _("进行中"),
}


def _date(request) -> dt.date:
    today = timezone.localdate()
    try:
        return min(dt.date.fromisoformat(request.GET.get("date") or ""), today)
    except ValueError:
        return today


def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


@login_required
def project_list(request):
    """The project library the user may see, by stage, with filters."""
    filterset = ProjectFilter(
        request.GET,
        queryset=Project.objects.visible_to(request.user).select_related("region"),
        request=request,
    )
    projects = filterset.qs
    year = request.GET.get("year") or ""
    filters = {
        "stage": request.GET.get("stage") or "",
        "programme": request.GET.get("programme") or "",
        "region": request.GET.get("region") or "",
    }
    q = (request.GET.get("q") or "").strip()
    page = Paginator(projects.order_by("-year", "region_id", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = {stage: 0 for stage in Stage.values}
    for stage in projects.values_list("stage", flat=True):
        counts[stage] += 1
    # The filters ride along in the stage tabs and the page links.
    kept = {"year": year, "programme": filters["programme"], "region": filters["region"], "q": q}
    return render(
        request,
        "projects/list.html",
        {
            "projects": page.object_list,
            "page": page,
            "query": urlencode({**kept, "stage": filters["stage"]}),
            "tab_query": urlencode(kept),
            "region_choices": _region_choices(request.user),
            "total": sum(counts.values()),
            "stages": [(value, label, counts[value]) for value, label in Stage.choices],
            "programmes": Programme.choices,
            "can_create": user_can_anywhere(request.user, EDIT_PROJECTS),
            "year": year,
            "q": q,
            "export_code": _export_code(request.user, filters["region"]),
            **filters,
        },
    )


PAGE_SIZE = 50


def _region_choices(user) -> list[tuple[str, str]]:
    """The region filter's drop-down: (code prefix, name) of the counties, townships and
    villages the user may see projects in, each indented under its parent."""
    indent = {Level.TOWNSHIP: "\u3000", Level.VILLAGE: "\u3000\u3000"}
    regions = Region.objects.visible_to(user, VIEW_PROJECTS).order_by("code")
    return [(r.prefix, indent.get(r.level, "") + r.name) for r in regions]


def _export_code(user, region: str) -> str:
    """The region the library's Excel export covers: the filter's, else the user's own."""
    from battlemap.core.codes import normalize_code
    from battlemap.regions.selectors import top_region_codes

    code = normalize_code(region)
    tops = top_region_codes(user)
    return code or (tops[0] if tops else "")


@login_required
def project_detail(request, pk: int):
    """The project battle map (项目作战图): milestones as a Gantt with their state, money
    allocated and paid over time, beneficiaries, daily reports."""
    project = selectors.get_project_for(request.user, pk)
    date = _date(request)
    state = selectors.project_on(project, date)
    rows = [
        {
            "id": m["milestone"].pk,
            "done_ever": m["milestone"].done_on is not None,
            "name": m["milestone"].name,
            "owner": m["milestone"].owner,
            "start": m["milestone"].start.isoformat(),
            "due": m["milestone"].due.isoformat(),
            "done_on": m["done_on"].isoformat() if m["done_on"] else None,
            "state": m["state"],
            "state_label": str(STATE_LABELS[m["state"]]),
        }
        for m in state["milestones"]
    ]
    figures, allocated, disbursed = state["funds"], state["allocated"], state["disbursed"]
    beneficiaries = project.beneficiaries.all()
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "date": date,
            "stage_now": Stage(state["stage"]) if state["stage"] else None,
            "stage_records": state["stage_records"],
            "notices": state["notices"],
            "milestones": rows,
            "sources": figures,
            "allocated": allocated,
            "disbursed": disbursed,
            "rate_shown": percent(state["rate"]),
            "beneficiary_count": beneficiaries.count(),
            "beneficiaries": Household.objects.visible_to(request.user)
            .filter(pk__in=beneficiaries.values("pk"))
            .select_related("village")
            .order_by("number")[:100],
            "reports": state["reports"][:30],
            "chart": {
                "date": date.isoformat(),
                "milestones": rows,
                "money": selectors.money_over_time(project, date),
                "ui": {
                    "allocated": _("已下达"),
                    "paid": _("已支付"),
                    "today": _("统计日"),
                    "saveImage": _("保存为图片"),
                    "states": {k: str(v) for k, v in STATE_LABELS.items()},
                },
            },
            # Offered only where a report can be filed: the user may, and the project is
            # under way within the days a report may be back-dated to.
            "can_report": user_can(request.user, FILE_REPORT, project)
            and report_fileable(project),
            **_management(request, project),
        },
    )


@login_required
def project_new(request):
    """Put a new project in the plan, in a township or village the user may plan in."""
    require_anywhere(request.user, EDIT_PROJECTS)
    regions = Region.objects.visible_to(request.user, EDIT_PROJECTS).filter(
        level__in=[Level.TOWNSHIP, Level.VILLAGE]
    )
    form = ProjectForm(
        request.POST or None,
        regions=regions.order_by("code"),
        initial={"year": timezone.localdate().year},
    )
    error = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        region = object_for(regions, request.user, EDIT_PROJECTS, code=data.pop("region"))
        try:
            project = project_create(actor=request.user, region=region, **data)
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/new.html", {"form": form, "error": error})


def _management(request, project: Project) -> dict:
    """What the project page offers a user who may manage the project."""
    if not user_can(request.user, EDIT_PROJECTS, project):
        return {"can_edit": False}
    position = STAGE_ORDER.index(project.stage)
    following = STAGE_ORDER[position + 1] if position + 1 < len(STAGE_ORDER) else None
    return {
        "can_edit": True,
        "today": timezone.localdate(),
        "next_stage": Stage(following) if following else None,
        "fund_sources": FundSource.choices,
        "disbursement_kinds": Disbursement.Kind.choices,
        "notice_kinds": Notice.Kind.choices,
    }


@login_required
def report_create(request, pk: int):
    """The daily report form (日报告) of a project, for its responsible person on a phone."""
    project = selectors.get_project_for(request.user, pk, FILE_REPORT)
    if not report_fileable(project):
        messages.error(request, _("只有实施中的项目填报日报告。"))
        return redirect("projects:detail", pk=project.pk)
    form = ReportForm(
        request.POST or None,
        initial={"date": timezone.localdate()},
        earliest=report_earliest(),
        latest=timezone.localdate(),
    )
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = report_file(
                actor=request.user,
                project=project,
                date=data["date"],
                progress=data["progress"],
                work=data["work"],
                amount_paid=data["amount_paid"] or 0,
                problems=data["problems"],
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("%(d)s的日报告已提交（形象进度%(p)d%%）。")
                % {"d": report.date.isoformat(), "p": report.progress},
            )
            return redirect("projects:detail", pk=project.pk)
    return render(
        request, "projects/report.html", {"project": project, "form": form, "error": error}
    )


# --- managing a project from its battle map (edit_projects) -----------------------------


def _managed(request, pk: int) -> Project:
    return selectors.get_project_for(request.user, pk, EDIT_PROJECTS)


def _done(request, project: Project, write) -> HttpResponse:
    """Run one service; a refusal is shown on the project page, which the user comes back to."""
    try:
        write()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已保存。"))
    return redirect("projects:detail", pk=project.pk)


def _day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        raise ValidationFailed(_("日期无效：请写成YYYY-MM-DD。"), field="date") from None


@login_required
@require_POST
def project_advance(request, pk: int):
    """Move the project to its next stage, if that stage's rule is met."""
    project = _managed(request, pk)
    return _done(
        request,
        project,
        lambda: project_stage_advance(
            actor=request.user,
            project=project,
            stage=request.POST.get("stage", ""),
            date=_day(request.POST.get("date")),
            document=request.POST.get("document", ""),
        ),
    )


@login_required
@require_POST
def project_notice(request, pk: int):
    project = _managed(request, pk)
    return _done(
        request,
        project,
        lambda: notice_record(
            actor=request.user,
            project=project,
            kind=request.POST.get("kind", ""),
            start=_day(request.POST.get("start")),
            end=_day(request.POST.get("end")),
            place=request.POST.get("place", ""),
        ),
    )


@login_required
@require_POST
def project_funds(request, pk: int):
    """An allocation (下达), a payment (支付) or a transfer to a department (拨付)."""
    project = _managed(request, pk)
    kind = request.POST.get("kind", "")

    def write():
        date = _day(request.POST.get("date"))
        if kind == "allocation":
            year = request.POST.get("year") or ""
            return allocation_add(
                actor=request.user,
                project=project,
                year=int(year) if year.isdigit() else project.year,
                source=request.POST.get("source", ""),
                amount=request.POST.get("amount", ""),
                date=date,
                document=request.POST.get("document") or request.POST.get("payee", ""),
            )
        return disbursement_add(
            actor=request.user,
            project=project,
            kind=kind,
            amount=request.POST.get("amount", ""),
            date=date,
            payee=request.POST.get("payee", ""),
        )

    return _done(request, project, write)


@login_required
@require_POST
def milestone_create(request, pk: int):
    project = _managed(request, pk)
    return _done(
        request,
        project,
        lambda: milestone_add(
            actor=request.user,
            project=project,
            name=request.POST.get("name", ""),
            owner=request.POST.get("owner", ""),
            start=_day(request.POST.get("start")),
            due=_day(request.POST.get("due")),
        ),
    )


@login_required
@require_POST
def milestone_done(request, pk: int, milestone: int):
    project = _managed(request, pk)
    step = object_for(
        Milestone.objects.visible_to(request.user).filter(project=project),
        request.user,
        EDIT_PROJECTS,
        pk=milestone,
    )
    return _done(
        request,
        project,
        lambda: milestone_complete(
            actor=request.user, milestone=step, done_on=_day(request.POST.get("done_on"))
        ),
    )
