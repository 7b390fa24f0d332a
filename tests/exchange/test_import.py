import datetime as dt
from decimal import Decimal

import pytest

from battlemap.audit.models import AuditRecord
from battlemap.core.tabular import ImportFailed
from battlemap.registry.models import Household, HouseholdEvent, IncomeRecord, Person
from battlemap.registry.selectors import region_figures
from battlemap.registry.workbook_import import registry_import
from tests import personas
from tests.factories import ACTOR, COUNTY, HUAYANG, V1, V3, id_number, member, register

from .workbooks import person, sample, workbook


def run(content, actor=ACTOR, filename="户.xlsx"):
    return registry_import(actor=actor, content=content, filename=filename)


def refused(content, actor=ACTOR, filename="户.xlsx"):
    with pytest.raises(ImportFailed) as caught:
        run(content, actor, filename)
    return caught.value.errors


def counts():
    return (
        Household.objects.count(),
        Person.objects.count(),
        HouseholdEvent.objects.count(),
        IncomeRecord.objects.count(),
        AuditRecord.objects.count(),
    )


def test_a_valid_workbook_registers_households_with_members_events_and_income(county):
    outcome = run(workbook(sample()))
    assert (outcome.rows, outcome.households, outcome.persons) == (5, 2, 5)
    assert (outcome.households_new, outcome.persons_new, outcome.incomes_set) == (2, 5, 1)
    hh1, hh2 = Household.objects.get(number="HH1"), Household.objects.get(number="HH2")
    assert hh1.phone == "13800000001" and hh1.village_id == V1
    assert hh2.other_cause_1.label == "缺资金" and hh2.other_cause_2.label == "缺技术"
    assert list(hh2.events.values_list("kind", "date")) == [
        ("identified", dt.date(2014, 10, 15)),
        ("exited", dt.date(2017, 12, 1)),
    ]
    child = hh1.members.get(name="张小")
    assert child.joined_on == dt.date(2016, 3, 1)
    assert hh1.incomes.get(year=2019).declared_net_per_person == Decimal("3200.50")
    mother = hh2.members.get(name="赵六")
    assert mother.left_on == dt.date(2019, 2, 1) and mother.leave_reason.label == "死亡"
    figures = region_figures(county.county, dt.date(2019, 11, 30))
    assert figures["households_poor"] == 1 and figures["persons_poor"] == 3
    assert figures["persons_registered"] == 4  # the mother left on 2019-02-01


def test_importing_the_same_file_again_changes_nothing_and_says_so(county):
    content = workbook(sample())
    run(content)
    before = counts()
    again = run(content)
    assert not again.changed and counts() == before


def test_a_changed_file_changes_exactly_what_changed_each_change_audited(county):
    rows = sample()
    run(workbook(rows))
    rows[0]["健康状况"] = "长期慢性病"  # the head of HH1
    rows.append(
        person(
            "HH1",
            "之女",
            "张二",
            联系电话="13800000001",
            家庭年人均纯收入=3200.5,
            收入年度=2019,
            成员加入日期=dt.date(2020, 5, 1),
        )
    )
    events = [["HH2", "返贫", dt.date(2020, 3, 1), "因病返贫"]]
    audits = AuditRecord.objects.count()
    outcome = run(workbook(rows, events))
    assert (outcome.persons_changed, outcome.persons_new, outcome.events_added) == (1, 1, 1)
    assert (outcome.households_new, outcome.households_changed, outcome.incomes_set) == (0, 0, 0)
    actions = list(AuditRecord.objects.order_by("id").values_list("action", flat=True)[audits:])
    assert sorted(actions) == ["household.event", "person.add", "person.update"]
    assert Person.objects.get(name="张三").health.label == "长期慢性病"
    event = HouseholdEvent.objects.get(kind="relapsed")
    assert event.note == "因病返贫" and event.household.number == "HH2"


def test_a_refused_file_changes_nothing_not_even_the_audit_trail(county):
    run(workbook(sample()))
    before = counts()
    rows = sample()
    rows[0]["健康状况"] = "长期慢性病"
    rows[1]["证件号码"] = "110105194912310021"  # wrong check digit
    refused(workbook(rows))
    assert counts() == before
    assert Person.objects.get(name="张三").health.label == "健康"


