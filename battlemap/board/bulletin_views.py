"""The daily bulletin's pages: the kept bulletins, one on screen, its Word document."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from battlemap.board.actions import ISSUE_BULLETIN
from battlemap.core.errors import DomainError
from battlemap.core.files import DOCX, attachment
from battlemap.core.scoping import object_for, require_anywhere, user_can_anywhere
from battlemap.projects.actions import VIEW_PROJECTS
from battlemap.regions.models import Region
from battlemap.regions.selectors import top_region_codes

from .bulletins import bulletin_docx, bulletin_generate, bulletin_paragraphs, bulletin_title
from .models import Bulletin


def _issuable(user) -> list[Region]:
    """The top regions where the user may issue a bulletin."""
    return list(
        Region.objects.visible_to(user, ISSUE_BULLETIN)
        .filter(code__in=top_region_codes(user))
        .order_by("code")
    )


@login_required
def bulletin_list(request):
    """Past bulletins of the user's regions, newest first; a form to generate one."""
    require_anywhere(request.user, VIEW_PROJECTS)
    bulletins = Bulletin.objects.visible_to(request.user).select_related("region")[:200]
    return render(
        request,
        "board/bulletins.html",
        {
            "bulletins": bulletins,
            "regions": _issuable(request.user)
            if user_can_anywhere(request.user, ISSUE_BULLETIN)
            else [],
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def bulletin_create(request):
    """Generate (or regenerate) a bulletin for a region and a date."""
    require_anywhere(request.user, ISSUE_BULLETIN)
    region = object_for(
        Region.objects.visible_to(request.user, ISSUE_BULLETIN),
        request.user,
        ISSUE_BULLETIN,
        code=request.POST.get("region", ""),
    )
    try:
        date = dt.date.fromisoformat(request.POST.get("date") or "")
    except ValueError:
        messages.error(request, _("日期无效：请写成YYYY-MM-DD。"))
        return redirect("board:bulletins")
    try:
        bulletin = bulletin_generate(actor=request.user, region=region, date=date)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("board:bulletins")
    return redirect("board:bulletin", pk=bulletin.pk)


def _bulletin(request, pk) -> Bulletin:
    # The scope is the whole check: a bulletin of the county is visible below it too,
    # where a check on the county's code (object_for) would refuse it.
    try:
        return Bulletin.objects.visible_to(request.user).get(pk=pk)
    except (Bulletin.DoesNotExist, ValueError, TypeError):
        raise Http404(_("对象不存在或无权访问。")) from None


@login_required
def bulletin_detail(request, pk: int):
    bulletin = _bulletin(request, pk)
    return render(
        request,
        "board/bulletin.html",
        {
            "bulletin": bulletin,
            "title": bulletin_title(bulletin),
            "paragraphs": bulletin_paragraphs(bulletin),
            "c": bulletin.content,
        },
    )


@login_required
def bulletin_download(request, pk: int):
    """The bulletin as a Word document."""
    bulletin = _bulletin(request, pk)
    name = f"bulletin-{bulletin.region_id[:6]}-{bulletin.date.isoformat()}.docx"
    return attachment(bulletin_docx(bulletin), name, DOCX)
