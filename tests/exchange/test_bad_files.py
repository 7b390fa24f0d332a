"""Unreadable, huge and bomb uploads: refused with words before they are read, on the web
(the job page) as on the command line, never "内部错误"."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from battlemap.jobs.models import Job
from battlemap.jobs.services import run_job
from battlemap.registry.models import Household
from tests import personas

from .workbooks import HEADERS, person, workbook


def upload_as_job(client, county, name: str, content: bytes, capture, kind="registry") -> Job:
    from django.contrib.auth import get_user_model

    boss = get_user_model().objects.filter(username="boss").first()
    client.force_login(boss or personas.county_admin(county.county))
    with capture(execute=False):
        response = client.post(
            reverse(f"exchange:{kind}-import"), {"file": SimpleUploadedFile(name, content)}
        )
    assert response.status_code == 302, response.content.decode()[:500]
    return run_job(Job.objects.latest("created_at").pk)


def command_says(tmp_path, name: str, content: bytes, capsys, kind="registry") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        call_command(f"import_{kind}", str(path), "--quiet")
    return capsys.readouterr().err + str(refused.value)


UTF16_CSV = ("\ufeff" + ",".join(HEADERS) + "\n" + "1,2,3\n").encode("utf-16-le")
TEXT_AS_XLSX = "这不是工作簿，只是一段文字。\n".encode()


@pytest.mark.parametrize(
    ("kind", "name", "content", "words"),
    [
        ("registry", "名单.xlsx", TEXT_AS_XLSX, "无法读取文件"),
        ("registry", "人员.csv", UTF16_CSV, "无法识别CSV文件的编码"),
        ("projects", "项目.xlsx", TEXT_AS_XLSX, "无法读取文件"),
    ],
)
def test_an_unreadable_file_says_so_on_the_job_page_as_on_the_command_line(
    county, client, tmp_path, capsys, django_capture_on_commit_callbacks, kind, name, content, words
):
    job = upload_as_job(client, county, name, content, django_capture_on_commit_callbacks, kind)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert job.state == Job.State.FAILED
    assert "内部错误" not in job.message and words in page
    assert words in command_says(tmp_path, name, content, capsys, kind)
    assert not job.result.get("files")  # nothing to download: nothing could be read


def zip_bomb(unzipped_mb: int) -> bytes:
    """A workbook whose sheet unzips to `unzipped_mb` MB of spaces: a few KB on the wire."""
    out = io.BytesIO()
    wb = Workbook()
    wb.active.title = "人员"
    wb.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"<sheetData></sheetData>" in data
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (unzipped_mb << 20))
            target.writestr(item, data)
    return bomb.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_read(
    county, client, tmp_path, capsys, settings, django_capture_on_commit_callbacks
):
    settings.BATTLEMAP_IMPORT_MAX_MB = 5
    bomb = zip_bomb(6)
    assert len(bomb) < 100_000
    job = upload_as_job(client, county, "炸弹.xlsx", bomb, django_capture_on_commit_callbacks)
    assert job.state == Job.State.FAILED, job.message
    assert "内部错误" not in job.message, job.message
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "解压后超过5 MB" in page and "BATTLEMAP_IMPORT_MAX_MB" not in page
    assert "解压后超过5 MB" in command_says(tmp_path, "炸弹.xlsx", bomb, capsys)


def test_a_sheet_of_too_many_rows_is_refused_with_the_limit_named(
    county, client, tmp_path, capsys, settings, django_capture_on_commit_callbacks
):
    settings.BATTLEMAP_IMPORT_MAX_ROWS = 3
    rows = [person(f"HH{i}", name=f"张{i}") for i in range(4)]
    job = upload_as_job(
        client, county, "多.xlsx", workbook(rows), django_capture_on_commit_callbacks
    )
    assert job.state == Job.State.FAILED and "超过3行" in job.result["lines"][0]
    assert "超过3行" in command_says(tmp_path, "多.xlsx", workbook(rows), capsys)
    csv = ("\n".join([",".join(HEADERS)] + ["x"] * 4) + "\n").encode()
    assert "超过3行" in command_says(tmp_path, "多.csv", csv, capsys)
    assert not Household.objects.exists()
    settings.BATTLEMAP_IMPORT_MAX_ROWS = 4  # at the limit: read (and imported)
    job = upload_as_job(
        client, county, "多.xlsx", workbook(rows), django_capture_on_commit_callbacks
    )
    assert job.state == Job.State.SUCCEEDED, job.message
