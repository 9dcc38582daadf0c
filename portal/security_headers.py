"""Response headers that tell the browser what a page may do, beyond Django's own (``SecurityMiddleware``).

The Content-Security-Policy itself is Django's (``ContentSecurityPolicyMiddleware`` with ``SECURE_CSP``): pages run
only the site's own script files and load only its own styles, images (and ``data:`` images, the QR codes), fonts and
fragments. No page has an inline script, an inline event handler or a ``style`` attribute, so no nonce is needed, and
pages kept in the cache stay valid. Three kinds of response carry a policy of their own:

- file downloads: ``default-src 'none'; sandbox`` (``dossiers/views/files.py``);
- the agency page that other websites embed: the site's policy without ``frame-ancestors`` (``embeddable_policy``);
- the self-contained 500 page: its own ``<style>`` allowed by hash (``inline_styles_allowed``).

``PermissionsPolicyMiddleware`` turns off the device features no page of the portal uses.
"""

import base64
import hashlib
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.csp import CSP

_STYLE_ELEMENT = re.compile(rb"<style>(.*?)</style>", re.S)


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy: PORTAL_PERMISSIONS_POLICY`` to every response that does not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.PORTAL_PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PORTAL_PERMISSIONS_POLICY
        return response


def embeddable_policy() -> dict:
    """The site's policy for a page any website may show in a frame (as its missing X-Frame-Options says)."""
    return {key: value for key, value in settings.SECURE_CSP.items() if key != "frame-ancestors"}


def inline_styles_allowed(response: HttpResponse) -> HttpResponse:
    """Let exactly the ``<style>`` elements of this rendered page apply, by their SHA-256 hashes: for a page that
    must not depend on anything else (the 500 page, shown when the static files may be the problem)."""
    hashes = [
        f"'sha256-{base64.b64encode(hashlib.sha256(style).digest()).decode()}'"
        for style in _STYLE_ELEMENT.findall(response.content)
    ]
    response._csp_config = {**settings.SECURE_CSP, "style-src": [CSP.SELF, *hashes]}
    return response
