"""The log filter that masks personal numbers (issue 13, finding 6: the safety net)."""

import io
import logging

import pytest

from battlemap.core.logfilters import MaskPersonalNumbers, mask_personal_numbers
from tests.factories import id_number

ID = id_number(77)
ID_X = "11010519491231002X"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            f"GET /map/1/households/?q={ID} HTTP/1.1",
            f"GET /map/1/households/?q={ID[:4]}**********{ID[-4:]} HTTP/1.1",
        ),
        (f"?q={ID_X.lower()}&page=2", "?q=1101**********002x&page=2"),
        ("/api/v1/households/?q=13812345678", "/api/v1/households/?q=138****5678"),
        (f"a={ID}&b=13912345678", f"a={ID[:4]}**********{ID[-4:]}&b=139****5678"),
        # Not personal numbers: a household number (17 digits), a region code, longer runs,
        # a token, a landline.
        ("/households/?q=34182410020300001", "/households/?q=34182410020300001"),
        ("/map/341824100201/", "/map/341824100201/"),
        ("x=1234567890123456789", "x=1234567890123456789"),
        ("token=a13812345678b", "token=a13812345678b"),
        ("tel=05637123456", "tel=05637123456"),
    ],
)
def test_mask_personal_numbers(text, masked):
    assert mask_personal_numbers(text) == masked


def test_the_filter_masks_the_formatted_message_and_keeps_the_record():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (f"GET /?q={ID} HTTP/1.1", "200", "5"),
        None,
    )
    assert MaskPersonalNumbers().filter(record) is True
    assert record.getMessage() == f'"GET /?q={ID[:4]}**********{ID[-4:]} HTTP/1.1" 200 5'
    plain = logging.LogRecord("x", logging.INFO, __file__, 1, "nothing %s", ("here",), None)
    MaskPersonalNumbers().filter(plain)
    assert (plain.msg, plain.args) == ("nothing %s", ("here",))


def test_runservers_access_log_is_masked_by_the_settings():
    """The django.server handler of settings.LOGGING writes the request line masked; a
    URL-encoded percent sign in it is not taken for a format."""
    (handler,) = [
        h for h in logging.getLogger("django.server").handlers if h.name == "django.server"
    ]
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        logging.getLogger("django.server").info(
            '"%s" %s %s', f"GET /x/?q=%20{ID}%20 HTTP/1.1", "302", "0", extra={"status_code": 302}
        )
    finally:
        handler.setStream(old)
    line = stream.getvalue()
    assert ID not in line and f"q=%20{ID[:4]}**********{ID[-4:]}%20" in line
