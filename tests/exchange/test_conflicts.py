"""Import errors never say where a clashing record of another region is (issue 13, finding 1).

A township official of 临溪镇 whose file clashes with a 华阳镇 record learns that the
number is taken elsewhere, never the household, village or code; the county
administrator, who may see that record, reads the full conflict.
"""

import io

import pytest
from openpyxl import Workbook

from battlemap.accounts.roles import Role
from battlemap.accounts.workbook import read_accounts
from battlemap.core.errors import Conflict
from battlemap.core.tabular import ImportFailed
from battlemap.projects.workbook import COLUMNS as PROJECT_COLUMNS
from battlemap.projects.workbook import projects_import
from battlemap.registry.bulk import BulkRejected
from battlemap.registry.services import (
    HouseholdRow,
    PersonRow,
    person_add,
    registry_bulk_register,
)
from battlemap.registry.workbook_import import registry_import
from tests import personas
from tests.factories import ACTOR, HUAYANG, V1, V2, V3, member, register

from .test_projects import project
from .workbooks import person, workbook

pytestmark = pytest.mark.django_db

# What 临溪镇 must never read about 华阳镇: its names, its codes, its household numbers.
SECRETS = ("华阳镇", "城西村", "龙川村", V1, V2, HUAYANG, HUAYANG[:9], "HY-1")


@pytest.fixture
def world(county):
    household = register(county.v1, "HY-1", members=[{"name": "华阳人"}])
    return {
        "household": household,
        "id_number": household.members.get().id_number,
        "linxi": personas.cadre(county.linxi, username="township_linxi", role="township_official"),
        "admin": personas.county_admin(county.county, username="county_admin"),
    }


def texts(errors) -> str:
    return " ".join(f"{e.column} {e.value} {e.reason}" for e in errors)


def registry_errors(actor, **cells):
    content = workbook([person("LX-1", 村级区划代码=V3, **cells)])
    with pytest.raises(ImportFailed) as caught:
        registry_import(actor=actor, content=content, filename="户.xlsx")
    return caught.value.errors


def test_registry_id_number_of_another_township(world):
    hidden = registry_errors(world["linxi"], 证件号码=world["id_number"])
    assert [e.column for e in hidden] == ["证件号码"]
    assert "证件号码已在其他地区登记，请与县级管理员联系" in hidden[0].reason
    assert not any(secret in texts(hidden) for secret in SECRETS)
    full = registry_errors(world["admin"], 证件号码=world["id_number"])
    assert "此人已登记在户HY-1（城西村）中" in full[0].reason


def test_registry_household_number_of_another_township(world):
    hidden = registry_errors(world["linxi"], 户编号="HY-1")
    assert [e.column for e in hidden] == ["村级区划代码"]
    assert "户编号已在其他地区使用" in hidden[0].reason
    # The cell names what the user typed (their own village), nothing of 华阳镇.
    assert not any(secret in texts(hidden) for secret in SECRETS if secret != "HY-1")
    assert "城西村" not in texts(hidden) and V1 not in texts(hidden)
    full = registry_errors(world["admin"], 户编号="HY-1")
    assert f"户HY-1已登记在城西村（{V1}）" in full[0].reason


def test_registry_service_person_add(world, county):
    own = register(county.v3, "LX-9")
    with pytest.raises(Conflict) as hidden:
        person_add(
            actor=world["linxi"], household=own, **member("之子", id_number=world["id_number"])
        )
    assert "证件号码已在其他地区登记" in str(hidden.value)
    assert not any(secret in str(hidden.value) for secret in SECRETS)
    with pytest.raises(Conflict) as full:
        person_add(
            actor=world["admin"], household=own, **member("之子", id_number=world["id_number"])
        )
    assert "HY-1" in str(full.value) and "城西村" in str(full.value)


def test_registry_bulk_path_names_no_place(world):
    rows = [HouseholdRow(V3, "HY-1", None, None, None, None, None, (True,) * 5, "", ())]
    persons = [
        PersonRow(
            "HY-1",
            None,
            "某",
            world["id_number"],
            None,
            None,
            None,
            None,
            None,
            None,
            (True, False, True),
            None,
            None,
            None,
            None,
        )
    ]
    with pytest.raises(BulkRejected) as caught:
        registry_bulk_register(actor=world["linxi"], households=rows, persons=persons)
    words = str(caught.value) + " ".join(p.reason for p in caught.value.problems)
    assert "户编号在本县已存在" in words and "证件号码已在登记册中" in words
    assert not any(secret in words for secret in SECRETS if secret != "HY-1")


def project_errors(actor, **cells):
    content = workbook(
        [project(**cells)], headers=[c.header for c in PROJECT_COLUMNS], sheet="项目库"
    )
    with pytest.raises(ImportFailed) as caught:
        projects_import(actor=actor, content=content, filename="库.xlsx")
    return caught.value.errors


def test_projects_beneficiary_of_another_township(world):
    hidden = project_errors(world["linxi"], 实施地点代码=V3, 受益贫困户="HY-1")
    assert [e.column for e in hidden] == ["受益贫困户"]
    assert not any(secret in texts(hidden) for secret in SECRETS if secret != "HY-1")
    # Outside the project's place, for the county too: the same words, nothing more.
    full = project_errors(world["admin"], 实施地点代码=V3, 受益贫困户="HY-1")
    assert [e.reason for e in full] == [e.reason for e in hidden]
    place = project_errors(world["linxi"], 实施地点代码=V1)
    assert [e.column for e in place] == ["实施地点代码"]
    assert not any(secret in e.reason for e in place for secret in SECRETS)


def accounts_upload(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.title = "账户"
    ws.append(["用户名", "姓名", "角色", "区划代码"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_accounts_region_of_another_township(world):
    rows = [("far", "某", str(Role.VILLAGE_CADRE.label), V1), ("high", "某", "乡镇干部", V2)]
    with pytest.raises(ImportFailed) as hidden:
        read_accounts(world["linxi"], accounts_upload(rows))
    assert [e.column for e in hidden.value.errors] == ["区划代码", "区划代码"]
    assert all("不在您的辖区内" in e.reason for e in hidden.value.errors)
    assert not any(secret in e.reason for e in hidden.value.errors for secret in SECRETS)
    with pytest.raises(ImportFailed) as full:
        read_accounts(world["admin"], accounts_upload(rows))
    assert [e.reason for e in full.value.errors] == [
        f"{Role.TOWNSHIP_OFFICIAL.label}不能分配在村一级（龙川村（{V2}））。"
    ]


def test_a_system_actor_reads_the_full_conflict(world):
    full = registry_errors(ACTOR, 证件号码=world["id_number"])
    assert "此人已登记在户HY-1（城西村）中" in full[0].reason
