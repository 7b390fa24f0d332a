"""Workbooks in and out: each kind's template, its upload (run as a job), its export (a job)."""

import uuid

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from battlemap.core.files import XLSX, attachment
from battlemap.core.scoping import require_anywhere
from battlemap.jobs.models import Job
from battlemap.jobs.services import job_start
from battlemap.regions.selectors import get_region_for

from .forms import UploadForm
from .kinds import KINDS


@login_required
def template(request, kind: str):
    kind = KINDS[kind]
    require_anywhere(request.user, kind.export_action)
    return attachment(kind.template(), _("%(t)s模板.xlsx") % {"t": kind.title}, XLSX)


@login_required
def upload(request, kind: str):
    """The upload page; a valid upload becomes a job and the user follows its progress."""
    kind = KINDS[kind]
    require_anywhere(request.user, kind.import_action)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        suffix = ".csv" if file.name.lower().endswith(".csv") else ".xlsx"
        stored = f"upload-{uuid.uuid4().hex}{suffix}"
        job = job_start(
            owner=request.user,
            kind=f"import_{kind.name}",
            title=_("导入%(t)s：%(f)s") % {"t": kind.title, "f": file.name},
            params={"filename": file.name, "stored": stored, "back": request.path},
            files={stored: file.read()},
        )
        return redirect("jobs:detail", pk=job.pk)
    recent = Job.objects.visible_to(request.user).filter(kind=f"import_{kind.name}")[:10]
    return render(
        request,
        "exchange/import.html",
        {"kind": kind, "form": form, "recent": recent, "csv": kind.csv_sheet is not None},
    )


@require_POST
@login_required
def export(request, kind: str, code: str):
    """Start the export of a region's workbook as a job (a county's takes a while)."""
    kind = KINDS[kind]
    region = get_region_for(request.user, code, kind.export_action)
    job = job_start(
        owner=request.user,
        kind=f"export_{kind.name}",
        title=_("导出%(t)s：%(r)s") % {"t": kind.title, "r": region.name},
        params={"code": region.code},
    )
    return redirect("jobs:detail", pk=job.pk)
