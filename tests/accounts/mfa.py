"""The one way tests sign a member of staff in: with an authenticator app and this session's second factor passed,
as the portal's sign-in leaves a session (portal/accounts/mfa.py); and the codes an authenticator app would show."""

import time

from allauth.account.internal.flows.login import record_authentication
from allauth.core import ratelimit
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt
from django.test import RequestFactory


def totp_enrol(user, secret: str | None = None) -> Authenticator:
    """``user``'s authenticator app (made with ``secret``, or a new one, when they have none)."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, secret or generate_totp_secret()).instance


def totp_secret(authenticator: Authenticator) -> str:
    return decrypt(authenticator.data["secret"])


def totp_now(secret: str) -> str:
    """The code the app shows now. Near the end of a period it waits for the next one, so the code is still valid
    when the portal checks it."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 2:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def totp_wrong(secret: str) -> str:
    """A well-formed code that the app does not show now."""
    return f"{(int(totp_now(secret)) + 1) % 1_000_000:06d}"


def staff_login(client, user) -> Authenticator:
    """Sign ``user`` in on the test ``client`` with an authenticator app and the second factor passed in this session
    (allauth's own record of it), the state allauth's sign-in page leaves after the code page."""
    authenticator = totp_enrol(user)
    client.force_login(user)
    session = client.session
    request = RequestFactory().get("/")
    request.session, request.user = session, user
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    session.save()
    return authenticator


def failed_attempts_forget(*keys: str) -> None:
    """Forget allauth's counts of failed attempts (kept in the cache) for these keys: a login name as allauth keys it
    (``testserver:name``), an account's (``testserver:account:<id>``) or ``mfa-auth-user-<id>``. User ids come back
    in later tests on SQLite, so a test that uses the attempts up clears them when it ends."""
    request = RequestFactory().post("/")
    for key in keys:
        ratelimit.clear(request, action="login_failed", key=key)