def test_a_process_dying_mid_import_leaves_nothing_behind(county, monkeypatch):
    """The import writes in one transaction: killed after its first insert (an exception
    no code catches, as a KeyboardInterrupt or SystemExit would be), nothing stays."""
    from battlemap.core import bulk

    real = bulk.bulk_insert
    calls = []

    def dying(*args, **kwargs):
        calls.append(1)
        result = real(*args, **kwargs)
        if len(calls) == 2:
            raise SystemExit("killed")
        return result

    monkeypatch.setattr(bulk, "bulk_insert", dying)
    before = counts()
    with pytest.raises(SystemExit):
        run(workbook(sample()))
    assert len(calls) == 2 and counts() == before


CASES = [
    # (what, change to the rows, sheet/row/column, words of the reason)
    ("two heads", lambda r: r[1].update(与户主关系="户主"), (3, "与户主关系"), "有且只有一名户主"),
    (
        "no head",
        lambda r: r[0].update(与户主关系="之兄弟姐妹"),
        (2, "与户主关系"),
        "有且只有一名户主",
    ),
    (
        "household columns disagree",
        lambda r: r[1].update(主要致贫原因="因学"),
        (3, "主要致贫原因"),
        "与同户第2行",
    ),
    (
        "unknown village",
        lambda r: (
            r[3].update(村级区划代码="341824199999") or r[4].update(村级区划代码="341824199999")
        ),
        (5, "村级区划代码"),
        "不存在",
    ),
    (
        "township, not village",
        lambda r: [x.update(村级区划代码=HUAYANG) for x in r[:3]],
        (2, "村级区划代码"),
        "不是村级",
    ),
    (
        "village code not 12 digits",
        lambda r: r[0].update(村级区划代码="34182410"),
        (2, "村级区划代码"),
        "12位",
    ),
    (
        "ID check digit",
        lambda r: r[2].update(证件号码="110105194912310021"),
        (4, "证件号码"),
        "校验",
    ),
    (
        "ID birth date",
        lambda r: r[2].update(证件号码="110105194902310029"),
        (4, "证件号码"),
        "日期",
    ),
    (
        "ID twice in file",
        lambda r: r[2].update(证件号码=r[0]["证件号码"]),
        (4, "证件号码"),
        "与第2行",
    ),
    (
        "future date",
        lambda r: [x.update(识别日期=dt.date(2099, 1, 1)) for x in r[:3]],
        (2, "识别日期"),
        "未来",
    ),
    ("not a date", lambda r: r[2].update(成员加入日期="去年春天"), (4, "成员加入日期"), "不是日期"),
    (
        "exit before identification",
        lambda r: [x.update(脱贫日期=dt.date(2013, 1, 1)) for x in r[:3]],
        (2, "脱贫日期"),
        "晚于识别日期",
    ),
    ("code not in table", lambda r: r[0].update(健康状况="良好"), (2, "健康状况"), "不在代码表中"),
    (
        "other cause = main cause",
        lambda r: [x.update(其他致贫原因="因残") for x in r[3:]],
        (5, "其他致贫原因"),
        "不能与主要致贫原因相同",
    ),
    (
        "negative income",
        lambda r: [x.update(家庭年人均纯收入=-5) for x in r[:3]],
        (2, "家庭年人均纯收入"),
        "负数",
    ),
    (
        "income not a number",
        lambda r: [x.update(家庭年人均纯收入="三千") for x in r[:3]],
        (2, "家庭年人均纯收入"),
        "数字",
    ),
    ("required empty", lambda r: r[2].update(劳动能力=None), (4, "劳动能力"), "必填"),
    ("left without reason", lambda r: r[4].update(减少原因=None), (6, "减少原因"), "减少原因"),
    (
        "left before joined",
        lambda r: r[2].update(成员减少日期=dt.date(2015, 1, 1), 减少原因="迁出"),
        (4, "成员减少日期"),
        "早于加入日期",
    ),
    ("bad phone", lambda r: [x.update(联系电话="12ab") for x in r[:3]], (2, "联系电话"), "7到12位"),
]


