"""The audit trail in words: after a small scenario written as the demo writes it, the
page shows no raw code (field names, choice values, object types, action codes,
`command:demo`), in Chinese and in English; objects are named and linked; the filters
are drop-downs; bulletins name their system author in words."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from battlemap.audit.models import AuditRecord
from battlemap.board.bulletins import bulletin_generate
from battlemap.demo.loader import create_project_owner
from battlemap.projects import services as s
from battlemap.regions.commands import command_actor
from battlemap.regions.services import poor_village_set
from tests import personas
from tests.factories import make_county, make_project, register

pytestmark = pytest.mark.django_db
D = dt.date
DEMO = command_actor("demo")


class _Text(HTMLParser):
    """The text a person reads (not tags, attributes, scripts or styles)."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.fixture
def scenario():
    w = make_county(actor=DEMO)
    poor_village_set(
        actor=DEMO, village=w.v1, identified_on=D(2014, 6, 30), exited_on=D(2018, 12, 1)
    )
    household = register(w.v1, "H1", actor=DEMO)
    owner = create_project_owner(actor=DEMO)
    project = make_project(
        w.v1, actor=DEMO, beneficiaries=[household], responsible_user=owner, programme="industry"
    )
    s.notice_record(
        actor=DEMO,
        project=project,
        kind="before_entry",
        start=D(2018, 11, 5),
        end=D(2018, 11, 12),
        place="村公示栏",
    )
    for stage, day in (("in_library", D(2018, 11, 20)), ("applied", D(2018, 12, 1))):
        s.project_stage_advance(actor=DEMO, project=project, stage=stage, date=day, document="")
    s.project_stage_advance(
        actor=DEMO,
        project=project,
        stage="approved",
        date=D(2019, 1, 10),
        document="绩扶项〔2019〕1号",
    )
    s.allocation_add(
        actor=DEMO,
        project=project,
        year=2019,
        source="central",
        amount="100000",
        date=D(2019, 1, 20),
    )
    s.project_stage_advance(
        actor=DEMO, project=project, stage="under_way", date=D(2019, 3, 1), document=""
    )
    s.disbursement_add(
        actor=DEMO, project=project, kind="payment", amount="50000", date=D(2019, 5, 1), payee="甲"
    )
    step = s.milestone_add(
        actor=DEMO,
        project=project,
        name="路基施工",
        owner="王工",
        start=D(2019, 3, 1),
        due=D(2019, 6, 1),
    )
    s.milestone_complete(actor=DEMO, milestone=step, done_on=D(2019, 5, 20))
    bulletin = bulletin_generate(actor=DEMO, region=w.county, date=D(2019, 6, 10))
    w.household, w.project, w.bulletin, w.owner = household, project, bulletin, owner
    w.admin = personas.county_admin(w.county)
    return w


def _choice_values() -> set[str]:
    from django.apps import apps

    return {
        str(value)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.choices
        for value, _label in field.flatchoices
        if isinstance(value, str) and re.fullmatch(r"[a-z_]{3,}", value)
    }


CHOICE_VALUES = _choice_values()


def raw_codes(records) -> set[str]:
    """Every code a record holds: action, object type, actor, snapshot keys, and each
    value that is a choice of some model field (payment, handed_over, industry…)."""
    choice_values = CHOICE_VALUES
    codes = set()
    for r in records:
        codes |= {r.action, r.object_type, r.actor_label}
        for state in (r.before, r.after):
            if isinstance(state, dict):
                codes |= set(state)
                for value in state.values():
                    values = value if isinstance(value, list) else [value]
                    codes |= {v for v in values if isinstance(v, str) and v in choice_values}
                    if isinstance(value, dict):
                        codes |= set(value)
    return codes


def audit_pages(client) -> str:
    pages, number = [], 1
    while True:
        response = client.get("/audit/", {"page": number})
        pages.append(response.content.decode())
        if not response.context["page"].has_next():
            return "\n".join(pages)
        number += 1


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_audit_page_shows_no_raw_code(scenario, language):
    client = Client()
    client.force_login(scenario.admin)
    if language == "en":
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    records = list(AuditRecord.objects.all())
    html = audit_pages(client)
    # The records' table (the site's header shows the reader's login and 'English').
    text = text_of(
        " ".join(
            part.split("</tbody>")[0] for part in html.split('<table class="table audit">')[1:]
        )
    )
    # Usernames are data, not codes.
    codes = raw_codes(records) - {"project_owner"}
    if language == "en":
        # English words say "date" or "village": there, look for the codes no English
        # sentence holds (handed_over, command:demo, projects.project, construction_type).
        codes = {c for c in codes if re.search(r"[_.:]", c)}
    assert {"project.disburse", "handed_over"} & codes or "payment" in codes  # the scenario's codes
    found = sorted(c for c in codes if re.search(rf"(?<![\w.:]){re.escape(c)}(?![\w.:])", text))
    assert not found, [
        (c, re.findall(rf".{{0,40}}(?<![\w.:]){re.escape(c)}(?![\w.:]).{{0,20}}", text)[:2])
        for c in found
    ]
    if language == "zh-hans":
        assert "系统（演示数据）" in text
        assert "支付" in text and "中央" in text and "产业" in text
        # Chinese mode: no English word at all outside the people's data.
        words = set(re.findall(r"[A-Za-z_]{3,}", text)) - {"project_owner", "Excel", "API"}
        assert not words, sorted(words)
    # Objects named and linked: the project, its beneficiary household, the bulletin.
    assert f'href="/projects/{scenario.project.pk}/"' in html
    assert f'href="/households/{scenario.household.pk}/"' in html
    assert f'href="/bulletins/{scenario.bulletin.pk}/">绩溪县 2019-06-10<' in html


def test_the_filters_are_drop_downs_in_words(scenario):
    client = Client()
    client.force_login(scenario.admin)
    html = client.get("/audit/").content.decode()
    assert '<select name="action"' in html and ">支付项目资金<" in html
    assert '<select name="object_type"' in html and ">扶贫项目<" in html
    assert '<select name="region"' in html and "华阳镇" in html and "城西村" in html
    assert "registry.household" not in text_of(html)
    # The API keeps its codes and an action's group.
    data = client.get("/api/v1/audit/", {"action": "project"}).json()
    assert data["count"] == AuditRecord.objects.filter(action__startswith="project.").count()
    official = personas.cadre(scenario.linxi, username="linxi", role="township_official")
    client.force_login(official)
    regions = client.get("/audit/").content.decode()
    assert "临溪村" in regions and "城西村" not in regions


def test_bulletins_name_their_system_author_in_words(scenario):
    client = Client()
    client.force_login(scenario.admin)
    listing = text_of(client.get("/bulletins/").content.decode())
    page = text_of(client.get(f"/bulletins/{scenario.bulletin.pk}/").content.decode())
    for text in (listing, page):
        assert "系统（演示数据）" in text and "command:demo" not in text


def test_the_action_and_region_filters_start_empty(county):
    """A drop-down without an empty first choice shows, and submits, its first value."""
    from django.test import Client

    from tests import personas

    client = Client()
    client.force_login(personas.county_admin(county.county))
    html = client.get("/audit/").content.decode()
    for name in ("action", "region"):
        select = html[html.index(f'<select name="{name}"') :]
        first = select[select.index("<option") : select.index("</option>")]
        assert 'value=""' in first, (name, first)
