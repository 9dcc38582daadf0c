"""Dossier pages are rendered from the database on every request (no page is kept): any write a page depends on, by
anyone, shows on the next request, and the tracking answer still counts only wrong answers."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers import notifications, services
from dossiers.models import Dossier
from dossiers.views import tracking
from tests.accounts.mfa import staff_login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_in_tmp")]
S = Dossier.State


def queue(slug):
    return reverse("dossiers:officer_queue", args=[slug])


def get(client, url, **extra):
    """The response and the number of SQL queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return response, len(queries)


def seen(client, url) -> str:
    """A page looked at twice (the first response sets the CSRF cookie)."""
    get(client, url)
    return get(client, url)[0].content.decode()


def test_a_colleagues_action_shows_on_the_next_request(client, staff):
    dossier = staff.register()
    staff_login(client, staff.receiver)
    assert dossier.code in seen(client, queue("cho-tiep-nhan"))
    services.dossier_receive(dossier=dossier, actor=staff.receiver_2)
    waiting = get(client, queue("cho-tiep-nhan"))[0].content.decode()
    assert dossier.code not in waiting
    assert dossier.code in get(client, queue("cho-chuyen"))[0].content.decode()


def test_a_transfer_changes_the_queues_of_both_agencies(client, staff):
    dossier = staff.walk(staff.register(), S.RECEIVED)
    handler = Client()
    staff_login(handler, staff.handler)
    before = seen(handler, reverse("dossiers:officer_home"))
    staff_login(client, staff.receiver)
    assert dossier.code in seen(client, queue("cho-chuyen"))
    services.dossier_transfer(dossier=dossier, actor=staff.receiver, handling_agency=staff.justice)
    assert dossier.code not in get(client, queue("cho-chuyen"))[0].content.decode()
    after = get(handler, reverse("dossiers:officer_home"))[0].content.decode()
    assert after != before


def test_the_citizens_list_shows_a_new_state_and_the_header_a_new_notification(client, staff):
    dossier = staff.register(applicant=staff.citizen)
    client.force_login(staff.citizen)
    mine = reverse("dossiers:my_dossiers")
    before = seen(client, mine)
    assert "Chờ tiếp nhận" in before and "Thông báo (0)" in before
    services.dossier_receive(dossier=dossier, actor=staff.receiver)
    after = get(client, mine)[0].content.decode()
    assert "Đã tiếp nhận" in after and "Thông báo (1)" in after
    notifications.notifications_mark_read(user=staff.citizen)
    assert "Thông báo (0)" in get(client, mine)[0].content.decode()


def test_a_flash_message_is_shown_once_and_not_kept_in_the_page(client, staff, rf):
    staff.register()
    staff_login(client, staff.receiver)
    seen(client, queue("cho-tiep-nhan"))
    waiting = [Message(messages.SUCCESS, "Đã lưu thay đổi.")]
    # As the redirect after an action leaves it.
    client.cookies["messages"] = CookieStorage(rf.get("/"))._encode(waiting)
    shown = get(client, queue("cho-tiep-nhan"))[0].content.decode()
    assert "Đã lưu thay đổi." in shown
    assert "Đã lưu thay đổi." not in get(client, queue("cho-tiep-nhan"))[0].content.decode()


# --- the public tracking answer -------------------------------------------------------------------------------


@pytest.fixture
def fresh_counters():
    """The test's counters are its own already (tests/conftest.py gives every test a cache of its own)."""


def track(client, code, factor, address="203.0.113.9"):
    return client.get("/ho-so/tra-cuu/", {"ma": code, "xac_thuc": factor}, REMOTE_ADDR=address)


@pytest.mark.usefixtures("fresh_counters")
def test_looking_up_the_same_dossier_again_is_not_counted_as_a_guess(client, staff):
    dossier = staff.register(applicant=staff.citizen)
    for _ in range(tracking.FAILURES_PER_ADDRESS + 5):
        response = track(client, dossier.code, "5678")
        assert response.status_code == 200 and "Chờ tiếp nhận" in response.content.decode()


@pytest.mark.usefixtures("fresh_counters")
def test_a_new_device_at_an_address_over_its_limit_gets_429_even_for_an_answer_given_before(client, staff):
    dossier = staff.register(applicant=staff.citizen)
    assert track(client, dossier.code, "5678").status_code == 200
    for attempt in range(tracking.FAILURES_PER_ADDRESS):
        track(client, f"000.00.00.H01-250101-{attempt:04d}", "1234")
    assert track(Client(), dossier.code, "5678").status_code == 429
    assert track(client, dossier.code, "5678").status_code == 200  # the device that gave it is never refused


