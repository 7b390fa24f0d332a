"""Registry import in headless Chromium: a bad workbook gives the summary and the error
report; the corrected one runs as a background job whose progress bar finishes with the
counts. The worker is a real `db_worker` loop in a thread, as `battlemap worker` runs it."""

import io
import os
import threading
from pathlib import Path

import pytest
from openpyxl import load_workbook

from battlemap.accounts.models import Role
from battlemap.accounts.services import user_ensure
from battlemap.registry.models import Household, Person
from tests.exchange.workbooks import sample, workbook
from tests.factories import ACTOR, make_county

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class WorkerThread:
    def __init__(self):
        from django_tasks_db.management.commands.db_worker import Worker

        self.worker = Worker(
            queue_names=["imports", "default"],  # as `battlemap worker --batch` takes them
            interval=0.2,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="browser-test",
            excluded_queue_names=[],
        )
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        from django.db import connections

        try:
            self.worker.run()
        finally:
            connections.close_all()  # this thread's: the test database can then be dropped

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.worker.running = False
        self.thread.join(timeout=10)


def opened(download):
    return load_workbook(io.BytesIO(Path(download.path()).read_bytes()))


def upload(page, live_server, content: bytes, name: str) -> None:
    page.goto(live_server.url + "/exchange/registry/import/")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": content}],
    )
    page.click("#upload button[type=submit]")
    page.wait_for_url("**/jobs/*/")


def test_upload_bad_then_fixed_workbook(page, live_server, tmp_path):
    county = make_county()
    user_ensure(
        actor=ACTOR,
        username="huayang",
        password="pw-12345678",
        role=Role.TOWNSHIP_OFFICIAL,
        region=county.huayang,
    )
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", "huayang")
    page.fill("input[name=password]", "pw-12345678")
    page.click(".login button[type=submit]")
    page.wait_for_url("**/map/**")
    page.click("text=Excel导入")
    page.wait_for_url("**/exchange/registry/import/")
    with page.expect_download() as template:
        page.click("text=下载模板")
    assert opened(template.value).sheetnames[0] == "人员"
    assert template.value.suggested_filename == "建档立卡人员表模板.xlsx"

    rows = sample()
    rows[1]["证件号码"] = "110105194912310021"  # wrong check digit
    rows[3]["健康状况"] = "良好"
    upload(page, live_server, workbook(rows), "华阳镇.xlsx")
    # Queued until a worker takes it: the page says so and shows the bar.
    assert page.locator("#job[data-state=queued] progress").count() == 1
    with WorkerThread():
        page.wait_for_selector("#job[data-state=failed]", timeout=30_000)
    text = page.inner_text("#job")
    assert "文件有2处错误，未导入任何数据" in text
    assert "证件号码无效" in text and "不在代码表中" in text
    assert "工作表“人员” 第3行 列“证件号码”" in text
    with page.expect_download() as report:
        page.click("text=下载错误报告")
    assert report.value.suggested_filename == "华阳镇-错误报告.xlsx"
    wb = opened(report.value)
    assert wb.sheetnames[0] == "导入结果"
    headers = [c.value for c in wb["人员"][1]]
    assert "健康状况：" in wb["人员"].cell(5, headers.index("错误说明") + 1).value
    assert Household.objects.count() == 0

    upload(page, live_server, workbook(sample()), "华阳镇.xlsx")
    assert page.locator("#job progress").count() == 1
    with WorkerThread():
        page.wait_for_selector("#job[data-state=succeeded]", timeout=30_000)
    text = page.inner_text("#job")
    assert "导入完成" in text
    summary = dict(
        row.split("\t") for row in page.locator("#job table.summary tr").all_inner_texts()
    )
    assert summary["新登记户"] == "2" and summary["新增成员"] == "5"
    assert page.locator("#job progress").count() == 0
    assert (Household.objects.count(), Person.objects.count()) == (2, 5)
    if os.environ.get("BATTLEMAP_SCREENSHOTS"):
        folder = Path(os.environ["BATTLEMAP_SCREENSHOTS"])
        page.screenshot(path=str(folder / "import.png"), full_page=True)

    # The household list offers the export of the same workbook.
    page.goto(live_server.url + "/map/341824100000/households/")
    page.click("#registry-export")
    page.wait_for_url("**/jobs/*/")
    with WorkerThread():
        page.wait_for_selector("#job[data-state=succeeded]", timeout=30_000)
    with page.expect_download() as exported:
        page.click("#job ul.files a")
    wb = opened(exported.value)
    assert wb["人员"].max_row == 6
