"""Refuse a request body larger than any form of the portal accepts before reading it.

The largest thing anyone sends is a dossier's files (``PORTAL_UPLOAD_MAX_DOSSIER_MB``); without this a 2 GB upload
would be read to the end (and spooled to disk) before the form said it was too large. The declared Content-Length is
checked first, so nothing of the body is read; the reverse proxy in front should have the same limit.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

# Form fields, multipart boundaries and headers around the files.
ALLOWANCE_BYTES = 1024 * 1024


def request_size_limit() -> int:
    return settings.PORTAL_UPLOAD_MAX_DOSSIER_MB * 1024 * 1024 + ALLOWANCE_BYTES


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django's own parsing reports a malformed length
        if declared > request_size_limit():
            # Sessions and authentication have not run: the page is rendered for a visitor not yet identified, so
            # that nothing in the site's header reads a user that is not there (a signed-in user got a 500).
            request.user = AnonymousUser()
            body = render_to_string(
                "413.html", {"limit_mb": settings.PORTAL_UPLOAD_MAX_DOSSIER_MB}, request=request
            )
            response = HttpResponse(body, status=413)
            response["Connection"] = "close"  # the rest of the body is never read
            return response
        return self.get_response(request)