@pytest.mark.usefixtures("fresh_counters")
def test_the_tracking_answer_follows_the_dossier(client, staff):
    dossier = staff.register(applicant=staff.citizen)
    assert "Chờ tiếp nhận" in track(client, dossier.code, "5678").content.decode()
    services.dossier_receive(dossier=dossier, actor=staff.receiver)
    assert "Đã tiếp nhận" in track(client, dossier.code, "5678").content.decode()


@pytest.mark.usefixtures("fresh_counters")
def test_a_kept_tracking_answer_follows_the_dossier_and_is_never_shown_for_wrong_digits(
    client, staff, settings
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600  # anonymous answers kept, as deployed
    dossier = staff.register(applicant=staff.citizen)
    assert "Chờ tiếp nhận" in track(client, dossier.code, "5678").content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = track(Client(), dossier.code, "5678")
    assert "Chờ tiếp nhận" in again.content.decode() and len(queries) == 0  # kept
    assert "Chờ tiếp nhận" not in track(Client(), dossier.code, "0000").content.decode()
    services.dossier_receive(dossier=dossier, actor=staff.receiver)
    assert "Đã tiếp nhận" in track(Client(), dossier.code, "5678").content.decode()


@pytest.mark.usefixtures("fresh_counters")
def test_every_wrong_answer_counts(client, staff):
    dossier = staff.register(applicant=staff.citizen)
    for attempt in range(tracking.FAILURES_PER_CODE):
        assert track(client, dossier.code, "0000", address=f"198.51.100.{attempt}").status_code == 200
    assert track(client, dossier.code, "0000", address="192.0.2.1").status_code == 429


@pytest.mark.usefixtures("fresh_counters")
def test_a_code_typed_in_lower_case_with_spaces_gets_the_answer_of_the_printed_one(client, staff):
    dossier = staff.register(applicant=staff.citizen)
    typed_code = " " + dossier.code.lower().replace("-", " - ", 1) + " "
    typed = track(client, typed_code, "5678")
    page = typed.content.decode()
    assert typed.status_code == 200 and "Chờ tiếp nhận" in page and dossier.code in page


@pytest.mark.usefixtures("fresh_counters")
@pytest.mark.parametrize("factor", ["567", "56789", "5678\x00", "\u0665\u0666\u0667\u0668", "abcd"])
def test_digits_the_form_refuses_are_refused_even_after_a_right_answer(client, staff, factor):
    dossier = staff.register(applicant=staff.citizen)
    assert track(client, dossier.code, "5678").status_code == 200
    response = track(client, dossier.code, factor)
    assert "Chờ tiếp nhận" not in response.content.decode()


@pytest.mark.usefixtures("fresh_counters")
def test_a_host_not_allowed_gets_400_even_for_an_answer_given_before(client, staff):
    dossier = staff.register(applicant=staff.citizen)
    assert track(client, dossier.code, "5678").status_code == 200
    query = {"ma": dossier.code, "xac_thuc": "5678"}
    response = client.get("/ho-so/tra-cuu/", query, REMOTE_ADDR="203.0.113.9", HTTP_HOST="evil.example")
    assert response.status_code == 400


@pytest.mark.usefixtures("fresh_counters")
def test_answers_come_in_the_addresss_language(client, staff):
    dossier = staff.register(applicant=staff.citizen)
    query = {"ma": dossier.code, "xac_thuc": "5678"}
    for _ in range(2):
        vietnamese = client.get("/ho-so/tra-cuu/", query, REMOTE_ADDR="203.0.113.9")
        english = client.get("/en/ho-so/tra-cuu/", query, REMOTE_ADDR="203.0.113.9")
    assert vietnamese["Content-Language"] == "vi" and english["Content-Language"] == "en"
    assert vietnamese.content != english.content


@pytest.mark.usefixtures("fresh_counters")
def test_a_signed_in_visitor_gets_the_answer_with_their_own_header(client, staff):
    dossier = staff.register(applicant=staff.citizen)
    track(client, dossier.code, "5678")
    client.force_login(staff.citizen)
    assert "Đăng xuất" in track(client, dossier.code, "5678").content.decode()


def test_the_staff_header_count_follows_new_dossiers(client, staff):
    staff.register()
    staff_login(client, staff.receiver)
    home = reverse("home")
    assert 'class="nav-count">1<' in seen(client, home)
    staff.register()
    assert 'class="nav-count">2<' in get(client, home)[0].content.decode()
