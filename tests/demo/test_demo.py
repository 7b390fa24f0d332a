"""The demo county reproduces the seed article's figures (reference table rows 1–7)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from battlemap.audit.models import AuditRecord
from battlemap.regions.models import Region, RegionPopulation
from battlemap.registry.models import Household, Person

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            call_command("demo", stdout=StringIO())
            yield
            transaction.set_rollback(True)


def stats(code: str, date: str) -> dict:
    out = StringIO()
    call_command("stats", region=code, date=date, format="json", stdout=out)
    return json.loads(out.getvalue())


def test_2014_figures(demo):
    figures = stats("341824", "2014-12-31")
    assert figures["households_poor"] == 5307
    assert figures["persons_poor"] == 10100
    assert round(figures["poverty_incidence"] * 100, 1) == 7.1


def test_november_2019_figures(demo):
    figures = stats("341824", "2019-11-30")
    assert (figures["households_poor"], figures["persons_poor"]) == (11, 28)
    assert round(figures["poverty_incidence"] * 100, 2) == 0.02
    assert figures["rural_population"] == 119000


def test_poor_villages_all_exited_by_end_of_2019(demo):
    assert stats("341824", "2019-12-31")["poor_villages_exited"] == 26
    assert stats("341824", "2019-12-31")["poor_villages"] == 26
    before = stats("341824", "2014-12-31")
    assert (before["poor_villages"], before["poor_villages_exited"]) == (26, 0)


def test_population_2019(demo):
    county = Region.objects.get(code="341824000000")
    rows = RegionPopulation.objects.filter(region__code__startswith="341824", year=2019)
    assert sum(r.registered for r in rows) == 175000
    assert sum(r.rural for r in rows) == 119000
    assert county.children.count() == 12


def test_townships_add_up_to_the_county(demo):
    county = stats("341824", "2016-06-30")
    townships = [
        stats(code, "2016-06-30")
        for code in Region.objects.filter(level="township").values_list("code", flat=True)
    ]
    for key in (
        "households_registered",
        "persons_registered",
        "households_poor",
        "persons_poor",
        "rural_population",
        "poor_villages",
    ):
        assert sum(t[key] for t in townships) == county[key], key


def test_history_has_relapses_removals_and_member_changes(demo):
    kinds = set(Household.objects.values_list("events__kind", flat=True))
    assert kinds == {"identified", "exited", "relapsed", "newly_identified", "removed"}
    assert Person.objects.filter(left_on__isnull=False).exists()
    assert Person.objects.filter(joined_on__isnull=False).exists()


def test_demo_writes_are_audited_as_the_command(demo):
    labels = set(AuditRecord.objects.values_list("actor_label", flat=True))
    assert "command:demo" in labels


def test_demo_refuses_a_database_that_holds_data(demo):
    with pytest.raises(CommandError, match="已有数据"):
        call_command("demo", stdout=StringIO())
    out = StringIO()
    call_command("demo", if_empty=True, stdout=out)
    assert "跳过" in out.getvalue()


def test_demo_logins_one_per_role_all_with_the_demo_password(demo):
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from battlemap.accounts.models import Role

    expected = {
        "county_admin": (Role.COUNTY_ADMIN, "341824000000"),
        "leader": (Role.LEADER, "341824000000"),
        "inspector": (Role.INSPECTOR, "341824000000"),
        "dept_civil": (Role.DEPARTMENT, "341824000000"),
        "township_huayang": (Role.TOWNSHIP_OFFICIAL, "341824100000"),
        "township_linxi": (Role.TOWNSHIP_OFFICIAL, "341824101000"),
        "village_cadre": (Role.VILLAGE_CADRE, "341824100201"),
    }
    users = get_user_model().objects.filter(username__in=expected)
    assert {u.username for u in users} == set(expected)
    for user in users:
        assert not user.is_superuser  # a role holder, scoped by the role
        assert user.check_password(settings.DEMO_PASSWORD)
        assignment = user.role_assignments.get()
        assert (assignment.role, assignment.region_id) == expected[user.username]
    assert users.get(username="county_admin").is_staff
    client = Client()
    assert client.login(username="village_cadre", password=settings.DEMO_PASSWORD)
    assert client.get("/")["Location"] == "/map/341824100201/"
    assert client.get("/map/341824100000/").status_code == 404
    out = StringIO()
    call_command("demo_logins", stdout=out)
    for username in expected:
        assert username in out.getvalue()
    assert "华阳镇" in out.getvalue() and settings.DEMO_PASSWORD in out.getvalue()


def test_2019_projects_and_funds(demo):
    """Rows 16–20: 160 of 160 projects completed, 33,130,000 元 allocated (14,820,000 元
    county budget), 32,067,700 元 paid out, 96.79 %."""
    from decimal import Decimal

    from battlemap.projects.models import Allocation

    figures = stats("341824", "2019-12-31")
    assert (figures["projects_planned"], figures["projects_completed"]) == (160, 160)
    assert figures["funds_allocated"] == "33130000.00"
    assert figures["funds_disbursed"] == "32067700.00"
    assert round(figures["expenditure_rate"] * 100, 2) == 96.79
    county = Allocation.objects.filter(year=2019, source="county").values_list("amount", flat=True)
    assert sum(county, Decimal(0)) == Decimal("14820000.00")
    # Along the year: fewer completed, less paid; 2020 has no projects of its own.
    mid = stats("341824", "2019-06-30")
    assert mid["projects_planned"] == 160 and 0 < mid["projects_completed"] < 160
    assert Decimal(mid["funds_disbursed"]) < Decimal(figures["funds_disbursed"])
    assert stats("341824", "2020-03-01")["projects_planned"] == 0


def test_demo_project_owner_sees_their_projects_only(demo):
    from django.conf import settings
    from django.test import Client

    from battlemap.projects.models import Project

    client = Client()
    assert client.login(username="project_owner", password=settings.DEMO_PASSWORD)
    assert client.get("/")["Location"] == "/projects/"
    own = Project.objects.filter(responsible_user__username="project_owner")
    assert own.count() >= 2
    page = client.get("/projects/").content.decode()
    assert all(p.name in page for p in own)
    other = Project.objects.exclude(responsible_user__username="project_owner").first()
    assert client.get(f"/projects/{other.pk}/").status_code == 404
    assert client.get(f"/projects/{own.first().pk}/").status_code == 200
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "project_owner" in out.getvalue()


def test_demo_keeps_the_2019_month_end_bulletins(demo):
    from battlemap.board.models import Bulletin

    dates = [b.date.isoformat() for b in Bulletin.objects.order_by("date")]
    assert dates[0] == "2019-01-31" and dates[-1] == "2019-12-31" and len(dates) == 12
    december = Bulletin.objects.get(date="2019-12-31").content["figures"]
    assert december["funds_disbursed"] == "32067700.00"
    assert december["projects_completed"] == 160
    assert any(b.content["late"] for b in Bulletin.objects.all())  # late steps along the year


def test_export_then_import_is_a_no_op_for_every_demo_project(demo):
    """The demo has twins (same name, year and place); the project number tells them apart."""
    from collections import Counter

    from django.contrib.auth import get_user_model

    from battlemap.projects.models import Project
    from battlemap.projects.workbook import projects_export, projects_import

    twins = Counter(Project.objects.values_list("year", "region_id", "name"))
    assert max(twins.values()) > 1
    admin = get_user_model().objects.get(username="county_admin")
    _name, content = projects_export(admin, "341824000000")
    outcome = projects_import(actor=admin, content=content, filename="库.xlsx")
    assert (outcome.created, outcome.unchanged) == (0, Project.objects.count())
    numbers = Counter(
        (region[:6], year, number)
        for region, year, number in Project.objects.values_list("region_id", "year", "number")
    )
    assert max(numbers.values()) == 1


def test_project_owner_files_a_report_on_day_one(demo):
    """The demo gains projects of this year under way today; the responsible person's
    login files today's report on one of them."""
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from battlemap.projects.models import Project
    from battlemap.projects.services import stage_on

    today = timezone.localdate()
    running = [
        p for p in Project.objects.filter(year=today.year) if stage_on(p, today) == "under_way"
    ]
    assert len(running) >= 2
    assert all(not p.reports.filter(date__gte=today).exists() for p in running)
    own = next(
        p for p in running if p.responsible_user and p.responsible_user.username == "project_owner"
    )
    client = Client()
    assert client.login(username="project_owner", password=settings.DEMO_PASSWORD)
    page = client.get(f"/projects/{own.pk}/").content.decode()
    assert f"/projects/{own.pk}/report/" in page
    response = client.post(
        f"/projects/{own.pk}/report/",
        {
            "date": today.isoformat(),
            "progress": "50",
            "work": "路基施工",
            "amount_paid": "",
            "problems": "",
        },
        follow=True,
    )
    assert "日报告已提交" in response.content.decode()
    assert own.reports.get(date=today).author.username == "project_owner"


