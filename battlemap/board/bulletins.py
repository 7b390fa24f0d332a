"""The daily bulletin (日通报): generated from the records for a region and a date, kept.

`bulletin_generate` is idempotent per region and date: generating again replaces the
content with what the records say now, and past bulletins stay. `bulletin_docx` renders
a kept bulletin as a Word document fit to send as an official notice.
"""

import datetime as dt
import io
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from battlemap.accounts.permissions import Action, user_can
from battlemap.audit.services import SystemActor, audit_record
from battlemap.core.errors import Forbidden, ValidationFailed
from battlemap.projects.models import Project
from battlemap.projects.selectors import (
    late_milestones,
    missing_reports,
    project_figures,
    under_way_on,
)
from battlemap.regions.models import Region

from .models import Bulletin


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def bulletin_content(region: Region, date: dt.date) -> dict:
    """What the bulletin says: the day's figures, townships ranked, what is late, who
    did not report. Plain data (JSON), kept as generated."""
    projects = Project.objects.filter(region__code__startswith=region.prefix, year=date.year)
    figures = project_figures(region, date)
    townships = []
    for township in region.children.filter(level="township").order_by("code"):
        f = project_figures(township, date)
        if not f["projects_planned"]:
            continue
        progress = f["projects_completed"] / f["projects_planned"]
        townships.append(
            {
                "code": township.code,
                "name": township.name,
                "planned": f["projects_planned"],
                "completed": f["projects_completed"],
                "progress": progress,
                "allocated": str(f["funds_allocated"]),
                "disbursed": str(f["funds_disbursed"]),
                "rate": f["expenditure_rate"],
            }
        )
    # Best first: expenditure rate, then progress; no money yet ranks last.
    townships.sort(key=lambda t: (t["rate"] is None, -(t["rate"] or 0), -t["progress"], t["code"]))
    for rank, row in enumerate(townships, 1):
        row["rank"] = rank
    late = [
        {
            "project": m.project.name,
            "project_id": m.project_id,
            "place": m.project.region.name,
            "milestone": m.name,
            "owner": m.owner,
            "responsible_person": m.project.responsible_person,
            "responsible_leader": m.project.responsible_leader,
            "due": m.due.isoformat(),
            "days_late": (date - m.due).days,
        }
        for m in late_milestones(projects, date)
    ]
    missing = [
        {
            "project": p.name,
            "project_id": p.pk,
            "place": p.region.name,
            "responsible_person": p.responsible_person,
            "responsible_unit": p.responsible_unit,
        }
        for p in missing_reports(projects, date)
    ]
    running = under_way_on(projects, date)
    return {
        "region": {"code": region.code, "name": region.name},
        "date": date.isoformat(),
        "figures": {
            "projects_planned": figures["projects_planned"],
            "projects_completed": figures["projects_completed"],
            "projects_under_way": len(running),
            "funds_allocated": str(figures["funds_allocated"]),
            "funds_disbursed": str(figures["funds_disbursed"]),
            "expenditure_rate": figures["expenditure_rate"],
            "reports_due": len(running),
            "reports_filed": len(running) - len(missing),
        },
        "townships": townships,
        "late": late,
        "missing": missing,
    }


@transaction.atomic
def bulletin_generate(*, actor, region: Region, date: dt.date) -> Bulletin:
    """Generate (or regenerate) the region's bulletin for a date; earlier ones are kept."""
    if not user_can(actor, Action.ISSUE_BULLETIN, region):
        raise Forbidden()
    if date > timezone.localdate():
        raise ValidationFailed(_("日期在未来，请核对。"), field="date", value=date)
    content = bulletin_content(region, date)
    previous = Bulletin.objects.filter(region=region, date=date).first()
    label = actor.label if isinstance(actor, SystemActor) else actor.get_username()
    bulletin, _created = Bulletin.objects.update_or_create(
        region=region,
        date=date,
        defaults={"content": content, "generated_at": timezone.now(), "generated_by": label},
    )
    audit_record(
        actor=actor,
        action="bulletin.generate",
        obj=bulletin,
        region_code=region.code,
        before=None if previous is None else {"figures": previous.content["figures"]},
        after={"date": date.isoformat(), "figures": content["figures"]},
    )
    return bulletin


def bulletin_title(bulletin: Bulletin) -> str:
    return _("%(r)s扶贫项目日通报（%(d)s）") % {
        "r": bulletin.content["region"]["name"],
        "d": bulletin.date.strftime("%Y-%m-%d"),
    }


