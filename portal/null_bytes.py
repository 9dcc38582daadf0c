"""Requests carrying a NUL byte in their address, query or form fields are refused (400) before any view runs.

No person types one; PostgreSQL refuses it in text, and every view would have to guard each value it passes on. The
forms already refuse it in their fields (Django's ``ProhibitNullCharactersValidator``); this covers the rest: query
parameters read directly, path segments, field names. Uploaded files are not looked at (binary content is theirs).
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

NUL = "\x00"


def _carries_nul(request: HttpRequest) -> bool:
    if (
        NUL in request.path
        or NUL in request.META.get("QUERY_STRING", "")
        or "%00" in request.META.get("QUERY_STRING", "")
    ):
        return True
    if any(NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists()):
        return True
    if request.method == "POST" and request.content_type in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        return any(
            NUL in key or any(NUL in value for value in values) for key, values in request.POST.lists()
        )
    return False


class NullByteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            message = _("Yêu cầu chưa hợp lệ: có ký tự rỗng (NUL), không được phép.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponse(loader.get_template("400.html").render({"message": message}), status=400)
        return self.get_response(request)
