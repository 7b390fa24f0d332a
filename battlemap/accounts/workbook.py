"""Village accounts in bulk from Excel: the template, reading it with row errors, and
the sheet of initial passwords given back once.

Sheet 账户, columns 用户名, 姓名, 角色, 区划代码. All or nothing: every bad cell is
named (row, column, value, what is wrong) and no account is created until all are good.
"""

import io
from zipfile import BadZipFile

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from battlemap.core.codes import normalize_code
from battlemap.core.errors import DomainError
from battlemap.core.scoping import conflict_text
from battlemap.core.tabular import ImportFailed, RowError, cell_text, read_sheet
from battlemap.core.text import clean
from battlemap.regions.models import Region

from .permissions import ASSIGNABLE_ROLES
from .roles import REGION_ROLES, Role
from .services import NewAccount, check_role, check_username, require_assignable

SHEET = "账户"
COL_USERNAME, COL_NAME, COL_ROLE, COL_REGION = "用户名", "姓名", "角色", "区划代码"
COLUMNS = [COL_USERNAME, COL_NAME, COL_ROLE, COL_REGION]


def template_workbook(actor) -> bytes:
    """The template: the header row, an example, and the roles the actor may hand out."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(COLUMNS)
    ws.append(["cadre_341824100201", "张三", str(Role.VILLAGE_CADRE.label), "341824100201"])
    for column, width in zip("ABCD", (24, 12, 14, 16), strict=True):
        ws.column_dimensions[column].width = width
    notes = wb.create_sheet(_("说明"))
    notes.append([_("每行一个账户；第二行是示例，导入前请删除。")])
    notes.append([_("用户名：字母、数字和 @ . + - _，不能与已有账户重复。")])
    notes.append([_("区划代码：6、9或12位；村干部填村级代码。")])
    notes.append([_("角色（填名称）：")])
    for role in REGION_ROLES:
        notes.append(["", str(role.label)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _role(value) -> str:
    text = clean(value)
    for role in REGION_ROLES:
        if text in (role.value, str(role.label)):
            return role.value
    raise DomainError(_("未知的角色：请填写模板“说明”页中的角色名称。"))


def read_accounts(actor, upload) -> list[NewAccount]:  # scoped: the sheet's codes, each checked by can_assign before use
    """The accounts of an uploaded workbook, every row checked; ImportFailed otherwise."""
    try:
        wb = load_workbook(upload, read_only=True, data_only=False)
    except (OSError, ValueError, KeyError, BadZipFile, InvalidFileException):
        raise ImportFailed(
            [RowError("", 0, "", "", _("无法读取文件：请上传由模板填写的 .xlsx 文件。"))]
        ) from None
    try:
        if SHEET not in wb.sheetnames:
            raise ImportFailed([RowError(SHEET, 0, "", "", _("缺少工作表“账户”，请使用模板。"))])
        rows, errors = read_sheet(wb[SHEET], [COL_USERNAME, COL_ROLE, COL_REGION], [COL_NAME])
    finally:
        wb.close()
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed([RowError(SHEET, 2, "", "", _("工作表中没有账户。"))])
    regions = Region.objects.in_bulk(
        [normalize_code(row.get(COL_REGION)) for row in rows if normalize_code(row.get(COL_REGION))]
    )
    accounts, seen = [], {}
    for row in rows:

        def error(column, reason, row=row):
            errors.append(RowError(SHEET, row.number, column, cell_text(row.get(column)), reason))

        username = role = region = None
        try:
            username = check_username(row.get(COL_USERNAME))
            if username in seen:
                raise DomainError(_("与第%(n)d行的用户名重复。") % {"n": seen[username]})
            seen[username] = row.number
        except DomainError as exc:
            error(COL_USERNAME, str(exc.message))
        try:
            role = _role(row.get(COL_ROLE))
        except DomainError as exc:
            error(COL_ROLE, str(exc.message))
        code = normalize_code(row.get(COL_REGION))
        region = regions.get(code)
        if region is None:
            error(COL_REGION, _("区划代码不存在：应为6、9或12位的统计用区划代码。"))
        elif role is not None:
            try:
                check_role(role, region)
                require_assignable(actor, role, region)
            except DomainError as exc:
                # A region outside the actor's own is refused without its name.
                error(COL_REGION, conflict_text(actor, region, str(exc.message), subject="region"))
        if username and role and region and not any(e.row == row.number for e in errors):
            accounts.append(NewAccount(username, clean(row.get(COL_NAME))[:150], role, region))
    if errors:
        raise ImportFailed(errors)
    return accounts


def passwords_workbook(accounts: list[tuple[str, str, str]]) -> bytes:
    """(username, name, initial password) rows, to hand to each new user."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("初始密码")
    ws.append([COL_USERNAME, COL_NAME, _("初始密码")])
    for row in accounts:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def assignable_roles(actor) -> list[Role]:
    """The roles `actor` may hand out somewhere (the choices of the forms)."""
    from battlemap.core.scoping import is_system, role_regions

    if is_system(actor):
        return list(REGION_ROLES)
    allowed = set()
    for held, _prefix in role_regions(actor):
        allowed |= ASSIGNABLE_ROLES.get(held, frozenset())
    return [role for role in REGION_ROLES if role in allowed]
