"""Before the idle limit a signed-in page warns and can extend the session (WCAG 2.2.1); a form posted after the limit is
not thrown away: its text is kept, and after signing in again the person sends it with one button."""

import re
import time
from html import unescape

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.test import Client
from django.urls import reverse

from portal.accounts.session_security import LAST_SEEN_KEY
from tests.audit.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROFILE = "/tai-khoan/thong-tin-ca-nhan/"
STATUS = "/tai-khoan/phien/"
EXTEND = "/tai-khoan/phien/gia-han/"
RESUBMIT = "/tai-khoan/gui-lai/"
LOGIN = "/tai-khoan/dang-nhap/"


def _idle_for(client, minutes: float) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time() - minutes * 60)
    session.save()


def _profile_post(client, **extra):
    data = {"full_name": "Nguyễn Thị Lan Anh", "phone": "0912 345 678", **extra}
    return client.post(PROFILE, data, headers={"Referer": f"http://testserver{PROFILE}"})


def _hidden_fields(html: str) -> list[tuple[str, str]]:
    """The hidden inputs of the form that sends the kept text again (posted to the profile page)."""
    form = re.search(rf'<form method="post" action="{PROFILE}".*?</form>', html, re.DOTALL).group(0)
    return [
        (unescape(name), unescape(value))
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)
    ]


# --- The warning and the button that extends the session -------------------------------------------------------------


def test_a_signed_in_page_carries_the_warning_with_the_time_left(client, citizen):
    client.force_login(citizen)

    body = client.get(reverse("dossiers:my_dossiers")).content.decode()

    assert 'id="session-timeout"' in body and 'role="alertdialog"' in body
    assert 'data-seconds-left="7200"' in body and 'data-warning-seconds="180"' in body
    assert "/static/js/session-timeout.js" in body
    assert "Tiếp tục làm việc" in body


def test_the_warning_counts_from_the_last_recorded_request(client, citizen):
    client.force_login(citizen)
    client.get("/")
    _idle_for(client, 0.5)  # written half a minute ago: this request does not write it again

    body = client.get("/").content.decode()

    left = int(re.search(r'data-seconds-left="(\d+)"', body).group(1))
    assert 7200 - 32 <= left <= 7200 - 29


def test_anonymous_pages_carry_no_warning(client):
    body = client.get("/").content.decode()

    assert "session-timeout" not in body


def test_asking_how_long_is_left_does_not_count_as_activity(client, citizen):
    client.force_login(citizen)
    _idle_for(client, 10)
    before = client.session[LAST_SEEN_KEY]

    answer = client.get(STATUS, headers={"Accept": "application/json"}).json()

    assert answer["signed_in"] is True and 110 * 60 - 2 <= answer["seconds_left"] <= 110 * 60
    assert client.session[LAST_SEEN_KEY] == before


def test_the_button_extends_the_session_to_its_full_length(client, citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    client.get(reverse("dossiers:my_dossiers"))  # the page that shows the warning sets the CSRF cookie
    _idle_for(client, 118)
    token = client.cookies["csrftoken"].value

    refused = client.post(EXTEND, headers={"Accept": "application/json"})
    answer = client.post(EXTEND, {"csrfmiddlewaretoken": token}, headers={"Accept": "application/json"})

    assert refused.status_code == 403
    assert answer.json() == {"signed_in": True, "seconds_left": 7200}
    assert time.time() - client.session[LAST_SEEN_KEY] < 5


def test_without_javascript_the_button_goes_back_to_the_page(client, citizen):
    client.force_login(citizen)

    response = client.post(EXTEND, {"next": PROFILE})

    assert response.status_code == 302 and response["Location"] == PROFILE


def test_too_late_the_button_says_the_session_has_ended(client, citizen):
    client.force_login(citizen)
    _idle_for(client, 121)

    response = client.post(EXTEND, headers={"Accept": "application/json"})

    assert response.status_code == 401 and response.json() == {"signed_in": False}
    assert "_auth_user_id" not in client.session


# --- A form posted after the limit ----------------------------------------------------------------------------------


def test_a_form_posted_after_the_limit_is_kept_and_the_sign_in_page_says_so(client, citizen):
    client.force_login(citizen)
    _idle_for(client, 121)

    response = _profile_post(client, password="bi-mat-123")

    assert response.status_code == 401
    body = response.content.decode()
    assert "<h1>Đăng nhập</h1>" in body
    assert "không thao tác trong 120 phút" in body
    assert "Cổng đã giữ lại phần chữ bạn đã nhập" in body
    assert "Mật khẩu, mã xác thực và tệp đính kèm không bao giờ được giữ lại" in body
    assert f'<input type="hidden" name="next" value="{RESUBMIT}">' in body
    assert "Nguyễn Thị Lan Anh" not in body  # the text is kept on the server, not shown before signing in
    citizen.refresh_from_db()
    assert citizen.full_name == "Nguyễn Thị Lan"


def test_after_signing_in_again_the_kept_text_is_sent_with_one_button(client, citizen):
    client.force_login(citizen)
    _idle_for(client, 121)
    _profile_post(client, password="bi-mat-123", code="123456")

    signed_in = client.post(LOGIN, {"login": citizen.username, "password": PASSWORD, "next": RESUBMIT})
    assert signed_in["Location"] == RESUBMIT
    page = client.get(RESUBMIT)
    body = page.content.decode()

    assert page.status_code == 200 and "<h1>Gửi lại nội dung đã nhập</h1>" in body
    assert f'<form method="post" action="{PROFILE}"' in body
    fields = _hidden_fields(body)
    assert ("full_name", "Nguyễn Thị Lan Anh") in fields and ("phone", "0912 345 678") in fields
    assert not [name for name, _ in fields if name in ("password", "code")]
    assert "Mật khẩu và mã xác thực không được giữ lại" in body
    assert f'href="{PROFILE}"' in body  # "Không gửi": back to the page the form was on

    sent = client.post(PROFILE, dict(field for field in fields if field[0] != "csrfmiddlewaretoken"))
    assert sent.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.phone) == ("Nguyễn Thị Lan Anh", "0912345678")
    assert client.get(RESUBMIT)["Location"] == reverse("dossiers:my_dossiers")  # offered once


