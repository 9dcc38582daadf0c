"""Sessions end after a while without a request (staff sooner than citizens), personal pages are never cached, and
the sign-in paths allauth does not cover (the Django admin, the single sign-on start) are rate-limited."""

import time

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.accounts.session_security import LAST_SEEN_KEY
from portal.audit.models import AuditEvent
from tests.audit.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/quan-tri/login/"


def _idle_for(client, minutes: float) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time() - minutes * 60)
    session.save()


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Idle time-out ---------------------------------------------------------------------------------------------------


def test_staff_are_signed_out_after_thirty_idle_minutes(client, officer):
    client.force_login(officer)
    _idle_for(client, 31)

    response = client.get(reverse("dossiers:my_dossiers"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert not _signed_in(client)
    message = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == [
        "Phiên làm việc đã kết thúc vì bạn không thao tác trong 30 phút. Vui lòng đăng nhập lại."
    ]
    entry = AuditEvent.objects.get(event=AuditEvent.Event.SIGN_OUT)
    assert (entry.user, entry.details["reason"]) == (officer, "idle")


def test_a_citizen_idle_for_thirty_minutes_is_still_signed_in(client, citizen):
    client.force_login(citizen)
    _idle_for(client, 31)

    assert client.get(reverse("dossiers:my_dossiers")).status_code == 200
    assert _signed_in(client)


def test_a_citizen_is_signed_out_after_two_idle_hours(client, citizen):
    client.force_login(citizen)
    _idle_for(client, 121)

    response = client.get(reverse("dossiers:my_dossiers"))

    assert response.status_code == 302
    assert not _signed_in(client)
    login_page = client.get(response["Location"]).content.decode()
    assert "không thao tác trong 120 phút. Vui lòng đăng nhập lại." in login_page


def test_the_limits_come_from_the_settings(client, settings, citizen):
    settings.PORTAL_CITIZEN_IDLE_MINUTES = 5
    client.force_login(citizen)
    _idle_for(client, 6)

    client.get("/")

    assert not _signed_in(client)


def test_staff_in_the_admin_are_sent_to_the_admin_login(client, admin_user):
    client.force_login(admin_user)
    _idle_for(client, 45)

    response = client.get("/quan-tri/")

    assert response["Location"].startswith("/quan-tri/login/?next=/quan-tri/")


def test_an_htmx_request_is_told_to_load_the_login_page(client, officer):
    client.force_login(officer)
    _idle_for(client, 31)

    response = client.get("/", headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))


def test_the_last_request_time_is_written_at_most_once_a_minute(client, citizen):
    client.force_login(citizen)
    client.get("/")
    first = client.session[LAST_SEEN_KEY]
    _idle_for(client, 0.5)
    half_a_minute_ago = client.session[LAST_SEEN_KEY]

    client.get("/")
    assert client.session[LAST_SEEN_KEY] == half_a_minute_ago  # not rewritten: no session save for it
    _idle_for(client, 2)
    client.get("/")
    assert client.session[LAST_SEEN_KEY] >= first


# --- No caching of personal pages ------------------------------------------------------------------------------------


def test_pages_for_a_signed_in_user_are_never_stored(client, citizen):
    client.force_login(citizen)

    for url in (reverse("dossiers:my_dossiers"), "/", "/thu-tuc/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]


def test_a_view_that_sets_its_own_caching_keeps_it(client, citizen):
    client.force_login(citizen)

    response = client.get(reverse("dossiers:track"))

    assert "must-revalidate" in response["Cache-Control"]  # never_cache's own header, untouched


def test_anonymous_catalogue_pages_are_still_cached(client, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 60
    url = "/thu-tuc/?q=khai+sinh&audit-cache-test=1"
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)

    assert second.status_code == 200 and second.content == first.content
    assert len(queries) == 0
    assert "no-store" not in second.get("Cache-Control", "")
    assert "no-store" not in first.get("Cache-Control", "")


# --- Rate limits -----------------------------------------------------------------------------------------------------


def _admin_login(client, username: str, password: str, address: str):
    return client.post(ADMIN_LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_admin_login_answers_429_after_too_many_failures_from_one_address(client, settings, admin_user):
    settings.PORTAL_ADMIN_LOGIN_FAILURES_PER_ADDRESS = 3
    for attempt in range(3):
        assert _admin_login(client, f"doan-{attempt}", "sai", "203.0.113.50").status_code == 200

    blocked = _admin_login(client, "qt_tinh", PASSWORD, "203.0.113.50")

    assert blocked.status_code == 429
    assert "thử lại sau 15 phút" in blocked.content.decode()
    assert blocked["Retry-After"] == "900"
    assert not _signed_in(client)
    assert _admin_login(client, "qt_tinh", PASSWORD, "203.0.113.51").status_code == 302  # another address
    throttled = AuditEvent.objects.get(event=AuditEvent.Event.SIGN_IN_THROTTLED)
    assert (throttled.ip, throttled.details["path"]) == ("203.0.113.50", "admin")


def test_the_admin_login_limits_failures_per_username_across_addresses(client, settings, admin_user):
    settings.PORTAL_ADMIN_LOGIN_FAILURES_PER_USERNAME = 3
    for attempt in range(3):
        _admin_login(client, "QT_tinh" if attempt else "qt_tinh", "sai", f"198.51.100.{attempt + 1}")

    assert _admin_login(client, "qt_tinh", PASSWORD, "198.51.100.99").status_code == 429
    assert _admin_login(client, "someone-else", "sai", "198.51.100.99").status_code == 200


def test_spaces_and_full_width_letters_around_a_username_do_not_start_a_fresh_count(
    client, settings, admin_user
):
    """The login form strips and NFKC-normalises the name, so these all try the same account's password."""
    settings.PORTAL_ADMIN_LOGIN_FAILURES_PER_USERNAME = 3
    for variant in (" qt_tinh", "qt_tinh  ", "\uff51\uff54_tinh"):
        assert _admin_login(client, variant, "sai", "198.51.100.7").status_code == 200

    assert _admin_login(client, "qt_tinh", PASSWORD, "198.51.100.8").status_code == 429
    assert not _signed_in(client)


def test_a_successful_admin_sign_in_clears_the_failures_on_that_name(client, settings, admin_user):
    settings.PORTAL_ADMIN_LOGIN_FAILURES_PER_USERNAME = 3
    _admin_login(client, "qt_tinh", "sai", "192.0.2.1")
    _admin_login(client, "qt_tinh", "sai", "192.0.2.1")
    assert _admin_login(client, "qt_tinh", PASSWORD, "192.0.2.1").status_code == 302
    client.logout()

    for _attempt in range(2):
        assert _admin_login(client, "qt_tinh", "sai", "192.0.2.1").status_code == 200


def test_the_admin_login_page_itself_is_not_limited(client, settings):
    settings.PORTAL_ADMIN_LOGIN_FAILURES_PER_ADDRESS = 1
    _admin_login(client, "a", "sai", "127.0.0.1")

    assert client.get(ADMIN_LOGIN).status_code == 200


def test_the_single_sign_on_start_is_limited_per_address(client, settings):
    settings.PORTAL_SSO_STARTS_PER_ADDRESS = 2
    for _attempt in range(2):
        assert client.get("/oidc/authenticate/", REMOTE_ADDR="203.0.113.70").status_code != 429

    blocked = client.get("/oidc/authenticate/", REMOTE_ADDR="203.0.113.70")

    assert blocked.status_code == 429
    assert "Tạm thời chưa thể đăng nhập" in blocked.content.decode()
    assert "no-store" in blocked["Cache-Control"]
    assert client.get("/oidc/authenticate/", REMOTE_ADDR="203.0.113.71").status_code != 429
    assert AuditEvent.objects.filter(event=AuditEvent.Event.SIGN_IN_THROTTLED, ip="203.0.113.70").count() == 1


def test_the_english_admin_login_is_limited_too(client, settings):
    settings.PORTAL_ADMIN_LOGIN_FAILURES_PER_ADDRESS = 1
    client.post("/en/quan-tri/login/", {"username": "a", "password": "b"}, REMOTE_ADDR="192.0.2.200")

    blocked = client.post(
        "/en/quan-tri/login/", {"username": "a", "password": "b"}, REMOTE_ADDR="192.0.2.200"
    )

    assert blocked.status_code == 429
    assert "please try again in 15 minutes" in blocked.content.decode()
