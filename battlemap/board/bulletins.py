"""The daily bulletin (日通报): generated from the records for a region and a date, kept.

`bulletin_generate` is idempotent per region and date: generating again replaces the
content with what the records say now, and past bulletins stay. `bulletin_docx` renders
a kept bulletin as a Word document fit to send as an official notice.
"""

# Over 400 lines: the daily bulletin's content and its Word file laid out after GB/T 9704
# (page, red header, fonts, tables, page numbers); the layout is most of it.

import datetime as dt
import functools
import io
import subprocess
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from battlemap.audit.services import SystemActor, audit_record
from battlemap.board.actions import ISSUE_BULLETIN
from battlemap.core.errors import ValidationFailed
from battlemap.core.scoping import require_action
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
    # Whole percent, rounded as the page's {% widthratio rate 1 100 %} rounds.
    return "—" if value is None else f"{round(float(value) * 100)}%"


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


# The bulletin's figures (content["figures"]) in words, for the audit trail.
FIGURE_LABELS = {
    "projects_planned": gettext_lazy("年度计划项目"),
    "projects_completed": gettext_lazy("已竣工"),
    "projects_under_way": gettext_lazy("在建"),
    "funds_allocated": gettext_lazy("下达专项资金（元）"),
    "funds_disbursed": gettext_lazy("已支付（元）"),
    "expenditure_rate": gettext_lazy("资金支出率"),
    "reports_due": gettext_lazy("应报日报告"),
    "reports_filed": gettext_lazy("已报日报告"),
}


def figures_shown(figures, reader=None) -> str:
    """A bulletin's figures as 年度计划项目：160；… (money and rates as on the page)."""
    if not isinstance(figures, dict):
        return str(figures)
    parts = []
    for key, value in figures.items():
        if key == "expenditure_rate":
            value = _pct(value)
        elif key.startswith("funds_"):
            value = _yuan(Decimal(value))
        parts.append(f"{FIGURE_LABELS.get(key, key)}：{value}")
    return "；".join(parts)


def bulletin_content(region: Region, date: dt.date) -> dict:  # scoped: figures of a region the caller checked
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
def bulletin_generate(*, actor, region: Region, date: dt.date) -> Bulletin:  # scoped: a service: require_action on the region first
    """Generate (or regenerate) the region's bulletin for a date; earlier ones are kept."""
    require_action(actor, ISSUE_BULLETIN, region)
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


# Fonts of a government document (GB/T 9704), each followed by its fallbacks, ending with
# the Noto CJK fonts a Linux server has. A .docx names one font per slot (LibreOffice
# reads neither "a;b" lists nor the fonts table's altName): the first of a list that
# this machine has is named in every w:rFonts (never via the theme, which would win),
# and the fonts table gives Word the standard font as its alternative name.
TITLE_FONT = ("方正小标宋简体", "方正小标宋_GBK", "华文中宋", "宋体", "Noto Serif CJK SC")
BODY_FONT = ("仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC")
HEADING_FONT = ("黑体", "SimHei", "Noto Sans CJK SC")
NUMBER_FONT = ("宋体", "SimSun", "Noto Serif CJK SC")
RED = "FF0000"
# Sizes by their Chinese names: 初号 42pt, 小初 36, 二号 22, 三号 16, 四号 14, 小四 12.
SIZE_OFFICE, SIZE_TITLE, SIZE_BODY, SIZE_PAGE, SIZE_TABLE = 36, 22, 16, 14, 12
# 22 lines of 28 characters on the 156 x 225 mm type area.
LINE_PT = 28.9


def office_name(region_name: str) -> str:
    """The issuing office (发文机关) of a region's bulletins."""
    return _("%(r)s脱贫攻坚指挥部办公室") % {"r": region_name}


def document_number(bulletin: Bulletin) -> str:  # scoped: a count of the county's bulletins for the document number
    """The document number (发文字号): the region's short name, the year in 〔〕, and the
    bulletin's place among the region's bulletins of that year, e.g. 绩脱贫指〔2019〕3号."""
    n = Bulletin.objects.filter(
        region_id=bulletin.region_id,
        date__year=bulletin.date.year,
        date__lte=bulletin.date,
    ).count()
    return _("%(a)s脱贫指〔%(y)d〕%(n)d号") % {
        "a": bulletin.content["region"]["name"][:1],
        "y": bulletin.date.year,
        "n": max(n, 1),
    }


