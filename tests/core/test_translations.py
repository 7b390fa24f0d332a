"""The English catalogue: complete, placeholder-safe, compiled, and actually shown."""

import ast
import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from battlemap.core.errors import NotFound, ValidationFailed
from battlemap.core.idnumber import parse_id_number

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# A printf-style conversion with a name: %(n)d, %(t).1f, %(name)s ...
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file (no plural forms in this project): context, msgid, msgstr, flags."""
    entries, entry, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry = None
            continue
        entry = entry or {
            "msgctxt": "",
            "msgid": "",
            "msgstr": "",
            "flags": set(),
            "obsolete": False,
        }
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith(('msgctxt "', 'msgid "', 'msgstr "')):
            key, _sep, literal = line.partition(" ")
            entry[key] = ast.literal_eval(literal)
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            raise AssertionError(f"unexpected line in {path.name}: {line!r}")
    return entries


@pytest.fixture(scope="module")
def po_entries():
    entries = read_po(LC_MESSAGES / "django.po")
    header = [e for e in entries if e["msgid"] == ""]
    assert header and "Language: en" in header[0]["msgstr"]
    return [e for e in entries if e["msgid"] != ""]


def test_every_entry_is_translated_and_not_fuzzy(po_entries):
    assert len(po_entries) > 100
    untranslated = [e["msgid"] for e in po_entries if not e["msgstr"].strip()]
    fuzzy = [e["msgid"] for e in po_entries if "fuzzy" in e["flags"]]
    obsolete = [e["msgid"] for e in po_entries if e["obsolete"]]
    assert untranslated == []
    assert fuzzy == []
    assert obsolete == []


def test_translations_keep_every_placeholder(po_entries):
    wrong = [
        (e["msgid"], e["msgstr"])
        for e in po_entries
        if sorted(PLACEHOLDER.findall(e["msgid"])) != sorted(PLACEHOLDER.findall(e["msgstr"]))
    ]
    assert wrong == []


def test_translations_are_english(po_entries):
    # Chinese may remain only in quotes, naming data the user must type: the sheet “区划”,
    # the column “户编号”, the value “是”.
    allowed = re.compile(r"“[^”]*”")
    chinese = [e["msgstr"] for e in po_entries if CJK.search(allowed.sub("", e["msgstr"]))]
    assert chinese == []


def test_compiled_catalogue_matches_the_po(po_entries):
    with open(LC_MESSAGES / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    stale = [
        e["msgid"]
        for e in po_entries
        if (
            catalogue.pgettext(e["msgctxt"], e["msgid"])
            if e["msgctxt"]
            else catalogue.gettext(e["msgid"])
        )
        != e["msgstr"]
    ]
    assert stale == [], "django.mo is out of date: run scripts/messages.sh"


class VisibleText(HTMLParser):
    """Text a person sees: no script/style, no language-switcher buttons (each names its
    language in that language, e.g. 简体中文, so it can be found from any UI language)."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"input", "meta", "link", "br", "img"}:
            return
        hidden = tag in {"script", "style"} or dict(attrs).get("name") == "language"
        self.stack.append((tag, hidden or any(h for _t, h in self.stack)))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip() and not any(hidden for _tag, hidden in self.stack):
            self.chunks.append(data.strip())


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.chunks)


@pytest.fixture
def english_client(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_login_page_in_english(english_client):
    response = english_client.get("/login/")
    assert response["Content-Language"] == "en"
    text = visible_text(response.content.decode())
    for words in ("Battlemap", "Username", "Password", "Log in"):
        assert words in text
    assert not CJK.search(text), text


@pytest.mark.django_db
def test_login_error_in_english(english_client):
    response = english_client.post("/login/", {"username": "nobody", "password": "wrong"})
    text = visible_text(response.content.decode())
    assert "Incorrect username or password" in text
    assert not CJK.search(text), text


@pytest.mark.django_db
def test_login_page_stays_chinese_by_default(client):
    text = visible_text(client.get("/login/").content.decode())
    assert "用户名" in text and "登录" in text
    assert "Username" not in text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", "The ID number is empty."),
        ("1101051949123100", "The ID number must have 18 characters; this one has 16."),
        ("110105194912310021", "the last character should be X"),
    ],
)
def test_id_number_errors_in_english(raw, expected):
    with translation.override("en"):
        with pytest.raises(ValidationFailed) as caught:
            parse_id_number(raw)
        message = str(caught.value)  # a lazy message is rendered now, in English
    assert expected in message
    assert not CJK.search(message), message


def test_id_number_errors_in_chinese_by_default():
    with translation.override(settings.LANGUAGE_CODE), pytest.raises(ValidationFailed) as caught:
        parse_id_number("")
    assert str(caught.value) == "证件号码为空。"


def test_default_error_message_follows_the_language_at_display_time():
    error = NotFound()
    with translation.override("en"):
        assert str(error) == "The object does not exist or you do not have access to it."
    with translation.override("zh-hans"):
        assert str(error) == "对象不存在或无权访问。"
