"""A project's battle map in headless Chromium: its Gantt is drawn; its responsible person
files the daily report from the phone form; the command office generates the daily
bulletin and downloads it as Word. Set BATTLEMAP_SCREENSHOTS=docs/screenshots to write
project.png and bulletin.png on the way."""

import datetime as dt
import io
import os
from pathlib import Path

import docx
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from battlemap.accounts.models import Role
from battlemap.accounts.services import user_ensure
from battlemap.projects import services as s
from tests.factories import ACTOR, make_county, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = dt.date
PASSWORD = "pw-12345678"


def screenshot(page, name: str) -> None:
    folder = os.environ.get("BATTLEMAP_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def login(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click(".login button[type=submit]")
    page.wait_for_load_state()


def build():
    county = make_county()
    user_ensure(
        actor=ACTOR,
        username="boss",
        password=PASSWORD,
        role=Role.COUNTY_ADMIN,
        region=county.county,
    )
    owner = user_ensure(
        actor=ACTOR, username="owner", password=PASSWORD, role=None, region=None, full_name="胡建华"
    )
    project = make_project(county.v1, responsible_user=owner, budget="800000")
    s.notice_record(
        actor=ACTOR,
        project=project,
        kind="before_entry",
        start=D(2018, 11, 5),
        end=D(2018, 11, 12),
        place="城西村公示栏",
    )
    s.project_stage_advance(actor=ACTOR, project=project, stage="in_library", date=D(2018, 11, 20))
    s.project_stage_advance(actor=ACTOR, project=project, stage="applied", date=D(2018, 12, 1))
    s.project_stage_advance(
        actor=ACTOR,
        project=project,
        stage="approved",
        date=D(2019, 1, 10),
        document="绩扶项〔2019〕1号",
    )
    for source, amount in (("central", "400000"), ("county", "400000")):
        s.allocation_add(
            actor=ACTOR,
            project=project,
            year=2019,
            source=source,
            amount=amount,
            date=D(2019, 1, 20),
        )
    s.project_stage_advance(actor=ACTOR, project=project, stage="under_way", date=D(2019, 3, 1))
    steps = [
        ("前期准备", "胡建华", D(2019, 3, 1), D(2019, 3, 31), D(2019, 3, 28)),
        ("招标采购", "程股长", D(2019, 4, 1), D(2019, 5, 15), D(2019, 5, 10)),
        ("施工建设", "胡建华", D(2019, 5, 16), D(2019, 9, 30), None),
        ("竣工验收准备", "胡建华", D(2019, 10, 1), D(2019, 10, 31), None),
    ]
    for name, owner_name, start, due, done in steps:
        m = s.milestone_add(
            actor=ACTOR, project=project, name=name, owner=owner_name, start=start, due=due
        )
        if done:
            s.milestone_complete(actor=ACTOR, milestone=m, done_on=done)
    for amount, date in (("200000", D(2019, 4, 20)), ("250000", D(2019, 7, 1))):
        s.disbursement_add(
            actor=ACTOR, project=project, amount=amount, date=date, payee="绩溪建设公司"
        )
    return project


def test_project_gantt_report_and_bulletin(page, live_server):
    project = build()

    # The responsible person opens their project and files today's report on a phone.
    login(page, live_server, "owner")
    assert page.url.endswith("/projects/")
    page.click(f"a[href='/projects/{project.pk}/']")
    page.wait_for_selector("#gantt-chart[data-drawn='4'] canvas")
    assert "逾期" in page.inner_text(".milestones")  # 施工建设 is past its deadline
    page.click(f"a[href='/projects/{project.pk}/report/']")
    page.set_viewport_size({"width": 390, "height": 844})
    page.fill("input[name=progress]", "85")
    page.fill("textarea[name=work]", "完成路面浇筑120米")
    page.fill("textarea[name=problems]", "连续降雨影响养护")
    page.click(".report-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".error, .errorlist").count() == 0, page.inner_text(".report-form")
    page.wait_for_url(f"**/projects/{project.pk}/")
    assert "完成路面浇筑120米" in page.inner_text(".reports")
    report = project.reports.get()
    assert report.date == timezone.localdate() and report.author.username == "owner"
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + f"/projects/{project.pk}/?date=2019-10-15")
    page.wait_for_selector("#gantt-chart[data-drawn='4'] canvas")
    page.wait_for_timeout(300)
    screenshot(page, "project.png")

    # The command office generates the day's bulletin and downloads it as Word.
    page.context.clear_cookies()
    login(page, live_server, "boss")
    page.goto(live_server.url + "/bulletins/")
    page.fill("#bulletin-form input[name=date]", "2019-10-15")
    page.click("#bulletin-form button[type=submit]")
    page.wait_for_selector(".bulletin")
    text = page.inner_text(".bulletin")
    assert "施工建设" in text and "胡建华" in text  # late, with its responsible person
    assert "城西村组道硬化工程" in text  # no report filed on 10-15
    screenshot(page, "bulletin.png")
    with page.expect_download() as info:
        page.click("#bulletin-docx")
    document = docx.Document(io.BytesIO(Path(info.value.path()).read_bytes()))
    texts = [p.text for p in document.paragraphs if p.text]
    # The red header line (the issuing office) comes first, then the number and the title.
    assert texts[0] == "绩溪县脱贫攻坚指挥部办公室"
    assert texts[2] == "绩溪县扶贫项目日通报（2019-10-15）"
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert {"施工建设", "胡建华", "华阳镇"} <= cells
    assert get_user_model().objects.filter(username="owner").exists()

    # The command office marks the late step done from the project's battle map.
    page.goto(live_server.url + f"/projects/{project.pk}/?date=2019-10-20")
    assert page.locator("#project-manage").is_visible()
    row = page.locator(".milestones tr", has_text="施工建设")
    row.locator("input[name=done_on]").fill("2019-10-18")
    row.locator("button[type=submit]").click()
    page.wait_for_selector(".notice")
    page.goto(live_server.url + f"/projects/{project.pk}/?date=2019-10-20")
    page.wait_for_selector("#gantt-chart[data-drawn='4'] canvas")
    assert "逾期" not in page.inner_text(".milestones")
    assert project.milestones.get(name="施工建设").done_on == D(2019, 10, 18)
    screenshot(page, "project-manage.png")