@functools.cache
def _installed_fonts() -> frozenset[str]:
    """Families with Chinese glyphs on this machine (fontconfig); none when it is absent."""
    try:
        listing = subprocess.run(
            ["fc-list", ":lang=zh", "family"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(name.strip() for line in listing.splitlines() for name in line.split(","))


def _font(fonts: tuple[str, ...]) -> str:
    """The first of `fonts` installed here, else the standard one (for the reader's Word)."""
    installed = _installed_fonts()
    return next((name for name in fonts if name in installed), fonts[0])


def _set_fonts(rpr, fonts: tuple[str, ...]) -> None:
    """Name the font in every slot of w:rFonts and drop theme fonts, which win over names."""
    from docx.oxml.ns import qn

    element = rpr.find(qn("w:rFonts"))
    if element is None:
        element = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, element)
    for attr in list(element.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del element.attrib[attr]
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        element.set(qn(f"w:{slot}"), _font(fonts))


def _run(paragraph, text: str, fonts, size: float, *, color: str | None = None, bold=False):
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    _set_fonts(run._element.get_or_add_rPr(), fonts)
    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return run


def _paragraph(doc_or_part, *, align=None, indent_chars: float = 0, line=LINE_PT, before=0):
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    paragraph = doc_or_part.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line)
    if indent_chars:
        fmt.first_line_indent = Pt(SIZE_BODY * indent_chars)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _font_table(doc) -> None:
    """Declare each font named, with the standard one as its alternative and its script."""
    from docx.oxml.ns import qn

    part = next(
        p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"
    )
    from docx.oxml import parse_xml

    table = parse_xml(part.blob)
    for fonts, family in (
        (TITLE_FONT, "roman"),
        (BODY_FONT, "modern"),
        (HEADING_FONT, "modern"),
        (NUMBER_FONT, "auto"),
    ):
        name = _font(fonts)
        font = table.makeelement(qn("w:font"), {qn("w:name"): name})
        alt = font.makeelement(
            qn("w:altName"), {qn("w:val"): fonts[0] if name != fonts[0] else fonts[1]}
        )
        charset = font.makeelement(qn("w:charset"), {qn("w:val"): "86"})  # GB2312
        kind = font.makeelement(qn("w:family"), {qn("w:val"): family})
        font.extend([alt, charset, kind])
        table.append(font)
    from lxml import etree

    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _strip_theme_fonts(doc) -> None:
    """The template's styles point at theme fonts (minorEastAsia…): remove every one, in
    styles.xml and in the Word 2010 copy, so the fonts named on the text apply."""
    import re

    from docx.oxml.ns import qn

    for rfonts in doc.styles.element.iter(qn("w:rFonts")):
        for attr in list(rfonts.attrib):
            if attr.lower().endswith("theme"):
                del rfonts.attrib[attr]
    for part in doc.part.package.iter_parts():
        if str(part.partname) == "/word/stylesWithEffects.xml":
            part._blob = re.sub(rb' w:(ascii|hAnsi|eastAsia|cs)[Tt]heme="[^"]*"', b"", part.blob)


def _page_number(paragraph) -> None:
    """— N — in 四号 宋体 (GB/T 9704 7.5)."""
    from docx.oxml.ns import qn

    _run(paragraph, "— ", NUMBER_FONT, SIZE_PAGE)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        run = _run(paragraph, "", NUMBER_FONT, SIZE_PAGE)
        if kind:
            run._element.append(
                run._element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
            )
        elif text == " PAGE ":
            instr = run._element.makeelement(qn("w:instrText"), {})
            instr.text = text
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run._element.append(instr)
        else:
            run.text = text
    end = _run(paragraph, "", NUMBER_FONT, SIZE_PAGE)
    end._element.append(end._element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "end"}))
    _run(paragraph, " —", NUMBER_FONT, SIZE_PAGE)


def _red_rule(paragraph) -> None:
    """The red separating line under the document number, as wide as the type area."""
    from docx.oxml.ns import qn

    ppr = paragraph._element.get_or_add_pPr()
    borders = ppr.makeelement(qn("w:pBdr"), {})
    bottom = borders.makeelement(
        qn("w:bottom"),
        {qn("w:val"): "single", qn("w:sz"): "12", qn("w:space"): "11", qn("w:color"): RED},
    )
    borders.append(bottom)
    ppr.append(borders)