@pytest.mark.parametrize(("what", "change", "where", "words"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_names_the_row_the_column_and_the_reason(county, what, change, where, words):
    rows = sample()
    change(rows)
    errors = refused(workbook(rows))
    hits = [e for e in errors if (e.sheet, e.row, e.column) == ("人员", *where)]
    assert hits, [e.line() for e in errors]
    assert words in hits[0].reason, hits[0].reason
    assert Household.objects.count() == 0


def test_an_id_number_on_file_in_another_household_is_named_with_that_household(county):
    ident = id_number()
    register(county.v3, "OLD-7", members=[member(id_number=ident)])
    rows = sample()
    rows[2]["证件号码"] = ident
    (error,) = [e for e in refused(workbook(rows)) if e.column == "证件号码"]
    assert error.row == 4 and "OLD-7" in error.reason and "临溪村" in error.reason
    assert error.value.count("*") >= 8  # the number is masked in the report


def test_event_sheet_rules(county):
    events = [
        ["HH2", "脱贫", dt.date(2018, 6, 1), ""],  # exit after exit
        ["HH9", "返贫", dt.date(2018, 6, 1), ""],  # not in the person sheet
        ["HH1", "升级", dt.date(2018, 6, 1), ""],  # not a kind
    ]
    errors = refused(workbook(sample(), events))
    where = {(e.sheet, e.row, e.column): e.reason for e in errors}
    assert "脱贫之后才能返贫" in where[("户状态变更", 2, "变更类型")]
    assert "不在“人员”表中" in where[("户状态变更", 3, "户编号")]
    assert "识别、脱贫、返贫、新识别、清退" in where[("户状态变更", 4, "变更类型")]


def test_cells_are_read_as_a_clerk_would_mean_them(county):
    rows = sample()
    rows[0].update(健康状况=" 健康 ", 识别日期="2014年10月15日", 户编号="ＨＨ１")
    rows[1].update(
        识别日期="2014/10/15", 户编号="HH1 ", 证件号码=rows[1]["证件号码"].replace("X", "x")
    )
    rows[2].update(
        识别日期="2014-10-15", 证件号码="".join(chr(ord(c) + 0xFEE0) for c in rows[2]["证件号码"])
    )
    rows[2]["姓名"] = "=1+1"  # a formula cell: its text, never evaluated
    rows[3]["务工状况"] = "乡(镇)内务工"  # ASCII brackets for the table's full-width ones
    run(workbook(rows))
    hh1 = Household.objects.get(number="HH1")
    assert hh1.members.count() == 3
    assert hh1.members.filter(name="=1+1").exists()
    assert Person.objects.get(name="王五").work_status.label == "乡（镇）内务工"


def test_unknown_columns_are_reported_and_ignored_missing_ones_refused(county):
    from .workbooks import HEADERS

    outcome = run(workbook(sample(), headers=[*HEADERS, "户主微信"]))
    assert any("户主微信" in w for w in outcome.warnings)
    errors = refused(workbook(sample(), headers=[h for h in HEADERS if h != "劳动能力"]))
    assert [(e.row, e.column) for e in errors] == [(1, "劳动能力")]


def test_a_user_imports_only_into_villages_they_may_edit(county):
    cadre = personas.cadre(county.v1)  # village cadre of V1; HH2 is in V2
    errors = refused(workbook(sample()), actor=cadre)
    assert {(e.row, e.column) for e in errors} == {(5, "村级区划代码")}
    assert "没有修改该村" in errors[0].reason
    reader = personas.holder(county.county, username="leader", role="leader")
    assert len(refused(workbook(sample()), actor=reader)) == 2  # one per household


def test_a_csv_person_sheet_saved_by_chinese_excel_is_read(county):
    import csv
    import io

    from .workbooks import HEADERS

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in sample():
        writer.writerow(["" if row.get(h) is None else row.get(h) for h in HEADERS])
    outcome = run(out.getvalue().encode("gb18030"), filename="人员.csv")
    assert (outcome.households_new, outcome.persons_new) == (2, 5)
    assert Household.objects.get(number="HH2").events.count() == 2


def test_the_county_code_keeps_household_numbers_apart(county):
    run(workbook(sample()))
    assert set(Household.objects.values_list("county_code", flat=True)) == {COUNTY[:6]}
    rows = sample()
    for row in rows:
        row["村级区划代码"] = V3  # the same numbers, moved to another village
    errors = refused(workbook(rows))
    assert {e.column for e in errors} == {"村级区划代码"} and "不能通过导入把户迁" in errors[
        0
    ].reason