def bulletin_paragraphs(bulletin: Bulletin) -> list[str]:
    """The summary paragraph(s), shared by the page and the Word document."""
    f = bulletin.content["figures"]
    return [
        _(
            "截至%(d)s，全%(r)s年度计划项目%(p)d个，已竣工%(c)d个，在建%(u)d个；下达专项资金%(a)s元，"
            "已支付%(s)s元，资金支出率%(rate)s。应报日报告%(due)d份，已报%(filed)d份。"
        )
        % {
            "d": bulletin.date.isoformat(),
            "r": bulletin.content["region"]["name"],
            "p": f["projects_planned"],
            "c": f["projects_completed"],
            "u": f["projects_under_way"],
            "a": _yuan(Decimal(f["funds_allocated"])),
            "s": _yuan(Decimal(f["funds_disbursed"])),
            "rate": _pct(f["expenditure_rate"]),
            "due": f["reports_due"],
            "filed": f["reports_filed"],
        }
    ]


FONT = "SimSun"  # 宋体: what government notices are set in
HEADING_FONT = "SimHei"


def _east_asian(style, name: str) -> None:
    """Set the font for Chinese text (w:eastAsia), which Word ignores in `font.name`."""
    from docx.oxml.ns import qn

    style.font.name = name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def bulletin_docx(bulletin: Bulletin) -> bytes:
    """The bulletin as a Word document (.docx)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    _east_asian(doc.styles["Normal"], FONT)
    doc.styles["Normal"].font.size = Pt(12)
    for name in ("Title", "Heading 1", "Heading 2"):
        _east_asian(doc.styles[name], HEADING_FONT)
    title = doc.add_heading(bulletin_title(bulletin), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in bulletin_paragraphs(bulletin):
        doc.add_paragraph(text)
    c = bulletin.content

    doc.add_heading(_("一、各乡镇排名（按资金支出率、项目进度）"), level=1)
    rows = [
        [
            str(t["rank"]),
            t["name"],
            f"{t['completed']}/{t['planned']}",
            _yuan(Decimal(t["disbursed"])),
            _pct(t["rate"]),
        ]
        for t in c["townships"]
    ]
    _table(doc, [_("名次"), _("乡镇"), _("竣工/计划"), _("已支付（元）"), _("支出率")], rows)

    doc.add_heading(_("二、逾期未完成的节点"), level=1)
    if c["late"]:
        rows = [
            [
                m["project"],
                m["milestone"],
                m["owner"],
                m["responsible_person"],
                m["due"],
                str(m["days_late"]),
            ]
            for m in c["late"]
        ]
        _table(
            doc,
            [_("项目"), _("节点"), _("节点责任人"), _("项目责任人"), _("完成时限"), _("逾期天数")],
            rows,
        )
    else:
        doc.add_paragraph(_("无。"))

    doc.add_heading(_("三、未报日报告的项目"), level=1)
    if c["missing"]:
        rows = [
            [m["project"], m["place"], m["responsible_unit"], m["responsible_person"]]
            for m in c["missing"]
        ]
        _table(doc, [_("项目"), _("地点"), _("责任单位"), _("责任人")], rows)
    else:
        doc.add_paragraph(_("无。"))
    closing = doc.add_paragraph(
        _("%(r)s脱贫攻坚指挥部办公室　%(d)s")
        % {"r": c["region"]["name"], "d": bulletin.date.strftime("%Y-%m-%d")}
    )
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def bulletins_generate_all(date: dt.date) -> list[Bulletin]:
    """Every top region's bulletin for a date (the worker's daily schedule, the command)."""
    actor = SystemActor("job:bulletin")
    return [
        bulletin_generate(actor=actor, region=region, date=date)
        for region in Region.objects.filter(parent__isnull=True).order_by("code")
    ]


def bulletin_time() -> dt.time:
    from django.conf import settings

    return dt.time.fromisoformat(settings.BATTLEMAP_BULLETIN_TIME)


def schedule_bulletins() -> None:
    """`battlemap worker` generates the day's bulletins at BATTLEMAP_BULLETIN_TIME: the
    schedule queues a job, which a slot beside the imports runs (never behind one)."""
    from battlemap.jobs.schedule import daily
    from battlemap.jobs.services import handler, job_start

    @handler("bulletins")
    def run(job, progress) -> dict:
        progress(0, 1, _("生成日通报"))
        made = bulletins_generate_all(dt.date.fromisoformat(job.params["date"]))
        return {"message": _("已生成%(n)d份日通报。") % {"n": len(made)}}

    def start(date: dt.date):
        return job_start(
            owner=None,
            kind="bulletins",
            title=_("生成日通报：%(d)s") % {"d": date.isoformat()},
            params={"date": date.isoformat()},
        )

    daily("bulletin", at=bulletin_time)(start)
