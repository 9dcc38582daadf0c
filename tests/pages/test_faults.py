"""A dependency that is down degrades one feature, never the portal: Redis down is a cache that misses, PostgreSQL
down is a Vietnamese 503 page, a mail server down delays mail without failing a page or losing it."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import OperationalError
from django.test import RequestFactory
from django.utils import timezone

from portal.cache import backend as portal_cache
from portal.mail import services as mail_services
from portal.mail.models import OutgoingMail
from portal.mail.tasks import mail_sweep
from portal.pages.views import server_error
from tests.accounts.mfa import staff_login

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens there: every connection is refused at once


@pytest.fixture
def breaker_reset():
    portal_cache.breaker._down_since = None
    portal_cache.breaker._retry_at = 0.0
    yield portal_cache.breaker
    portal_cache.breaker._down_since = None
    portal_cache.breaker._retry_at = 0.0


@pytest.fixture
def redis_down(settings, breaker_reset):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.backend.PortalRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.PORTAL_PAGE_CACHE_SECONDS = 600  # the public page cache is on, as in production
    return breaker_reset


# --- Redis down -------------------------------------------------------------------------------------------------------


def test_a_cache_that_cannot_be_reached_misses_instead_of_failing(redis_down, caplog):
    assert cache.get("any", "default") == "default"
    cache.set("any", 1)
    assert cache.add("any", 1) is True  # a lock taken with add() is granted: nobody waits for the cache
    assert cache.get_many(["a", "b"]) == {}
    cache.set_many({"a": 1})
    cache.delete("any")
    with pytest.raises(ValueError):
        cache.incr("counter")  # a counter that is not there: the rate limits start it again
    warnings = [r for r in caplog.records if r.name == "portal.cache.backend"]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()  # logged once, not per call


def test_while_the_cache_is_down_no_call_waits_on_it_and_it_is_tried_again_later(redis_down, monkeypatch):
    cache.get("first")  # fails and opens the breaker
    assert not redis_down.closed()
    calls = []
    monkeypatch.setattr(
        "django.core.cache.backends.redis.RedisCacheClient.get", lambda *a, **k: calls.append(a) or None
    )
    cache.get("second")
    assert calls == []  # not even tried
    monkeypatch.setattr(portal_cache, "RETRY_AFTER", 0)
    redis_down._retry_at = 0
    cache.get("third")
    assert len(calls) == 1  # tried again, and it answered: the cache is back without a restart
    assert redis_down.closed() and redis_down._down_since is None


@pytest.mark.parametrize(
    "url", ["/", "/thu-tuc/", "/thu-tuc/?q=khai+sinh", "/thu-tuc/1.001193/", "/co-quan/", "/ho-so/tra-cuu/"]
)
def test_public_pages_are_served_from_the_database_when_redis_is_down(client, redis_down, url):
    assert client.get(url).status_code == 200


def test_the_api_answers_when_redis_is_down(client, redis_down):
    assert client.get("/api/v1/procedures", {"q": "khai sinh"}).status_code == 200


def test_a_signed_in_page_reads_its_session_from_the_database_when_redis_is_down(
    client, make_user, redis_down
):
    user = make_user("khi-redis-ngung")
    client.force_login(user)
    assert client.get("/ho-so/cua-toi/").status_code == 200


def test_readiness_says_503_and_liveness_200_when_redis_is_down(client, redis_down):
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["checks"]["cache"] != "ok"
    assert client.get("/healthz").status_code == 200


# --- PostgreSQL down --------------------------------------------------------------------------------------------------


def test_a_database_that_cannot_be_reached_gives_a_vietnamese_503_page_without_a_traceback():
    request = RequestFactory().get("/thu-tuc/")
    try:
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
    except OperationalError:
        response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Hệ thống tạm thời gián đoạn" in body and "Traceback" not in body and "5432" not in body


def test_any_other_error_is_still_a_500(client):
    request = RequestFactory().get("/")
    try:
        raise RuntimeError("bug")
    except RuntimeError:
        response = server_error(request)
    assert response.status_code == 500


# --- mail down --------------------------------------------------------------------------------------------------------


class RefusingSMTP:
    """A transport whose server is down (connection refused), or refuses recipients for good (550)."""

    permanent = False

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        if RefusingSMTP.permanent:
            raise smtplib.SMTPRecipientsRefused({"a@example.invalid": (550, b"No such user")})
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def outbox(settings):
    """Mail through the portal's outbox, with a transport the test controls."""
    RefusingSMTP.permanent = False
    settings.MAILERS = {
        "default": {"BACKEND": "portal.mail.backends.OutboxBackend"},
        "transport": {"BACKEND": "tests.pages.test_faults.RefusingSMTP"},
    }
    return settings