def test_the_projects_under_way_are_dated_from_the_day_and_deterministic(demo):
    import datetime as dt

    from battlemap.demo.builder import read_divisions
    from battlemap.demo.projects import generate_current_projects

    by_village: dict[str, list[str]] = {}
    for village, number in Household.objects.values_list("village_id", "number"):
        by_village.setdefault(village, []).append(number)
    day = dt.date(2031, 5, 20)
    plans = generate_current_projects(20191130, read_divisions(), by_village, day)
    assert plans == generate_current_projects(20191130, read_divisions(), by_village, day)
    assert all(plan.year == 2031 for plan in plans)
    for plan in plans:
        started = dict((s, d) for s, d, _doc in plan.stages)["under_way"]
        assert started < day < plan.planned_end
        assert all(d < day for d, *_rest in plan.reports)
    later = generate_current_projects(
        20191130, read_divisions(), by_village, day + dt.timedelta(days=1)
    )
    assert later != plans
# The whole county once (GBK, as Chinese Excel saves), one township in UTF-8.
@pytest.mark.parametrize("encoding,code", [("gbk", "341824000000"), ("utf-8", "341824100000")])
def test_the_demo_person_sheet_saved_as_csv_imports_as_a_no_op(demo, encoding, code):
    """The upload page offers CSV: the demo's person sheet re-saved as one, without the
    status sheet, changes nothing (later status events are not read as deleted)."""
    from django.contrib.auth import get_user_model

    from battlemap.registry.models import HouseholdEvent
    from battlemap.registry.workbook_export import registry_export
    from battlemap.registry.workbook_import import registry_import
    from tests.exchange.workbooks import person_sheet_as_csv

    admin = get_user_model().objects.get(username="county_admin")
    content = person_sheet_as_csv(registry_export(admin, code)[1], encoding)
    before = (HouseholdEvent.objects.count(), AuditRecord.objects.count())
    outcome = registry_import(actor=admin, content=content, filename="人员.csv")
    assert not outcome.changed, outcome.summary()
    assert (
        outcome.households
        == Household.objects.filter(
            village__code__startswith=code[: 6 if code.endswith("000000") else 9]
        ).count()
    )
    assert (HouseholdEvent.objects.count(), AuditRecord.objects.count()) == before


