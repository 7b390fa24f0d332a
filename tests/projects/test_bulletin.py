"""The daily bulletin on a constructed day: ranking, late milestones with their
responsible persons, reports not filed; the .docx read back; the pages and the command."""

import datetime as dt
import io
from io import StringIO

import docx
import pytest
from django.core.management import call_command
from django.test import Client

from battlemap.board.bulletins import BODY_FONT, TITLE_FONT, bulletin_docx, bulletin_generate
from battlemap.board.models import Bulletin
from battlemap.core.errors import Forbidden
from battlemap.projects import services as s
from tests import personas
from tests.factories import ACTOR, make_county, make_project

from .test_services import to_under_way

pytestmark = pytest.mark.django_db
D = dt.date
DAY = D(2019, 6, 10)


@pytest.fixture
def world():
    w = make_county(population=False)
    # 华阳镇: one project, half its money paid; one step late (due 6-01, not done).
    w.a = make_project(w.v1, "城西村组道硬化工程", responsible_person="胡建华")
    to_under_way(w.a, ("county", "100000"))
    s.disbursement_add(actor=ACTOR, project=w.a, amount="50000", date=D(2019, 5, 1), payee="甲")
    s.milestone_add(
        actor=ACTOR,
        project=w.a,
        name="路基施工",
        owner="王工",
        start=D(2019, 3, 1),
        due=D(2019, 6, 1),
    )
    s.report_file(actor=ACTOR, project=w.a, date=DAY, progress=40, work="浇筑混凝土")
    # 临溪镇: one project, 90 % paid, a step done late (so not late on DAY), no report today.
    w.b = make_project(w.v3, "临溪村安全饮水工程", responsible_person="汪红梅")
    to_under_way(w.b, ("central", "100000"))
    s.disbursement_add(actor=ACTOR, project=w.b, amount="90000", date=D(2019, 5, 2), payee="乙")
    step = s.milestone_add(
        actor=ACTOR,
        project=w.b,
        name="管网铺设",
        owner="李工",
        start=D(2019, 3, 1),
        due=D(2019, 5, 1),
    )
    s.milestone_complete(actor=ACTOR, milestone=step, done_on=D(2019, 5, 20))
    return w


def test_bulletin_content_on_a_constructed_day(world):
    bulletin = bulletin_generate(actor=ACTOR, region=world.county, date=DAY)
    c = bulletin.content
    assert c["figures"]["projects_under_way"] == 2
    assert c["figures"]["funds_disbursed"] == "140000.00"
    assert (c["figures"]["reports_due"], c["figures"]["reports_filed"]) == (2, 1)
    assert [t["name"] for t in c["townships"]] == ["临溪镇", "华阳镇"]  # 90 % before 50 %
    assert [t["rank"] for t in c["townships"]] == [1, 2]
    assert c["late"] == [
        {
            "project": "城西村组道硬化工程",
            "project_id": world.a.pk,
            "place": "城西村",
            "milestone": "路基施工",
            "owner": "王工",
            "responsible_person": "胡建华",
            "responsible_leader": "程国庆",
            "due": "2019-06-01",
            "days_late": 9,
        }
    ]
    assert [(m["project"], m["responsible_person"]) for m in c["missing"]] == [
        ("临溪村安全饮水工程", "汪红梅")
    ]
    # On 5-10 the step of 临溪 was late (done 5-20): a past day reads as it stood.
    earlier = bulletin_generate(actor=ACTOR, region=world.county, date=D(2019, 5, 10))
    assert [m["milestone"] for m in earlier.content["late"]] == ["管网铺设"]


def test_generation_is_idempotent_per_day_and_keeps_past_bulletins(world):
    first = bulletin_generate(actor=ACTOR, region=world.county, date=DAY)
    bulletin_generate(actor=ACTOR, region=world.county, date=DAY - dt.timedelta(days=1))
    s.report_file(actor=ACTOR, project=world.b, date=DAY, progress=70, work="试压")
    again = bulletin_generate(actor=ACTOR, region=world.county, date=DAY)
    assert again.pk == first.pk and again.content["missing"] == []
    assert Bulletin.objects.count() == 2


