"""Registry workbooks for tests, written with openpyxl as a user's Excel would."""

import datetime as dt
import io

from openpyxl import Workbook, load_workbook

from battlemap.registry.workbook import COLUMNS, EVENT_COLUMNS
from tests.factories import V1, V2, id_number

HEADERS = [c.header for c in COLUMNS]


def person(number="HH1", relation="户主", name="张三", ident=None, **cells) -> dict:
    row = {
        "村级区划代码": V1,
        "户编号": number,
        "与户主关系": relation,
        "姓名": name,
        "证件号码": ident or id_number(),
        "识别日期": dt.date(2014, 10, 15),
        "脱贫日期": None,
        "主要致贫原因": "因病",
        "健康状况": "健康",
        "劳动能力": "普通劳动力",
    }
    row.update(cells)
    return row


def sample() -> list[dict]:
    """Two households: HH1 (head, spouse, child) poor; HH2 (head, mother) exited in 2017."""
    return [
        person(
            "HH1", "户主", "张三", 联系电话="13800000001", 家庭年人均纯收入=3200.5, 收入年度=2019
        ),
        person(
            "HH1", "配偶", "李梅", 联系电话="13800000001", 家庭年人均纯收入=3200.5, 收入年度=2019
        ),
        person(
            "HH1",
            "之子",
            "张小",
            联系电话="13800000001",
            家庭年人均纯收入=3200.5,
            收入年度=2019,
            成员加入日期=dt.date(2016, 3, 1),
        ),
        person(
            "HH2",
            "户主",
            "王五",
            村级区划代码=V2,
            脱贫日期=dt.date(2017, 12, 1),
            主要致贫原因="因残",
            其他致贫原因="缺资金、缺技术",
        ),
        person(
            "HH2",
            "之母",
            "赵六",
            村级区划代码=V2,
            脱贫日期=dt.date(2017, 12, 1),
            主要致贫原因="因残",
            其他致贫原因="缺资金、缺技术",
            成员减少日期=dt.date(2019, 2, 1),
            减少原因="死亡",
        ),
    ]


def workbook(
    rows: list[dict], events: list[list] = (), headers: list[str] | None = None, sheet="人员"
) -> bytes:
    headers = headers or HEADERS
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    if events:
        es = wb.create_sheet("户状态变更")
        es.append(EVENT_COLUMNS)
        for event in events:
            es.append(event)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read(content: bytes, **options):
    return load_workbook(io.BytesIO(content), **options)


def person_sheet_as_csv(content: bytes, encoding: str) -> bytes:
    """The person sheet of a workbook saved as CSV the way an office suite does it: the
    one sheet only, dates as written in the cell (yyyy-mm-dd), numbers as shown."""
    import csv

    ws = load_workbook(io.BytesIO(content), read_only=True)["人员"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in ws.iter_rows(values_only=True):
        writer.writerow(
            [
                ""
                if value is None
                else value.date().isoformat()
                if isinstance(value, dt.datetime)
                else value.isoformat()
                if isinstance(value, dt.date)
                else value
                for value in row
            ]
        )
    return out.getvalue().encode(encoding)
