"""No personal number in clear in a log line: a filter for every handler that writes one.

A safety net, not the rule: pages and the API keep full ID numbers out of URLs (the
household search posts), but a request line can still carry one (an old bookmark, a
client that puts it in a query string), and access logs are kept, copied and read by
people who may not see the registry. The filter masks 18-character resident ID numbers
and 11-digit mobile numbers the way the pages do (3418**********1234, 138****5678).
`mask_personal_numbers` serves any other log format too (gunicorn's access log).
"""

import logging
import re

from .crypto import mask_id_number, mask_phone

# Not part of a longer run of letters or digits (a household number, a hash, a token);
# right after a URL escape (%20 for a space typed before the number) counts as a start.
_START = r"(?:(?<=%[0-9A-Fa-f]{2})|(?<![0-9A-Za-z]))"
_ID_NUMBER = re.compile(_START + r"\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE = re.compile(_START + r"1[3-9]\d{9}(?![0-9A-Za-z])")


def mask_personal_numbers(text: str) -> str:
    """`text` with every ID number and mobile number in it masked."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group(0)), text)


class MaskPersonalNumbers(logging.Filter):
    """Masks the personal numbers of a record's message (logging config: "()" this class)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed record: logging reports it as it would have
        masked = mask_personal_numbers(message)
        if masked != message:
            # The message is final now: no arguments left for a later %-formatting.
            record.msg, record.args = masked, ()
        return True
