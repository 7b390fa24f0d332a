"""User management: administrators create accounts and hand out roles within their
regions only; bulk village accounts from Excel, all or nothing, with row errors and the
initial passwords given once."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import Workbook, load_workbook

from battlemap.accounts.models import RoleAssignment
from battlemap.accounts.roles import Role
from battlemap.audit.models import AuditRecord
from tests import personas

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def admins(county):
    county.admin = personas.county_admin(county.county)
    county.official = personas.cadre(county.huayang, username="official", role="township_official")
    return county


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def workbook(rows, headers=("用户名", "姓名", "角色", "区划代码"), sheet="账户"):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "accounts.xlsx"
    return out


def test_create_a_user_shows_the_password_once_and_audits(admins):
    client = client_for(admins.admin)
    response = client.post(
        "/users/new/",
        {
            "username": "li_si",
            "full_name": "李四",
            "role": "township_official",
            "region": admins.linxi.code,
        },
    )
    assert response.status_code == 200
    user = User.objects.get(username="li_si")
    password = response.context["accounts"][0][1]
    assert password in response.content.decode()
    assert user.check_password(password) and password not in user.password
    assert "no-store" in response["Cache-Control"]
    assert user.role_assignments.get().region_id == admins.linxi.code
    record = AuditRecord.objects.get(action="user.create", object_id=str(user.pk))
    assert record.actor == admins.admin and record.region_code == admins.linxi.code
    assert record.after["roles"] == [f"township_official@{admins.linxi.code}"]
    assert password not in str(record.after)


def test_a_role_is_held_at_its_own_level(admins):
    client = client_for(admins.admin)
    response = client.post(
        "/users/new/", {"username": "x", "role": "village_cadre", "region": admins.huayang.code}
    )
    assert "不能分配在乡镇一级" in response.content.decode()
    assert not User.objects.filter(username="x").exists()


def test_a_township_official_manages_the_village_cadres_of_the_township_only(admins):
    client = client_for(admins.official)
    response = client.post(
        "/users/new/", {"username": "v1cadre", "role": "village_cadre", "region": admins.v1.code}
    )
    assert response.status_code == 200
    cadre = User.objects.get(username="v1cadre")
    # The official may not make anyone a township official, nor reach the other township.
    form = client.post(
        "/users/new/", {"username": "x", "role": "township_official", "region": admins.huayang.code}
    )
    assert "role" in form.context["form"].errors
    # A user who also holds a role elsewhere is visible, but not the official's to change.
    RoleAssignment.objects.create(user=cadre, role=Role.VILLAGE_CADRE, region=admins.v3)
    html = client.get(f"/users/{cadre.pk}/").content.decode()
    assert "只能查看" in html
    assert client.post(f"/users/{cadre.pk}/deactivate/").status_code == 403
    cadre.refresh_from_db()
    assert cadre.is_active
    # Nobody manages their own account here.
    admin_client = client_for(admins.admin)
    assert admin_client.post(f"/users/{admins.admin.pk}/deactivate/").status_code == 403
    admins.admin.refresh_from_db()
    assert admins.admin.is_active


def test_assign_and_remove_roles_and_deactivate(admins):
    client = client_for(admins.admin)
    client.post("/users/new/", {"username": "u", "role": "inspector", "region": admins.county.code})
    user = User.objects.get(username="u")
    response = client.post(
        f"/users/{user.pk}/assign/", {"role": "village_cadre", "region": admins.v2.code}
    )
    assert response.status_code == 302
    assert set(user.role_assignments.values_list("role", "region_id")) == {
        ("inspector", admins.county.code),
        ("village_cadre", admins.v2.code),
    }
    assignment = user.role_assignments.get(role="inspector")
    client.post(f"/users/{user.pk}/roles/{assignment.pk}/remove/")
    assert list(user.role_assignments.values_list("role", flat=True)) == ["village_cadre"]
    client.post(f"/users/{user.pk}/deactivate/")
    user.refresh_from_db()
    assert not user.is_active
    assert "已停用" in client.get("/users/?state=inactive").content.decode()
    actions = list(
        AuditRecord.objects.filter(object_id=str(user.pk), object_type="auth.user")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["user.create", "user.assign", "user.unassign", "user.deactivate"]


def test_bulk_import_template_and_passwords(admins):
    client = client_for(admins.official)
    response = client.get("/users/import/template.xlsx")
    template = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in template["账户"][1]] == ["用户名", "姓名", "角色", "区划代码"]
    upload = workbook(
        [
            ("cadre_v1", "张三", "村干部", admins.v1.code),
            ("cadre_v2", "李四", "village_cadre", admins.v2.code[:12]),
        ]
    )
    response = client.post("/users/import/", {"file": upload})
    assert response.status_code == 200
    created = response.context["accounts"]
    assert [u.username for u, _p in created] == ["cadre_v1", "cadre_v2"]
    html = response.content.decode()
    for user, password in created:
        assert password in html
        assert user.check_password(password)
        assert user.role_assignments.get().role == "village_cadre"
    # The sheet of initial passwords comes back from the page that showed them.
    download = client.post(
        "/users/import/passwords.xlsx",
        {
            "username": [u.username for u, _p in created],
            "name": [u.first_name for u, _p in created],
            "password": [p for _u, p in created],
        },
    )
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("cadre_v1", "张三", created[0][1])


def test_bulk_import_is_all_or_nothing_with_row_errors(admins):
    personas.cadre(admins.v2, username="taken")
    upload = workbook(
        [
            ("ok_one", "甲", "村干部", admins.v1.code),
            ("taken", "乙", "村干部", admins.v2.code),
            ("ok_one", "丙", "村干部", admins.v2.code),
            ("bad name!", "丁", "村干部", admins.v1.code),
            ("far", "戊", "村干部", admins.v3.code),  # the other township
            ("boss2", "己", "县级管理员", admins.county.code),
            ("nowhere", "庚", "村干部", "341824999999"),
            ("what", "辛", "村长", admins.v1.code),
        ]
    )
    response = client_for(admins.official).post("/users/import/", {"file": upload})
    errors = [(e.row, e.column) for e in response.context["errors"]]
    assert errors == [
        (3, "用户名"),
        (4, "用户名"),
        (5, "用户名"),
        (6, "区划代码"),
        (7, "区划代码"),
        (8, "区划代码"),
        (9, "角色"),
    ]
    html = response.content.decode()
    assert "不在您的辖区内" in html and "已被使用" in html and "与第2行的用户名重复" in html
    assert not User.objects.filter(username="ok_one").exists()


def test_bulk_import_refuses_a_file_that_is_not_the_template(admins):
    client = client_for(admins.admin)
    bad = io.BytesIO(b"not a workbook")
    bad.name = "x.xlsx"
    response = client.post("/users/import/", {"file": bad})
    assert "无法读取文件" in response.content.decode()
    response = client.post("/users/import/", {"file": workbook([], sheet="Sheet")})
    assert "缺少工作表" in response.content.decode()
    response = client.post("/users/import/", {"file": workbook([], headers=("用户名",))})
    assert "缺少必需的列" in response.content.decode()


def test_user_pages_need_manage_users(admins):
    cadre = personas.cadre(admins.v1)
    client = client_for(cadre)
    for url in ("/users/", "/users/new/", "/users/import/", "/users/import/template.xlsx"):
        assert client.get(url).status_code == 403


def test_a_projects_responsible_person_is_listed_and_managed_where_the_projects_are(admins):
    from tests.factories import make_project

    owner = User.objects.create_user("project_owner", first_name="胡建华")
    make_project(admins.v1, responsible_user=owner)
    elsewhere = User.objects.create_user("linxi_owner", first_name="汪红梅")
    make_project(admins.v3, "临溪村桥梁新建工程", responsible_user=elsewhere)
    stranger = User.objects.create_user("stranger", first_name="胡建华")  # anchored nowhere

    admin = client_for(admins.admin)
    for q in ("project_owner", "胡建华"):
        page = admin.get("/users/", {"q": q})
        assert [u.username for u in page.context["page"].object_list] == ["project_owner"]
        assert "项目责任人" in page.content.decode()
    assert admin.get(f"/users/{stranger.pk}/").status_code == 404
    # The county administrator deactivates the account and resets its password.
    assert "只能查看" not in admin.get(f"/users/{owner.pk}/").content.decode()
    admin.post(f"/users/{owner.pk}/password/")
    owner.refresh_from_db()
    assert owner.has_usable_password()
    admin.post(f"/users/{owner.pk}/deactivate/")
    owner.refresh_from_db()
    assert not owner.is_active
    assert AuditRecord.objects.filter(action="user.deactivate", object_id=str(owner.pk)).exists()

    # A township official sees the accounts of the township's reach only, and may not
    # change a county-level responsible person's account.
    official = client_for(admins.official)
    listed = official.get("/users/").context["page"].object_list
    assert "project_owner" in [u.username for u in listed]
    assert "linxi_owner" not in [u.username for u in listed]
    assert official.get(f"/users/{elsewhere.pk}/").status_code == 404
    assert official.post(f"/users/{owner.pk}/activate/").status_code == 403
    owner.refresh_from_db()
    assert not owner.is_active
