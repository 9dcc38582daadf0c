"""A request id for every request: on ``request.request_id``, on the response's ``X-Request-ID`` header, on every log
record made while the request is handled (``RequestIdLogFilter``) and on the audit events it writes.

A sane id from the proxy in front (``X-Request-ID``: at most 64 characters of letters, digits, ``-``, ``_``, ``.``) is
kept, so one id follows the request through the proxy's logs and ours; anything else is replaced by a new one.
"""

import logging
import re
import uuid
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")

_current: ContextVar[str] = ContextVar("portal_request_id", default="")


def current_request_id() -> str:
    """The id of the request being handled in this thread or task, or ""."""
    return _current.get()


def request_id_for(incoming: str | None) -> str:
    if incoming and _SANE.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_for(request.headers.get(HEADER))
        token = _current.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Adds ``request_id`` to every record ("-" outside a request), for the log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            # django.request logs 4xx/5xx after the middleware has returned, with the request on the record.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or _current.get() or "-"
        return True
