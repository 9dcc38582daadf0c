"""Personal id numbers (số định danh cá nhân: 12 digits) never reach the audit table or a log line.

``scrub`` cleans a value before it is stored as audit details; ``PersonalIdLogFilter`` masks every log record's
message, arguments and traceback text. It is installed on the handlers in ``LOGGING``, on gunicorn's access and error
loggers (``portal/gunicorn_conf.py``) and on the handlers Celery gives its task logger (``portal/celery.py``).
"""

import logging
import re
from typing import Any

MASK = "************"
# A run of 12 or more digits: a personal id on its own, or glued to other digits.
DIGIT_RUN = re.compile(r"[0-9]{12,}")
# Field names that hold a personal id whatever their value looks like (ours, the national portal's claim, the
# usual Vietnamese abbreviations).
SECRET_FIELDS = frozenset({"personal_id", "sodinhdanh", "so_dinh_danh", "cccd", "cmnd", "id_number"})

MAX_STRING = 300
MAX_ITEMS = 50
MAX_DEPTH = 4


def mask_text(text: str) -> str:
    return DIGIT_RUN.sub(MASK, text)


def _is_secret_field(name: object) -> bool:
    return isinstance(name, str) and name.lower().replace("-", "_") in SECRET_FIELDS


def scrub(value: Any, *, depth: int = 0) -> Any:
    """A JSON-ready copy of ``value`` with personal ids masked, strings and collections cut to a small size."""
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, int):
        return MASK if DIGIT_RUN.search(str(value)) else value
    if isinstance(value, str):
        return mask_text(value[:MAX_STRING])
    if depth >= MAX_DEPTH:
        return "…"
    if isinstance(value, dict):
        return {
            mask_text(str(key))[:100]: MASK if _is_secret_field(key) else scrub(item, depth=depth + 1)
            for key, item in list(value.items())[:MAX_ITEMS]
        }
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [scrub(item, depth=depth + 1) for item in list(items)[:MAX_ITEMS]]
    return mask_text(str(value)[:MAX_STRING])


class PersonalIdLogFilter(logging.Filter):
    """Masks digit runs that may be personal ids in a record's message and traceback; never drops a record.

    The record is changed in place, so handlers that run after this one (and the test suite's capture) see it masked.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: keep its text, masked, rather than unmasked arguments
            message = mask_text(str(record.msg))
            record.msg, record.args = message, None
        else:
            if DIGIT_RUN.search(message):
                record.msg, record.args = mask_text(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and DIGIT_RUN.search(record.exc_text):
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info and DIGIT_RUN.search(record.stack_info):
            record.stack_info = mask_text(record.stack_info)
        return True


def mask_handlers(logger: logging.Logger) -> None:
    """Puts the filter on each of ``logger``'s handlers that lacks it (handlers a library configured itself)."""
    for handler in logger.handlers:
        if not any(isinstance(f, PersonalIdLogFilter) for f in handler.filters):
            handler.addFilter(PersonalIdLogFilter())
