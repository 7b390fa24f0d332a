"""What each audit action is called on screen (an action not listed shows as written)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "region.create": _("新建区划"),
    "region.update": _("修改区划"),
    "region.boundary": _("导入边界"),
    "population.set": _("录入人口"),
    "village.poverty_status": _("贫困村认定或出列"),
    "household.register": _("登记贫困户"),
    "household.update": _("修改户信息"),
    "household.event": _("户状态变更"),
    "household.guarantees": _("评估两不愁三保障"),
    "household.guarantees_bulk": _("批量写入保障评估"),
    "household.reveal": _("查看完整联系电话"),
    "person.add": _("添加家庭成员"),
    "person.update": _("修改家庭成员"),
    "person.reveal": _("查看完整证件号码"),
    "income.set": _("录入收入"),
    "income.bulk_set": _("批量录入收入"),
    "registry.bulk_register": _("批量登记"),
    "registry.export": _("导出建档立卡数据"),
    "rollups.rebuild": _("重算汇总"),
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
    "token.create": _("创建接口令牌"),
    "token.revoke": _("撤销接口令牌"),
    "project.create": _("新建扶贫项目"),
    "project.stage": _("项目进入新阶段"),
    "project.notice": _("项目公示"),
    "project.allocate": _("下达项目资金"),
    "project.disburse": _("支付项目资金"),
    "project.report": _("填报项目日报告"),
    "project.report_bulk": _("批量写入项目日报告"),
    "milestone.add": _("添加项目节点"),
    "milestone.complete": _("完成项目节点"),
    "bulletin.generate": _("生成日通报"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
