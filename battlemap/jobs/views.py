"""The user's jobs; a job's page: its progress bar while it runs, then its result and files."""

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render

from battlemap.core.files import DOCX, XLSX

from .models import Job
from .services import job_dir


def get_job_for(user, pk) -> Job:
    """The user's own job, or 404 (another's job is not revealed to exist)."""
    job = Job.objects.visible_to(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


PAGE_SIZE = 25


@login_required
def job_list(request):
    """The user's own jobs, newest first: the way back to their imports and exports."""
    jobs = Job.objects.visible_to(request.user).order_by("-created_at", "-pk")
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page, "jobs": page.object_list})


@login_required
def job_detail(request, pk):
    return render(request, "jobs/detail.html", {"job": get_job_for(request.user, pk)})


@login_required
def job_progress(request, pk):
    return render(request, "jobs/_progress.html", {"job": get_job_for(request.user, pk)})


@login_required
def job_file(request, pk, name):
    """A file the job produced: only those its result lists, never its input or others."""
    job = get_job_for(request.user, pk)
    files = job.result.get("files", {}) if isinstance(job.result, dict) else {}
    if name not in files:
        raise Http404
    path = job_dir(job) / Path(name).name
    if not path.is_file():
        raise Http404
    content_type = {".xlsx": XLSX, ".docx": DOCX}.get(path.suffix, "application/octet-stream")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=files[name]["filename"],
        content_type=content_type,
    )
