"""The accounts app's actions and audit codes (see `core.actions`)."""

from django.utils.translation import gettext_lazy as _

from battlemap.core.actions import declare_action, declare_audit_labels
from battlemap.core.roles import Role as R

MANAGE_USERS = declare_action(
    "manage_users", _("管理用户"), roles=[R.COUNTY_ADMIN, R.TOWNSHIP_OFFICIAL], app="accounts"
)
# The inspector's problems (督查问题): declared with the role; the campaigns app will own
# them when it lands.
RAISE_PROBLEM = declare_action(
    "raise_problem", _("提出督查问题"), roles=[R.COUNTY_ADMIN, R.INSPECTOR], app="accounts"
)
VERIFY_PROBLEM = declare_action(
    "verify_problem", _("核验问题整改"), roles=[R.COUNTY_ADMIN, R.INSPECTOR], app="accounts"
)

declare_audit_labels(
    "accounts",
    {
        "user.create": _("新建用户"),
        "user.update": _("修改用户"),
        "user.assign": _("分配角色"),
        "user.unassign": _("取消角色"),
        "user.assign_household": _("指定包户"),
        "user.deactivate": _("停用账户"),
        "user.activate": _("启用账户"),
        "user.password_reset": _("重置密码"),
        "user.password_change": _("修改密码"),
        "user.lock": _("登录失败过多，账户锁定"),
        "user.login": _("登录"),
        "token.create": _("创建接口令牌"),
        "token.revoke": _("撤销接口令牌"),
    },
)