def _page_setup(doc) -> None:
    """A4 with the margins of GB/T 9704 (type area 156 x 225 mm); page numbers right on
    odd pages, left on even ones, one character in from the edge of the type area."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(21)
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.left_indent = fmt.right_indent = Pt(SIZE_PAGE)
        _page_number(paragraph)


def _properties(doc, bulletin: Bulletin, office: str) -> None:
    """Who made it and when: the office and the day the bulletin was generated."""
    props = doc.core_properties
    when = bulletin.generated_at.astimezone(dt.UTC).replace(tzinfo=None)
    props.author = props.last_modified_by = office
    props.title = bulletin_title(bulletin)
    props.subject = _("扶贫项目日通报")
    props.comments = props.keywords = props.category = ""
    props.created = props.modified = when
    props.revision = 1
    props.language = "zh-CN"


def bulletin_docx(bulletin: Bulletin) -> bytes:
    """The bulletin as a Word document laid out after GB/T 9704 (党政机关公文格式): A4,
    the red header line of the issuing office with its document number, the title in
    小标宋, the body in 三号仿宋, page numbers — N —."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    c = bulletin.content
    office = office_name(c["region"]["name"])
    doc = Document()
    _strip_theme_fonts(doc)
    normal = doc.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.font.size = Pt(SIZE_BODY)
    lang = normal.element.get_or_add_rPr().makeelement(
        qn("w:lang"), {qn("w:val"): "zh-CN", qn("w:eastAsia"): "zh-CN"}
    )
    normal.element.get_or_add_rPr().append(lang)
    _font_table(doc)
    _page_setup(doc)
    # The body of the template's first paragraph-less document: drop its empty paragraph.
    for element in list(doc.element.body):
        if element.tag == qn("w:p"):
            doc.element.body.remove(element)
    center = WD_ALIGN_PARAGRAPH.CENTER

    # 红头: the office 35 mm below the top of the type area, in red 小标宋.
    # As large as 小初 allows while the name stays on one line of the 442 pt type area.
    size = min(SIZE_OFFICE, 440 // len(office))
    header = _paragraph(doc, align=center, line=size * 1.25, before=35 * 72 / 25.4 - 12)
    _run(header, office, TITLE_FONT, size, color=RED, bold=_font(TITLE_FONT) != TITLE_FONT[0])
    _paragraph(doc)
    _paragraph(doc)  # two blank lines, then the document number
    number = _paragraph(doc, align=center)
    _run(number, document_number(bulletin), BODY_FONT, SIZE_BODY)
    _red_rule(number)
    _paragraph(doc)
    _paragraph(doc)  # two blank lines under the rule, then the title in 二号小标宋
    title = _paragraph(doc, align=center, line=LINE_PT * 1.2)
    # Where no 小标宋 is installed, the fallback serif in bold comes closest to it.
    _run(
        title,
        bulletin_title(bulletin),
        TITLE_FONT,
        SIZE_TITLE,
        bold=_font(TITLE_FONT) != TITLE_FONT[0],
    )
    _paragraph(doc)
    for text in bulletin_paragraphs(bulletin):
        _run(_paragraph(doc, indent_chars=2), text, BODY_FONT, SIZE_BODY)

    def heading(text: str) -> None:
        # Level-one headings of the body: 三号黑体, indented like the text.
        paragraph = _paragraph(doc, indent_chars=2)
        paragraph.paragraph_format.keep_with_next = True  # never alone at a page's foot
        _run(paragraph, text, HEADING_FONT, SIZE_BODY)

    heading(_("一、各乡镇排名（按资金支出率、项目进度）"))
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

    heading(_("二、逾期未完成的节点"))
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
        _run(_paragraph(doc, indent_chars=2), _("无。"), BODY_FONT, SIZE_BODY)

    heading(_("三、未报日报告的项目"))
    if c["missing"]:
        rows = [
            [m["project"], m["place"], m["responsible_unit"], m["responsible_person"]]
            for m in c["missing"]
        ]
        _table(doc, [_("项目"), _("地点"), _("责任单位"), _("责任人")], rows)
    else:
        _run(_paragraph(doc, indent_chars=2), _("无。"), BODY_FONT, SIZE_BODY)

    # The issuing office and the date, right-aligned four characters in (GB/T 9704 7.3.5).
    _paragraph(doc)
    _paragraph(doc)
    for text in (
        office,
        _("%(y)d年%(m)d月%(d)d日")
        % {"y": bulletin.date.year, "m": bulletin.date.month, "d": bulletin.date.day},
    ):
        closing = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.RIGHT)
        closing.paragraph_format.right_indent = Pt(SIZE_BODY * 4)
        _run(closing, text, BODY_FONT, SIZE_BODY)
    _properties(doc, bulletin, office)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    """A ruled table in 小四: the heading row in 黑体, the cells in 仿宋."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = 1  # centred in the type area

    def fill(cell, text, fonts):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = 0
        _run(paragraph, text, fonts, SIZE_TABLE)

    def keep_together(row):
        # A row never splits across pages.
        trpr = row._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:cantSplit"), {}))

    for cell, text in zip(table.rows[0].cells, header, strict=True):
        fill(cell, text, HEADING_FONT)
    keep_together(table.rows[0])
    for row in rows:
        new = table.add_row()
        keep_together(new)
        for cell, text in zip(new.cells, row, strict=True):
            fill(cell, text, BODY_FONT)


def bulletins_generate_all(date: dt.date) -> list[Bulletin]:  # scoped: the daily schedule, a system actor
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
