"""Login, user management for administrators, and each user's own API tokens.

Thin views: parse the form, call one service, render. Users come from
`users_visible_to(actor)` (a user outside the administrator's regions is a 404); what an
administrator may change is decided by the services (403 when they may not).
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from battlemap.accounts.actions import MANAGE_USERS
from battlemap.core.codes import normalize_code, prefix_of
from battlemap.core.errors import DomainError, Forbidden
from battlemap.core.files import XLSX, attachment
from battlemap.core.scoping import require_anywhere
from battlemap.core.tabular import ImportFailed

from . import lockout, services
from .forms import LoginForm, RoleForm, TokenCreateForm, UserCreateForm, UserImportForm
from .models import ApiToken, RoleAssignment
from .roles import Role
from .selectors import anchor_labels, get_user_for, users_visible_to
from .workbook import passwords_workbook, read_accounts, template_workbook

PAGE_SIZE = 50


class LoginView(auth_views.LoginView):
    """The login page: lockout after repeated failures, said with when to retry."""

    authentication_form = LoginForm


def _refuse(exc: DomainError):
    if isinstance(exc, Forbidden):
        raise PermissionDenied(str(exc.message)) from None


@login_required
def user_list(request):
    """Accounts the administrator's regions reach; search, role, region, state."""
    require_anywhere(request.user, MANAGE_USERS)
    users = users_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(Q(username__icontains=q) | Q(first_name__icontains=q))
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(role_assignments__role=role).distinct()
    code = normalize_code(request.GET.get("region", ""))
    if code:
        users = users.filter(role_assignments__region__code__startswith=prefix_of(code)).distinct()
    state = request.GET.get("state", "")
    if state in ("active", "inactive"):
        users = users.filter(is_active=state == "active")
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = anchor_labels(page.object_list)
    for account in page.object_list:
        account.anchor_labels = labels.get(account.pk, [])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "q": q,
            "role": role,
            "region": request.GET.get("region", ""),
            "state": state,
            "roles": Role.choices,
            "query": query.urlencode(),
        },
    )


@never_cache
@login_required
def user_create(request):
    """A new account with one role; its initial password is shown once."""
    require_anywhere(request.user, MANAGE_USERS)
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.user_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                role=data["role"],
                region=data["region"],
                password=data["password"],
            )
        except DomainError as exc:
            _refuse(exc)
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            return render(
                request,
                "accounts/passwords.html",
                {"accounts": [(user, password)], "title": _("账户已创建")},
            )
    return render(request, "accounts/user_create.html", {"form": form})


@login_required
def user_detail(request, pk: int):
    """One account: its roles, its tokens, and what the administrator may do with it."""
    require_anywhere(request.user, MANAGE_USERS)
    user = get_user_for(request.user, pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": user,
            "manageable": services.can_manage(request.user, user),
            "assignments": list(user.role_assignments.all()),
            "anchors": anchor_labels([user]).get(user.pk, []),
            "tokens": list(user.api_tokens.order_by("-created_at")),
            "locked_until": lockout.locked_until(user.get_username()),
            "form": RoleForm(actor=request.user),
        },
    )


def _manage(request, pk, act):
    """Run one service on a user in scope; refusals come back as messages on the page."""
    require_anywhere(request.user, MANAGE_USERS)
    user = get_user_for(request.user, pk)
    try:
        result = act(user)
    except DomainError as exc:
        _refuse(exc)
        messages.error(request, str(exc.message))
        return redirect("accounts:user", pk=user.pk)
    return result or redirect("accounts:user", pk=user.pk)


@require_POST
@login_required
def user_assign(request, pk: int):
    def act(user):
        form = RoleForm(request.POST, actor=request.user)
        if not form.is_valid():
            raise DomainError(_("请选择角色和区划。"))
        services.role_assign(
            actor=request.user,
            user=user,
            role=form.cleaned_data["role"],
            region=form.cleaned_data["region"],
        )
        messages.success(request, _("已分配角色。"))

    return _manage(request, pk, act)


