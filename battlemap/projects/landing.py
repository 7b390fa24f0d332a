"""The project library's landing: a responsible person without a region sees their projects."""

from django.shortcuts import redirect

from .models import Project


def projects_landing(request):
    if Project.objects.visible_to(request.user).exists():
        return redirect("projects:list")
    return None