def test_the_demo_households_have_a_dated_guarantee_history(demo):
    """A household poor at the end of 2016 reads its guarantees as assessed then (some
    not yet assured), none before it was identified, all assured once it exited."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    from battlemap.registry.models import GuaranteeAssessment
    from battlemap.registry.selectors import guarantees_on

    assert GuaranteeAssessment.objects.count() > 6 * Household.objects.count()
    gaps = GuaranteeAssessment.objects.filter(
        secure=False, date__lte=dt.date(2016, 12, 31), household__events__kind="exited"
    )
    day = dt.date(2016, 12, 31)
    candidates = Household.objects.filter(pk__in=gaps.values("household_id")).order_by("pk")
    household = next(
        h for h in candidates[:500] if not all(a.secure for a in guarantees_on(h, day).values())
    )
    identified = household.events.order_by("date").first().date
    exited = household.events.filter(kind="exited").order_by("-date").first().date
    before = guarantees_on(household, identified - dt.timedelta(days=1))
    assert set(before.values()) == {None}
    then = guarantees_on(household, day)
    assert None not in then.values()
    client = __import__("django.test", fromlist=["Client"]).Client()
    client.force_login(get_user_model().objects.get(username="county_admin"))
    html = client.get(f"/households/{household.pk}/", {"date": day.isoformat()}).content.decode()
    assert "未保障" in html and "评估" in html
    after = guarantees_on(household, exited)
    assert all(a.secure for a in after.values())


def test_export_then_import_is_a_no_op_for_every_demo_household(demo):
    """The county's registry workbook (both sheets) goes back in and changes nothing."""
    from django.contrib.auth import get_user_model

    from battlemap.registry.workbook_export import registry_export
    from battlemap.registry.workbook_import import registry_import

    admin = get_user_model().objects.get(username="county_admin")
    content = registry_export(admin, "341824000000")[1]
    before = AuditRecord.objects.count()
    outcome = registry_import(actor=admin, content=content, filename="绩溪县.xlsx")
    assert not outcome.changed, outcome.summary()
    assert outcome.households == Household.objects.count()
    assert AuditRecord.objects.count() == before