@require_POST
@login_required
def user_unassign(request, pk: int, assignment: int):
    def act(user):
        row = RoleAssignment.objects.visible_to(request.user).filter(pk=assignment, user=user)
        found = row.first()
        if found is None:
            raise Http404
        services.role_unassign(actor=request.user, assignment=found)
        messages.success(request, _("已取消角色。"))

    return _manage(request, pk, act)


@require_POST
@login_required
def user_deactivate(request, pk: int):
    def act(user):
        services.user_deactivate(actor=request.user, user=user)
        messages.success(request, _("账户已停用，其接口令牌已全部撤销。"))

    return _manage(request, pk, act)


@require_POST
@login_required
def user_activate(request, pk: int):
    def act(user):
        services.user_activate(actor=request.user, user=user)
        messages.success(request, _("账户已启用。"))

    return _manage(request, pk, act)


@never_cache
@require_POST
@login_required
def user_password(request, pk: int):
    """A new generated password, shown once; the lockout is lifted."""

    def act(user):
        password = services.user_password_reset(actor=request.user, user=user)
        return render(
            request,
            "accounts/passwords.html",
            {"accounts": [(user, password)], "title": _("密码已重置")},
        )

    return _manage(request, pk, act)


@never_cache
@login_required
def user_import(request):
    """Village accounts in bulk from the Excel template: all or nothing, row errors
    named; the initial passwords are shown once and can be downloaded as a sheet."""
    require_anywhere(request.user, MANAGE_USERS)
    form = UserImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            accounts = read_accounts(request.user, form.cleaned_data["file"])
            created = services.users_bulk_create(actor=request.user, accounts=accounts)
        except ImportFailed as exc:
            errors = exc.errors
            messages.error(request, str(exc.message))
        except DomainError as exc:
            _refuse(exc)
            messages.error(request, str(exc.message))
        else:
            return render(
                request,
                "accounts/passwords.html",
                {
                    "accounts": created,
                    "title": _("已创建%(n)d个账户") % {"n": len(created)},
                    "download": True,
                },
            )
    return render(request, "accounts/user_import.html", {"form": form, "errors": errors})


@login_required
def user_import_template(request):
    require_anywhere(request.user, MANAGE_USERS)
    return attachment(template_workbook(request.user), "accounts-template.xlsx", XLSX)


@never_cache
@require_POST
@login_required
def user_import_passwords(request):
    """The initial passwords just shown, as a sheet. They come back from the page that
    showed them (never stored on the server), so only that page can offer them."""
    require_anywhere(request.user, MANAGE_USERS)
    rows = list(
        zip(
            request.POST.getlist("username"),
            request.POST.getlist("name"),
            request.POST.getlist("password"),
            strict=False,
        )
    )[:5000]
    return attachment(passwords_workbook(rows), "initial-passwords.xlsx", XLSX)


@never_cache
@login_required
def my_password(request):
    """The user changes their own password (after an initial or reset one)."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_change(
                actor=request.user, user=request.user, password=form.cleaned_data["new_password1"]
            )
        except DomainError as exc:
            form.add_error("new_password1", str(exc.message))
        else:
            update_session_auth_hash(request, request.user)  # stay logged in
            messages.success(request, _("密码已修改。"))
            return redirect("accounts:password")
    return render(request, "accounts/password.html", {"form": form})


@never_cache
@login_required
def my_tokens(request):
    """The user's own API tokens: create one (shown once), revoke any."""
    form = TokenCreateForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            _row, created = services.api_token_create(
                actor=request.user, user=request.user, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
    tokens = ApiToken.objects.visible_to(request.user).order_by("-created_at")
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": tokens, "created": created}
    )


@require_POST
@login_required
def my_token_revoke(request, pk: int):
    token = ApiToken.objects.visible_to(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404(_("对象不存在或无权访问。"))
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("令牌已撤销。"))
    return redirect("accounts:tokens")
