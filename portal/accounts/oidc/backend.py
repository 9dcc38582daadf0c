"""``NationalSSOBackend``: users matched on the provider's issuer and subject, or on ``TechID``, through
``ExternalIdentity`` (never on e-mail), and the ID-token checks the library leaves out (audience, issuer, expiry)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from portal.accounts import identities
from portal.accounts.backends import ActiveUserMixin
from portal.accounts.oidc.claims import MAX_KEY_LENGTH, claims_snapshot, profile_from_claims
from portal.accounts.oidc.failures import Reason, SSOFailure
from portal.audit import log as audit

# How long the provider's key set is kept (shared cache) before it is fetched again; an unknown kid fetches it sooner.
JWKS_CACHE_SECONDS = 300


@contextmanager
def _provider_call(step: str) -> Iterator[None]:
    """Turn what can go wrong in one HTTP call to the provider into an ``SSOFailure``."""
    try:
        yield
    except requests.Timeout as exc:
        raise SSOFailure(Reason.TIMEOUT, f"{step}: no answer within OIDC_TIMEOUT") from exc
    except requests.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else 0
        # 4xx: the provider refused what we sent (a used or foreign code, a PKCE mismatch), 5xx: it is broken.
        reason = Reason.TOKEN_REJECTED if 400 <= status < 500 else Reason.UNAVAILABLE
        raise SSOFailure(reason, f"{step}: HTTP {status}") from exc
    except requests.RequestException as exc:  # connection refused, reset, invalid JSON…
        raise SSOFailure(Reason.UNAVAILABLE, f"{step}: {type(exc).__name__}") from exc


def _matching_jwk(key_set: dict, header: dict) -> dict | None:
    """The key of ``key_set`` for the token ``header`` (its ``kid``, and its ``alg`` when the key names one), as
    the library matches it."""
    verify_kid, kid = getattr(settings, "OIDC_VERIFY_KID", True), header.get("kid")
    match = None
    for jwk in key_set["keys"]:
        if not isinstance(jwk, dict):
            continue
        if verify_kid and (kid is None or jwk.get("kid") != str(kid)):
            continue
        if "alg" in jwk and jwk["alg"] != str(header.get("alg")):
            continue
        match = jwk
    return match


class NationalSSOBackend(ActiveUserMixin, OIDCAuthenticationBackend):
    """Sign-in through the national portal's OpenID provider, keyed on issuer and subject (or TechID)."""

    def get_token(self, payload):
        with _provider_call("token"):
            token_info = super().get_token(payload)
        if not isinstance(token_info, dict):
            raise SSOFailure(Reason.UNAVAILABLE, "token: the answer is not a JSON object")
        return token_info

    def retrieve_matching_jwk(self, token):
        """The provider's key that signed ``token``, from the key set kept in the cache for ``JWKS_CACHE_SECONDS``
        (the library fetches it on every callback). A ``kid`` the kept set lacks may be a key the provider has
        rotated in since: the set is fetched again, once, before the token is refused."""
        header = jwt.get_unverified_header(token)
        key_set, fresh = cache.get(self._jwks_cache_key()), False
        if key_set is None:
            key_set, fresh = self._jwks_fetch(), True
        key = _matching_jwk(key_set, header)
        if key is None and not fresh:
            key = _matching_jwk(self._jwks_fetch(), header)
        if key is None:
            raise SuspiciousOperation("Could not find a valid JWKS.")
        return jwt.PyJWK(key)

    def _jwks_cache_key(self) -> str:
        return "oidc-jwks:" + hashlib.sha256(self.OIDC_OP_JWKS_ENDPOINT.encode()).hexdigest()

    def _jwks_fetch(self) -> dict:
        with _provider_call("jwks"):
            response = requests.get(
                self.OIDC_OP_JWKS_ENDPOINT,
                verify=self.get_settings("OIDC_VERIFY_SSL", True),
                timeout=self.get_settings("OIDC_TIMEOUT", None),
                proxies=self.get_settings("OIDC_PROXY", None),
            )
            response.raise_for_status()
            key_set = response.json()
        if not (isinstance(key_set, dict) and isinstance(key_set.get("keys"), list)):
            raise SSOFailure(Reason.UNAVAILABLE, "jwks: the answer is not a key set")
        cache.set(self._jwks_cache_key(), key_set, JWKS_CACHE_SECONDS)
        return key_set

    def get_userinfo(self, access_token, id_token, payload):
        with _provider_call("userinfo"):
            return super().get_userinfo(access_token, id_token, payload)

    def verify_token(self, token, **kwargs):
        if not isinstance(token, str) or token.count(".") != 2:
            raise SSOFailure(Reason.TOKEN_REJECTED, "no signed ID token in the token response")
        try:
            return super().verify_token(token, **kwargs)
        except SuspiciousOperation as exc:  # nonce mismatch, no matching key, bad signature
            raise SSOFailure(Reason.TOKEN_REJECTED, str(exc)) from exc
        except (jwt.PyJWTError, KeyError) as exc:  # a header without kid, a malformed token
            raise SSOFailure(Reason.TOKEN_REJECTED, type(exc).__name__) from exc

    def _verify_jws(self, payload, key):
        """The library checks the signature only; the audience, the issuer and the expiry are checked here too."""
        try:
            algorithm = jwt.get_unverified_header(payload).get("alg")
        except jwt.PyJWTError as exc:
            raise SSOFailure(Reason.TOKEN_REJECTED, "malformed token header") from exc
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SSOFailure(
                Reason.TOKEN_REJECTED, f"token signed with {algorithm!r}, not {self.OIDC_RP_SIGN_ALGO}"
            )
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.get_settings("OIDC_OP_ISSUER", "") or None,
                leeway=self.get_settings("OIDC_CLOCK_LEEWAY", 30),
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise SSOFailure(Reason.TOKEN_REJECTED, "token expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise SSOFailure(Reason.TOKEN_REJECTED, "token for another audience") from exc
        except jwt.InvalidIssuerError as exc:
            raise SSOFailure(Reason.TOKEN_REJECTED, "token from another issuer") from exc
        except jwt.PyJWTError as exc:
            raise SSOFailure(Reason.TOKEN_REJECTED, f"token refused: {type(exc).__name__}") from exc
        audience = claims["aud"]
        if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SSOFailure(Reason.TOKEN_REJECTED, "token for several audiences, authorised party is not us")
        return claims

    def filter_users_by_claims(self, claims):
        # The library matches on e-mail; this portal never does (an e-mail address is no proof of identity here).
        return self.UserModel.objects.none()

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(userinfo, dict):
            raise SSOFailure(Reason.UNAVAILABLE, "userinfo: the answer is not a JSON object")
        issuer, subject = payload.get("iss"), payload.get("sub")
        for name, value in (("iss", issuer), ("sub", subject)):
            if not isinstance(value, str) or not value or len(value) > MAX_KEY_LENGTH:
                raise SSOFailure(Reason.TOKEN_REJECTED, f"unusable {name} claim")
        if userinfo.get("sub") != subject:
            raise SSOFailure(Reason.TOKEN_REJECTED, "userinfo is about another subject than the ID token")
        # Userinfo is fresher for the profile; the token's iss and sub are the verified key.
        claims = {**payload, **userinfo, "iss": issuer, "sub": subject}
        profile = profile_from_claims(claims)
        snapshot = claims_snapshot(claims)
        link_user = getattr(self.request, "sso_link_user", None)
        try:
            if link_user is not None:
                identities.external_identity_link(
                    user=link_user, issuer=issuer, subject=subject, profile=profile, claims=snapshot
                )
                audit.sso_linked(self.request, link_user, issuer)
                link_user.refresh_from_db()
                return link_user
            return identities.external_identity_sign_in(
                issuer=issuer, subject=subject, profile=profile, claims=snapshot
            )
        except identities.IdentityTaken as exc:
            raise SSOFailure(Reason.IDENTITY_TAKEN, str(exc)) from exc
        except identities.AlreadyLinked as exc:
            raise SSOFailure(Reason.ALREADY_LINKED, str(exc)) from exc
        except identities.IdentityConflict as exc:
            raise SSOFailure(Reason.TOKEN_REJECTED, str(exc)) from exc
