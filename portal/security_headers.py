"""Response headers that tell the browser what a page may do, beyond Django's own (``SecurityMiddleware``).

The Content-Security-Policy is Django's (its middleware, given ``site_policy``: ``SECURE_CSP`` with the national
sign-on's origins added to ``form-action``, read from the OIDC settings as they are when the response leaves): pages
run only the site's own script files and load only its own styles, images (and ``data:`` images, the QR codes), fonts
and fragments. No page has an inline script, an inline event handler or a ``style`` attribute, so no nonce is needed,
and pages kept in the cache stay valid. Three kinds of response carry a policy of their own:

- file downloads: ``default-src 'none'; sandbox`` (``dossiers/views/files.py``);
- the agency page that other websites embed: the site's policy without ``frame-ancestors`` (``embeddable``);
- the self-contained 500 page: its own ``<style>`` allowed by hash (``inline_styles_allowed``).

``PermissionsPolicyMiddleware`` turns off the device features no page of the portal uses.
"""

import base64
import hashlib
import re
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware import csp
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


def provider_origins() -> list[str]:
    """The outside origins that forms end at: linking an identity is a form posted here and redirected to the national
    sign-on's authorisation endpoint, signing out one redirected to its end-session endpoint, and paying a fee one
    redirected to the national payment platform's page (``PAYMENT_BASE_URL``)."""
    endpoints = (
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        settings.OIDC_OP_LOGOUT_ENDPOINT,
        getattr(settings, "PAYMENT_BASE_URL", ""),
    )
    parts = [urlsplit(endpoint) for endpoint in endpoints if endpoint]
    return sorted({f"{p.scheme}://{p.netloc}" for p in parts if p.scheme in ("http", "https") and p.netloc})


def site_policy() -> dict:
    """``SECURE_CSP``, forms allowed to end at the national sign-on and the payment platform too."""
    policy = dict(settings.SECURE_CSP)
    form_action = list(policy.get("form-action", [CSP.SELF]))
    policy["form-action"] = form_action + [o for o in provider_origins() if o not in form_action]
    return policy


class ContentSecurityPolicyMiddleware(csp.ContentSecurityPolicyMiddleware):
    """Django's, with ``site_policy`` for every response that brings no policy of its own."""

    def process_response(self, request, response):
        if not hasattr(response, "_csp_config"):
            response._csp_config = site_policy()
        return super().process_response(request, response)


def embeddable_policy() -> dict:
    """The site's policy for a page any website may show in a frame (as its missing X-Frame-Options says)."""
    return {key: value for key, value in site_policy().items() if key != "frame-ancestors"}


def embeddable(view):
    """A view whose pages any website may frame: no ``frame-ancestors``; everything else as on the site."""

    @wraps(view)
    def embeddable_view(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response._csp_config = embeddable_policy()
        return response

    return embeddable_view


def inline_styles_allowed(response: HttpResponse) -> HttpResponse:
    """Let exactly the ``<style>`` elements of this rendered page apply, by their SHA-256 hashes: for a page that
    must not depend on anything else (the 500 page, shown when the static files may be the problem)."""
    hashes = [
        f"'sha256-{base64.b64encode(hashlib.sha256(style).digest()).decode()}'"
        for style in _STYLE_ELEMENT.findall(response.content)
    ]
    response._csp_config = {**site_policy(), "style-src": [CSP.SELF, *hashes]}
    return response
