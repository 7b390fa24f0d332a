"""Registry in and out of Excel: the template, the upload (run as a job), the export."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from battlemap.accounts.access import require_anywhere
from battlemap.accounts.permissions import Action
from battlemap.jobs.models import Job
from battlemap.jobs.services import job_start
from battlemap.regions.selectors import get_region_for

from .forms import RegistryUploadForm
from .registry_workbook import template_bytes
from .workbook import XLSX


def _xlsx(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
def registry_template(request):
    require_anywhere(request.user, Action.VIEW_REGISTRY)
    return _xlsx(_("建档立卡人员表模板.xlsx"), template_bytes())


@login_required
def registry_import(request):
    """The upload page; a valid upload becomes a job and the user follows its progress."""
    require_anywhere(request.user, Action.EDIT_REGISTRY)
    form = RegistryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        stored = f"upload-{uuid.uuid4().hex}{'.csv' if upload.name.lower().endswith('.csv') else '.xlsx'}"
        job = job_start(
            owner=request.user,
            kind="import_registry",
            title=_("导入建档立卡人员表：%(f)s") % {"f": upload.name},
            params={"filename": upload.name, "stored": stored},
            files={stored: upload.read()},
        )
        return redirect("jobs:detail", pk=job.pk)
    recent = Job.objects.visible_to(request.user).filter(kind="import_registry")[:10]
    return render(request, "exchange/import.html", {"form": form, "recent": recent})


@require_POST
@login_required
def registry_export_view(request, code: str):
    """Start the export of a region's workbook as a job (a county takes a while)."""
    region = get_region_for(request.user, code, Action.EXPORT_REGISTRY)
    job = job_start(
        owner=request.user,
        kind="export_registry",
        title=_("导出建档立卡人员表：%(r)s") % {"r": region.name},
        params={"code": region.code},
    )
    return redirect("jobs:detail", pk=job.pk)
