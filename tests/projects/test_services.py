"""Every stage rule, the funds rules, the expenditure rate on any date, daily reports."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from battlemap.audit.models import AuditRecord
from battlemap.core.errors import Conflict, Forbidden, ValidationFailed
from battlemap.projects import services as s
from battlemap.projects.models import Project
from battlemap.projects.selectors import funds_by, project_figures
from tests import personas
from tests.factories import ACTOR, make_county, make_project

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def world():
    return make_county(population=False)


def advance(project, stage, date, document=""):
    return s.project_stage_advance(
        actor=ACTOR, project=project, stage=stage, date=date, document=document
    )


def to_library(project):
    s.notice_record(
        actor=ACTOR,
        project=project,
        kind="before_entry",
        start=D(2018, 11, 5),
        end=D(2018, 11, 12),
        place="村公示栏",
    )
    advance(project, "in_library", D(2018, 11, 20))


def to_under_way(project, allocated=("county", "300000")):
    to_library(project)
    advance(project, "applied", D(2018, 12, 1))
    advance(project, "approved", D(2019, 1, 10), "绩扶项〔2019〕1号")
    source, amount = allocated
    s.allocation_add(
        actor=ACTOR, project=project, year=2019, source=source, amount=amount, date=D(2019, 1, 20)
    )
    advance(project, "under_way", D(2019, 3, 1))


def test_create_requires_village_or_township_and_is_audited(world):
    with pytest.raises(ValidationFailed, match="乡镇或村"):
        make_project(world.county)
    project = make_project(world.v1)
    assert project.stage == "planned"
    assert project.stage_records.get().date == D(2018, 11, 1)
    record = AuditRecord.objects.get(action="project.create")
    assert record.after["name"] == project.name and record.region_code == world.v1.code


def test_create_refuses_beneficiaries_from_elsewhere(world):
    from tests.factories import register

    elsewhere = register(world.v3, "B-1", members=1)
    with pytest.raises(ValidationFailed, match="B-1"):
        make_project(world.v1, beneficiaries=[elsewhere])


def test_no_performance_target_no_entry(world):
    project = make_project(world.v1, performance_target="")
    s.notice_record(
        actor=ACTOR,
        project=project,
        kind="before_entry",
        start=D(2018, 11, 5),
        end=D(2018, 11, 12),
        place="公示栏",
    )
    with pytest.raises(ValidationFailed, match="绩效目标"):
        advance(project, "in_library", D(2018, 11, 20))


def test_entry_needs_a_notice_ended_before(world):
    project = make_project(world.v1)
    with pytest.raises(ValidationFailed, match="公示"):
        advance(project, "in_library", D(2018, 11, 20))
    s.notice_record(
        actor=ACTOR,
        project=project,
        kind="before_entry",
        start=D(2018, 11, 15),
        end=D(2018, 11, 22),
        place="公示栏",
    )
    with pytest.raises(ValidationFailed, match="公示"):
        advance(project, "in_library", D(2018, 11, 20))  # the notice has not ended yet
    advance(project, "in_library", D(2018, 11, 22))
    assert Project.objects.get(pk=project.pk).stage == "in_library"


def test_stages_move_one_step_forward_and_never_back_in_time(world):
    project = make_project(world.v1)
    with pytest.raises(Conflict, match="下一阶段只能是"):
        advance(project, "applied", D(2018, 12, 1))
    to_library(project)
    with pytest.raises(ValidationFailed, match="早于上一阶段"):
        advance(project, "applied", D(2018, 11, 1))
    with pytest.raises(ValidationFailed, match="未来"):
        advance(project, "applied", D(2099, 1, 1))


def test_apply_needs_a_budget(world):
    project = make_project(world.v1, budget="0")
    to_library(project)
    with pytest.raises(ValidationFailed, match="概算"):
        advance(project, "applied", D(2018, 12, 1))


def test_approval_needs_its_document(world):
    project = make_project(world.v1)
    to_library(project)
    advance(project, "applied", D(2018, 12, 1))
    with pytest.raises(ValidationFailed, match="文号"):
        advance(project, "approved", D(2019, 1, 10))


def test_work_starts_only_with_money_allocated(world):
    project = make_project(world.v1)
    to_library(project)
    advance(project, "applied", D(2018, 12, 1))
    advance(project, "approved", D(2019, 1, 10), "文1")
    s.allocation_add(
        actor=ACTOR, project=project, year=2019, source="central", amount="1000", date=D(2019, 3, 5)
    )
    with pytest.raises(ValidationFailed, match="资金尚未下达"):
        advance(project, "under_way", D(2019, 3, 1))
    advance(project, "under_way", D(2019, 3, 5))


def test_acceptance_needs_every_milestone_done(world):
    project = make_project(world.v1)
    to_under_way(project)
    step = s.milestone_add(
        actor=ACTOR,
        project=project,
        name="施工建设",
        owner="王工",
        start=D(2019, 3, 1),
        due=D(2019, 8, 31),
    )
    with pytest.raises(ValidationFailed, match="施工建设"):
        advance(project, "accepted", D(2019, 9, 10))
    s.milestone_complete(actor=ACTOR, milestone=step, done_on=D(2019, 9, 12))
    with pytest.raises(ValidationFailed, match="施工建设"):
        advance(project, "accepted", D(2019, 9, 10))  # done after that date
    advance(project, "accepted", D(2019, 9, 12))
    with pytest.raises(Conflict, match="已于"):
        s.milestone_complete(actor=ACTOR, milestone=step, done_on=D(2019, 9, 13))


def test_evaluation_needs_the_announcement_and_handover_names_the_receiver(world):
    project = make_project(world.v1)
    to_under_way(project)
    advance(project, "accepted", D(2019, 9, 1))
    with pytest.raises(ValidationFailed, match="公告"):
        advance(project, "evaluated", D(2019, 9, 20))
    s.notice_record(
        actor=ACTOR,
        project=project,
        kind="after_acceptance",
        start=D(2019, 9, 2),
        end=D(2019, 9, 9),
        place="村公示栏",
    )
    advance(project, "evaluated", D(2019, 9, 20))
    with pytest.raises(ValidationFailed, match="接收单位"):
        advance(project, "handed_over", D(2019, 10, 1))
    advance(project, "handed_over", D(2019, 10, 1), "城西村股份经济合作社")
    with pytest.raises(Conflict):
        advance(project, "handed_over", D(2019, 10, 2))
    stages = list(project.stage_records.order_by("date").values_list("stage", flat=True))
    assert stages == [
        "planned",
        "in_library",
        "applied",
        "approved",
        "under_way",
        "accepted",
        "evaluated",
        "handed_over",
    ]
    assert (
        AuditRecord.objects.filter(action="project.stage", object_id=str(project.pk)).count() == 7
    )


def test_payments_need_approval_and_stay_within_allocations(world):
    project = make_project(world.v1)
    to_library(project)
    advance(project, "applied", D(2018, 12, 1))
    with pytest.raises(ValidationFailed, match="批复前"):
        s.disbursement_add(
            actor=ACTOR, project=project, amount="10", date=D(2018, 12, 5), payee="某公司"
        )
    to_approve = advance(project, "approved", D(2019, 1, 10), "文1")
    assert to_approve.stage == "approved"
    s.allocation_add(
        actor=ACTOR, project=project, year=2019, source="county", amount="1000", date=D(2019, 2, 1)
    )
    with pytest.raises(ValidationFailed, match="超出已下达资金"):
        s.disbursement_add(
            actor=ACTOR, project=project, amount="10", date=D(2019, 1, 20), payee="某公司"
        )  # nothing allocated yet on that day
    s.disbursement_add(actor=ACTOR, project=project, amount="600", date=D(2019, 2, 5), payee="甲")
    with pytest.raises(ValidationFailed, match="超出已下达资金"):
        s.disbursement_add(
            actor=ACTOR, project=project, amount="400.01", date=D(2019, 2, 6), payee="甲"
        )
    with pytest.raises(ValidationFailed, match="大于0"):
        s.disbursement_add(actor=ACTOR, project=project, amount="0", date=D(2019, 2, 6), payee="甲")


def test_expenditure_rate_between_payments_and_transfers_do_not_count(world):
    a = make_project(world.v1)
    b = make_project(world.v3, "临溪村安全饮水工程")
    to_under_way(a, ("county", "100000"))
    to_under_way(b, ("central", "300000"))
    s.allocation_add(
        actor=ACTOR, project=a, year=2019, source="provincial", amount="100000", date=D(2019, 4, 1)
    )
    s.disbursement_add(actor=ACTOR, project=a, amount="50000", date=D(2019, 4, 10), payee="甲")
    s.disbursement_add(actor=ACTOR, project=b, amount="120000", date=D(2019, 5, 20), payee="乙")
    # Transferred to a department's account but not paid out: not spent.
    s.disbursement_add(
        actor=ACTOR,
        project=b,
        kind="transfer",
        amount="100000",
        date=D(2019, 5, 1),
        payee="县水利局",
    )

    def on(date, region=world.county):
        return project_figures(region, date)

    march = on(D(2019, 3, 31))
    assert march["funds_allocated"] == Decimal("400000.00")
    assert march["funds_disbursed"] == 0 and march["expenditure_rate"] == 0
    april = on(D(2019, 4, 30))  # between the payments
    assert april["funds_allocated"] == Decimal("500000.00")
    assert april["funds_disbursed"] == Decimal("50000.00")
    assert april["expenditure_rate"] == pytest.approx(0.1)
    may = on(D(2019, 5, 19))  # the transfer is made, the payment not yet
    assert may["funds_disbursed"] == Decimal("50000.00")
    june = on(D(2019, 6, 1))
    assert june["funds_disbursed"] == Decimal("170000.00")
    assert june["expenditure_rate"] == pytest.approx(0.34)
    assert on(D(2019, 6, 1), world.huayang)["expenditure_rate"] == pytest.approx(0.25)
    assert on(D(2019, 6, 1), world.linxi)["expenditure_rate"] == pytest.approx(0.4)
    assert on(D(2020, 6, 1))["funds_allocated"] == 0  # the date's year: 2020 has none
    by_source = {r["key"]: r for r in funds_by(world.county, D(2019, 6, 1), "source")}
    assert by_source["central"]["disbursed"] == Decimal("120000.00")
    assert by_source["county"]["disbursed"] == Decimal("25000.00")  # half of a's allocation
    by_township = {r["key"]: r for r in funds_by(world.county, D(2019, 6, 1), "township")}
    assert by_township[world.huayang.code]["rate"] == pytest.approx(0.25)
    by_programme = funds_by(world.county, D(2019, 6, 1), "programme")
    assert [r["key"] for r in by_programme] == ["infrastructure"]


def test_daily_report_rules(world):
    project = make_project(world.v1)
    with pytest.raises(ValidationFailed, match="实施中"):
        s.report_file(actor=ACTOR, project=project, date=D(2019, 3, 2), progress=5, work="开工")
    to_under_way(project)
    report = s.report_file(
        actor=ACTOR, project=project, date=D(2019, 3, 2), progress=5, work="开工", problems="雨"
    )
    assert report.author_name == "胡建华"
    with pytest.raises(Conflict, match="已填报"):
        s.report_file(actor=ACTOR, project=project, date=D(2019, 3, 2), progress=6, work="再报")
    with pytest.raises(ValidationFailed, match="0到100"):
        s.report_file(actor=ACTOR, project=project, date=D(2019, 3, 3), progress=101, work="x")
    with pytest.raises(ValidationFailed, match="不能为空"):
        s.report_file(actor=ACTOR, project=project, date=D(2019, 3, 3), progress=10, work=" ")


def test_writes_check_the_actors_role(world):
    project = make_project(world.v1)
    cadre = personas.cadre(world.v1)
    outsider = personas.cadre(world.v3, username="other")
    with pytest.raises(Forbidden):  # a village cadre reads and reports, does not plan
        make_project(world.v1, actor=cadre)
    with pytest.raises(Forbidden):
        s.notice_record(
            actor=outsider,
            project=project,
            kind="before_entry",
            start=D(2018, 11, 1),
            end=D(2018, 11, 8),
            place="x",
        )
    to_under_way(project)
    with pytest.raises(Forbidden):
        s.report_file(actor=outsider, project=project, date=D(2019, 3, 2), progress=1, work="x")
    # A person files within the back-dating limit: today (the project is still under way).
    s.report_file(actor=cadre, project=project, date=timezone.localdate(), progress=1, work="x")
