"""The audit trail's pages: records of the user's regions, filtered, with before and after."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from battlemap.audit.actions import VIEW_AUDIT
from battlemap.core.scoping import require_anywhere

from .actions import action_label
from .display import Reader, actor_name
from .filters import AuditFilter
from .selectors import audit_records_for, get_audit_record_for

PAGE_SIZE = 50


@login_required
def audit_list(request):
    """Audit records of the user's regions, newest first, filtered by user, object,
    region, action and date."""
    require_anywhere(request.user, VIEW_AUDIT)
    filterset = AuditFilter(request.GET, queryset=audit_records_for(request.user), request=request)
    page = Paginator(filterset.qs.order_by("-at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    reader = Reader(request.user)
    rows = [_row(reader, record) for record in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {"filterset": filterset, "page": page, "rows": rows, "query": query.urlencode()},
    )


@login_required
def audit_detail(request, pk: int):
    """One audit record with its full before and after."""
    require_anywhere(request.user, VIEW_AUDIT)
    record = get_audit_record_for(request.user, pk)
    return render(request, "audit/detail.html", _row(Reader(request.user), record))


def _row(reader: Reader, record) -> dict:
    """One record in words: who, what, on which object, and its changes."""
    return {
        "record": record,
        "label": action_label(record.action),
        "actor": actor_name(record.actor_label, record.actor, system=record.actor_id is None),
        "object": reader.object(record),
        "region": reader.region(record.region_code),
        "changes": reader.changes(record),
    }
