"""Single sign-on through the national public-service portal (DVCQG, VNeID) over OpenID Connect.

mozilla-django-oidc runs the authorization-code flow: state, nonce and PKCE, a timeout on every call to the provider
(the OIDC section of ``portal/settings.py``). This module adds what the national portal needs:

- ``NationalSSOBackend`` matches users on the provider's issuer and subject, or on the ``TechID`` claim when the
  provider sends it, through ``ExternalIdentity``; never on e-mail. It also checks what the library leaves out of
  the ID token: the audience, the issuer, the expiry.
- ``CLAIM_MAP``: the one place that says which claim fills which profile field and how its value is checked.
- ``SSOAuthenticateView`` and ``SSOCallbackView`` (the library's views, named by ``OIDC_AUTHENTICATE_CLASS`` and
  ``OIDC_CALLBACK_CLASS``): linking an identity to the signed-in user, and one friendly page with a status code
  for every way a callback can fail (stale or replayed state, provider error, bad token, provider down or slow).
- ``logout_url``: RP-initiated logout at the provider (``OIDC_OP_LOGOUT_URL_METHOD``).

Personal id numbers never reach a log line: only claim names and reasons are logged.
"""

from portal.accounts.oidc.backend import NationalSSOBackend
from portal.accounts.oidc.claims import CLAIM_MAP, claims_snapshot, profile_from_claims
from portal.accounts.oidc.failures import BACKEND_PATH, Reason, SSOFailure, sso_configured, sso_failed
from portal.accounts.oidc.views import (
    SSOAuthenticateView,
    SSOCallbackView,
    logout_url,
    provider_logout_url,
    sso_link_start,
)

__all__ = [
    "BACKEND_PATH",
    "CLAIM_MAP",
    "NationalSSOBackend",
    "Reason",
    "SSOAuthenticateView",
    "SSOCallbackView",
    "SSOFailure",
    "claims_snapshot",
    "logout_url",
    "profile_from_claims",
    "provider_logout_url",
    "sso_configured",
    "sso_failed",
    "sso_link_start",
]