def test_a_password_reset_while_the_mail_server_is_down_is_answered_and_sent_later(
    client, make_user, outbox, django_capture_on_commit_callbacks
):
    make_user("quen-mat-khau", email="quen@example.invalid")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/tai-khoan/mat-khau/quen/", {"email": "quen@example.invalid"})
    assert response.status_code == 302  # not a 500
    queued = OutgoingMail.objects.get()
    assert queued.state == OutgoingMail.State.QUEUED and queued.attempts == 1
    assert "ConnectionRefusedError" in queued.last_error and queued.next_attempt_at > timezone.now()

    # The server is back; the sweep sends it once its retry is due.
    outbox.MAILERS = {
        **outbox.MAILERS,
        "transport": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }
    OutgoingMail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert mail_sweep() == 1
    queued.refresh_from_db()
    assert queued.state == OutgoingMail.State.SENT and queued.body == ""  # the reset link is not kept
    assert [m.to for m in mail.outbox] == [["quen@example.invalid"]]
    assert "/tai-khoan/mat-khau/dat-lai/" in mail.outbox[0].body


def test_retries_wait_longer_each_time_and_give_up_recorded_for_staff(outbox):
    mail.EmailMessage("Chào", "Nội dung", None, ["a@example.invalid"]).send()
    queued = OutgoingMail.objects.get()
    delays = []
    for _ in range(mail_services.MAX_ATTEMPTS):
        before = timezone.now()
        mail_services.mail_send(mail_id=queued.pk)
        queued.refresh_from_db()
        if queued.state == OutgoingMail.State.QUEUED:
            delays.append(round((queued.next_attempt_at - before).total_seconds()))
    assert delays[:3] == [60, 120, 240] and delays == sorted(delays)
    assert delays[-1] == mail_services.LONGEST_DELAY.total_seconds()
    assert queued.state == OutgoingMail.State.FAILED and queued.attempts == mail_services.MAX_ATTEMPTS


def test_a_permanent_refusal_is_recorded_at_once_and_shown_to_staff(client, admin_user, outbox):
    staff_login(client, admin_user)
    RefusingSMTP.permanent = True
    mail.EmailMessage("Chào", "Nội dung", None, ["a@example.invalid"]).send()
    queued = OutgoingMail.objects.get()
    assert mail_services.mail_send(mail_id=queued.pk) == OutgoingMail.State.FAILED
    page = client.get("/quan-tri/mail/outgoingmail/?state=failed").content.decode()
    assert "a@example.invalid" in page and "SMTPRecipientsRefused" in page
    assert "Nội dung" not in page  # the content is not shown


def test_a_message_is_sent_once_even_when_two_workers_take_it(outbox):
    outbox.MAILERS = {
        **outbox.MAILERS,
        "transport": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }
    mail.EmailMessage("Một lần", "x", None, ["a@example.invalid"]).send()
    queued = OutgoingMail.objects.get()
    assert mail_services.mail_send(mail_id=queued.pk) == OutgoingMail.State.SENT
    assert mail_services.mail_send(mail_id=queued.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_signing_in_works_while_redis_is_down(client, make_user, redis_down):
    """allauth's rate limits take a lock with cache.add(): a cache that is down must grant it, not make every sign-in
    wait a second and then answer 429."""
    make_user("khi-redis-ngung-2")
    response = client.post(
        "/tai-khoan/dang-nhap/", {"login": "khi-redis-ngung-2", "password": "Mat-khau-du-dai-123"}
    )
    assert response.status_code == 302