def test_the_kept_text_is_offered_with_a_fresh_form_token(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    client.get(PROFILE)
    old_token = client.cookies["csrftoken"].value
    _idle_for(client, 121)
    _profile_post(client, csrfmiddlewaretoken=old_token)
    login_page = client.get(f"{LOGIN}?next={RESUBMIT}")
    login_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.content.decode()).group(
        1
    )
    client.post(
        LOGIN,
        {
            "login": citizen.username,
            "password": PASSWORD,
            "next": RESUBMIT,
            "csrfmiddlewaretoken": login_token,
        },
    )

    body = client.get(RESUBMIT).content.decode()
    fields = dict(_hidden_fields(body))
    sent = client.post(PROFILE, fields)

    assert fields["csrfmiddlewaretoken"] != old_token
    assert sent.status_code == 302
    citizen.refresh_from_db()
    assert citizen.full_name == "Nguyễn Thị Lan Anh"


def test_another_account_signing_in_on_the_same_browser_gets_nothing(client, citizen, make_user):
    neighbour = make_user("congdan_ke_ben")
    client.force_login(citizen)
    _idle_for(client, 121)
    _profile_post(client)

    client.post(LOGIN, {"login": neighbour.username, "password": PASSWORD, "next": RESUBMIT})
    response = client.get(RESUBMIT)

    assert response.status_code == 302 and response["Location"] == reverse("dossiers:my_dossiers")


def test_a_form_from_a_page_left_open_in_another_tab_is_kept_too(client, citizen):
    client.force_login(citizen)
    _idle_for(client, 121)
    client.get(reverse("dossiers:my_dossiers"))  # another tab: signed out, sent to sign in

    response = _profile_post(client)

    assert response.status_code == 401 and "Cổng đã giữ lại phần chữ bạn đã nhập" in response.content.decode()
    client.post(LOGIN, {"login": citizen.username, "password": PASSWORD, "next": RESUBMIT})
    assert ("full_name", "Nguyễn Thị Lan Anh") in _hidden_fields(client.get(RESUBMIT).content.decode())


def test_a_form_posted_to_a_session_the_server_lost_is_kept(client, citizen):
    client.force_login(citizen)
    SessionStore(session_key=client.session.session_key).delete()  # "signed out from every other device"

    response = _profile_post(client)

    assert response.status_code == 401 and "Cổng đã giữ lại phần chữ bạn đã nhập" in response.content.decode()


def test_a_visitor_who_never_signed_in_is_simply_sent_to_sign_in(client):
    response = _profile_post(client)

    assert response.status_code == 302 and response["Location"].startswith(f"{LOGIN}?next=")


def test_signing_out_after_the_limit_simply_signs_out(client, citizen):
    client.force_login(citizen)
    _idle_for(client, 121)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302 and response["Location"] == "/"  # as for anyone: not kept, not refused
    assert "_auth_user_id" not in client.session