def test_only_the_command_office_issues_bulletins(world):
    official = personas.cadre(world.huayang, username="official", role="township_official")
    with pytest.raises(Forbidden):
        bulletin_generate(actor=official, region=world.huayang, date=DAY)


def test_docx_reads_back(world):
    bulletin = bulletin_generate(actor=ACTOR, region=world.county, date=DAY)
    document = docx.Document(io.BytesIO(bulletin_docx(bulletin)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "绩溪县扶贫项目日通报（2019-06-10）" in text
    assert "已支付140,000.00元" in text and "资金支出率70%" in text
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["1", "临溪镇", "0/1", "90,000.00", "90%"] in cells
    assert ["城西村组道硬化工程", "路基施工", "王工", "胡建华", "2019-06-01", "9"] in cells
    assert ["临溪村安全饮水工程", "临溪村", "县交通运输局", "汪红梅"] in cells
    normal = document.styles["Normal"].element
    fonts = normal.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")


def test_command_and_pages(world):
    out = StringIO()
    call_command("bulletin", date="2019-06-10", stdout=out)
    assert "逾期节点1个" in out.getvalue() and "未报日报告1个" in out.getvalue()
    bulletin = Bulletin.objects.get()
    admin = personas.county_admin(world.county)
    client = Client()
    client.force_login(admin)
    page = client.get(f"/bulletins/{bulletin.pk}/").content.decode()
    assert "路基施工" in page and "胡建华" in page and "汪红梅" in page
    assert ">90,000.00<" in page  # the page writes money as the .docx does
    response = client.get(f"/bulletins/{bulletin.pk}/docx/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert docx.Document(io.BytesIO(response.content)).paragraphs[0].text.startswith("绩溪县")
    response = client.post(
        "/bulletins/generate/", {"region": world.county.code, "date": "2019-06-11"}
    )
    assert response.status_code == 302 and Bulletin.objects.count() == 2
    official = personas.cadre(world.huayang, username="official", role="township_official")
    client.force_login(official)
    response = client.post(
        "/bulletins/generate/", {"region": world.county.code, "date": "2019-06-11"}
    )
    assert response.status_code == 403


def test_responsible_person_files_the_report_from_the_form(world, settings, today):
    from django.contrib.auth import get_user_model

    # The constructed day is years back: allow back-dating that far for this test.
    settings.BATTLEMAP_REPORT_BACKDATE_DAYS = (today - DAY).days

    owner = get_user_model().objects.create_user("owner")
    world.b.responsible_user = owner
    world.b.save(update_fields=["responsible_user"])
    client = Client()
    client.force_login(owner)
    assert client.get("/projects/").content.decode().count("/projects/") >= 1
    assert client.get(f"/projects/{world.a.pk}/").status_code == 404
    assert client.get(f"/api/v1/projects/{world.a.pk}/").status_code == 404
    response = client.post(
        f"/projects/{world.b.pk}/report/",
        {
            "date": "2019-06-10",
            "progress": "70",
            "work": "管网试压",
            "amount_paid": "",
            "problems": "",
        },
    )
    assert response.status_code == 302
    report = world.b.reports.get(date=DAY)
    assert report.author == owner and report.progress == 70
    again = client.post(
        f"/projects/{world.b.pk}/report/",
        {"date": "2019-06-10", "progress": "71", "work": "再报", "amount_paid": "", "problems": ""},
    )
    assert "已填报" in again.content.decode()
    detail = client.get(f"/projects/{world.b.pk}/?date=2019-06-10").content.decode()
    assert "管网试压" in detail and 'id="gantt-chart"' in detail


def test_the_worker_generates_the_bulletin_at_the_configured_time(world, settings):
    from battlemap.jobs.models import Job
    from battlemap.jobs.schedule import SCHEDULES, fire_due
    from battlemap.jobs.services import run_job

    settings.BATTLEMAP_BULLETIN_TIME = "18:00"
    assert "bulletin" in SCHEDULES
    early = dt.datetime(2019, 6, 10, 17, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert "bulletin" not in fire_due(early)
    assert not Bulletin.objects.exists()
    late = dt.datetime(2019, 6, 10, 18, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert "bulletin" in fire_due(late)
    # The schedule only queues a job (it never waits behind an import); a slot runs it.
    job = Job.objects.get(kind="bulletins")
    assert job.params == {"date": "2019-06-10"} and not Bulletin.objects.exists()
    assert run_job(job.pk).state == Job.State.SUCCEEDED
    bulletin = Bulletin.objects.get()
    assert (bulletin.date, bulletin.region_id, bulletin.generated_by) == (
        DAY,
        world.county.code,
        "job:bulletin",
    )
    assert "bulletin" not in fire_due(late)  # once a day


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _soffice_pdf(docx_bytes: bytes, tmp_path) -> bytes:
    """The .docx printed to PDF by LibreOffice, with its own throwaway profile."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
        )
    source = tmp_path / "bulletin.docx"
    source.write_bytes(docx_bytes)
    subprocess.run(  # noqa: S603
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (tmp_path / "bulletin.pdf").read_bytes()


def _pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's size in points, read from the page objects LibreOffice writes."""
    import re

    pages = re.findall(rb"/Type\s*/Page\b(?!s)[^>]*?/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    if not pages:  # the media box may come before the type
        pages = re.findall(
            rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\][^>]*?/Type\s*/Page\b(?!s)", pdf
        )
    return [(float(w), float(h)) for w, h in pages]


def test_the_docx_is_an_official_document_after_gb_t_9704(world, tmp_path):
    from docx.shared import Length

    bulletin = bulletin_generate(actor=ACTOR, region=world.county, date=DAY)
    content = bulletin_docx(bulletin)
    document = docx.Document(io.BytesIO(content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    assert round(Length(section.page_width - section.left_margin - section.right_margin).mm) == 156
    assert round(Length(section.page_height - section.top_margin - section.bottom_margin).mm) == 225
    # 红头: the office in red, the document number, a red rule; the title; the body.
    paragraphs = [p for p in document.paragraphs if p.text]
    office, number, title = paragraphs[:3]
    assert office.text == "绩溪县脱贫攻坚指挥部办公室"
    assert str(office.runs[0].font.color.rgb) == "FF0000"
    assert number.text == "绩脱贫指〔2019〕1号"
    assert number._element.pPr.find(f"{W}pBdr/{W}bottom").get(f"{W}color") == "FF0000"
    assert title.text == "绩溪县扶贫项目日通报（2019-06-10）"
    fonts = title.runs[0]._element.rPr.rFonts
    assert fonts.get(f"{W}eastAsia") in TITLE_FONT  # 小标宋, or the fallback this machine has
    body = paragraphs[3]
    assert body.runs[0].font.size.pt == 16
    assert body.runs[0]._element.rPr.rFonts.get(f"{W}eastAsia") in BODY_FONT
    assert "资金支出率70%" in body.text  # rounded as the page rounds
    # Theme fonts would override the names: none left in the styles.
    assert "Theme=" not in document.styles.element.xml
    footer = "".join(p._element.xml for p in section.footer.paragraphs)
    assert "PAGE" in footer and "— " in section.footer.paragraphs[0].text
    props = document.core_properties
    assert props.author == "绩溪县脱贫攻坚指挥部办公室"
    assert props.created.date() == bulletin.generated_at.date()
    with __import__("zipfile").ZipFile(io.BytesIO(content)) as parts:
        assert not [n for n in parts.namelist() if b"python-docx" in parts.read(n)]

    pdf = _soffice_pdf(content, tmp_path)
    pages = _pdf_pages(pdf)
    assert pages, "no page objects found in the PDF"
    # A4 is 595.3 x 841.9 points; US Letter would be 612 x 792.
    assert all(abs(w - 595.3) < 1 and abs(h - 841.9) < 1 for w, h in pages), pages
    # The header, three short tables and the signature: more than one page, fewer than four.
    assert 1 < len(pages) < 4, len(pages)
    if out := __import__("os").environ.get("BULLETIN_PDF_DIR"):
        (__import__("pathlib").Path(out) / "bulletin.pdf").write_bytes(pdf)
        (__import__("pathlib").Path(out) / "bulletin.docx").write_bytes(content)
