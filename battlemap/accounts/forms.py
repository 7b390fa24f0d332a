"""Forms of the login page and of user management; they parse input, services decide."""

import math

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from battlemap.accounts.actions import MANAGE_USERS
from battlemap.regions.models import Region

from . import lockout
from .services import user_login
from .workbook import assignable_roles


class LoginForm(AuthenticationForm):
    """Username and password, with the lockout said plainly: for how long, and until when."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确，请重新输入。"),
        "inactive": _("该账户已停用，请联系管理员。"),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            until = lockout.locked_until(username)
            if until is not None:
                raise self.locked_error(until)
        try:
            cleaned = super().clean()
        except ValidationError as error:
            until = lockout.locked_until(username) if username else None
            if until is not None:
                raise self.locked_error(until) from None
            until = lockout.address_blocked_until(lockout.client_address(self.request))
            if until is not None:
                raise self.address_error(until) from None
            left = lockout.failures_left(username) if username else 0
            if username and 0 < left < settings.LOCKOUT_FAILURES:
                raise ValidationError(
                    [
                        *error.error_list,
                        ValidationError(
                            _("再输错%(n)d次，账户将被锁定%(m)d分钟。"),
                            code="attempts_left",
                            params={"n": left, "m": settings.LOCKOUT_MINUTES},
                        ),
                    ]
                ) from None
            raise
        if self.user_cache is not None:
            # The form is valid, so the view logs the user in (the admin's too, staff only).
            user_login(actor=self.user_cache, address=lockout.client_address(self.request))
        return cleaned

    def address_error(self, until) -> ValidationError:
        minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
        return ValidationError(
            _(
                "该网络地址登录失败次数过多，暂停从此地址登录。请在%(t)s之后（约%(left)d分钟后）"
                "重试；如需立即登录，请联系管理员。"
            ),
            code="address_locked",
            params={"t": timezone.localtime(until).strftime("%H:%M"), "left": minutes},
        )

    def locked_error(self, until) -> ValidationError:
        minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
        return ValidationError(
            _(
                "登录失败次数过多，账户已被锁定%(m)d分钟。请在%(t)s之后（约%(left)d分钟后）重试，"
                "或请管理员重置密码。"
            ),
            code="locked",
            params={
                "m": settings.LOCKOUT_MINUTES,
                "t": timezone.localtime(until).strftime("%H:%M"),
                "left": minutes,
            },
        )


class AdminLoginForm(LoginForm, AdminAuthenticationForm):
    """The admin's login: the same lockout, and staff only."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        **LoginForm.error_messages,
    }


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, region):
        indent = {"county": "", "township": "　", "village": "　　"}.get(region.level, "")
        return f"{indent}{region.name}（{region.code}）"


def _regions(actor):
    return Region.objects.visible_to(actor, MANAGE_USERS).order_by("code")


class RoleForm(forms.Form):
    """A role over a region, both among what the actor may hand out."""

    role = forms.ChoiceField(label=_("角色"))
    region = RegionChoiceField(label=_("区划"), queryset=Region.objects.none())

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in assignable_roles(actor)]
        self.fields["region"].queryset = _regions(actor)


class UserCreateForm(RoleForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=150, required=False)
    password = forms.CharField(
        label=_("初始密码"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("留空则自动生成，并只显示一次。"),
    )

    field_order = ["username", "full_name", "role", "region", "password"]


class UserImportForm(forms.Form):
    file = forms.FileField(label=_("Excel文件（.xlsx）"))


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("用途"), max_length=100, required=False, help_text=_("例如：数据交换脚本")
    )
