"""A person's own account page: their data with the personal id masked, contact and notification choices, open
sessions with "sign out everywhere else", an export of their data and an explicit request to delete the account.
And a stranger, who gets nothing of theirs."""

import datetime
import json

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import Client
from django.utils import timezone, translation

from dossiers.models import Dossier, Notification
from portal.accounts import services
from portal.accounts.models import AccountDeletionRequest, ExternalIdentity, User
from portal.agencies.models import Agency
from portal.audit.models import AuditEvent
from portal.catalog.models import Procedure
from tests.accounts.mfa import staff_login

pytestmark = pytest.mark.django_db

PROFILE = "/tai-khoan/thong-tin-ca-nhan/"
END_OTHERS = "/tai-khoan/thong-tin-ca-nhan/dang-xuat-thiet-bi-khac/"
EXPORT = "/tai-khoan/thong-tin-ca-nhan/xuat-du-lieu/"
DELETION = "/tai-khoan/thong-tin-ca-nhan/yeu-cau-xoa-tai-khoan/"
PERSONAL_ID = "001203004567"


@pytest.fixture
def citizen(make_user):
    return make_user(
        "congdan1",
        full_name="Nguyễn Thị Hoa",
        email="hoa@example.invalid",
        phone="0912345678",
        personal_id=PERSONAL_ID,
        birth_date=datetime.date(1990, 11, 25),
    )


@pytest.fixture
def stranger(make_user):
    return make_user("congdan2", full_name="Người Lạ", email="la@example.invalid", personal_id="079088001122")


@pytest.fixture(autouse=True)
def _vietnamese_after():
    """A request to an /en/ page leaves English active in this thread, and reverse() would then prefix /en/."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _dossier(applicant: User, code: str) -> Dossier:
    return Dossier.objects.create(
        code=code,
        procedure=Procedure.objects.get(code="1.001193"),
        receiving_agency=Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first(),
        applicant=applicant,
        applicant_name=applicant.full_name,
        state=Dossier.State.SUBMITTED,
        submitted_at=timezone.now(),
    )


def _signed_in(user: User, agent: str = "Trình duyệt thử") -> Client:
    """A browser of its own, signed in, that has opened the profile once (so its session is on the list)."""
    browser = Client(HTTP_USER_AGENT=agent)
    browser.force_login(user)
    assert browser.get(PROFILE).status_code == 200
    return browser


def _pending(user: User) -> int:
    return AccountDeletionRequest.objects.filter(
        user=user, state=AccountDeletionRequest.State.PENDING
    ).count()


# --- personal data --------------------------------------------------------------------------------------------------


def test_profile_shows_the_personal_id_masked_and_never_in_full(citizen):
    page = _signed_in(citizen).get(PROFILE)
    html = page.content.decode()
    assert "********4567" in html
    assert PERSONAL_ID not in html
    assert "25/11/1990" in html
    assert "Nguyễn Thị Hoa" in html and "hoa@example.invalid" in html


def test_profile_reads_in_english_too(client, citizen):
    client.force_login(citizen)
    html = client.get("/en" + PROFILE).content.decode()
    assert "Personal id number" in html and "Open sessions" in html and "********4567" in html


def test_staff_see_their_role_and_agencies_and_admins_a_link_to_staff_accounts(make_user):
    admin = make_user(
        "qt_tuphap", role=User.Role.DEPARTMENT_ADMIN, agency_code="000.00.05.H01", is_staff=True
    )
    browser = Client()
    staff_login(browser, admin)
    html = browser.get(PROFILE).content.decode()
    assert "Quản trị sở, ngành, xã" in html and "Sở Tư pháp" in html
    assert 'href="/tai-khoan/can-bo/"' in html


def test_profile_needs_a_signed_in_person(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert "/tai-khoan/dang-nhap/" in response["Location"]


def test_header_links_to_the_account_page_once_signed_in(client, citizen):
    assert PROFILE not in client.get("/").content.decode()
    client.force_login(citizen)
    assert f'href="{PROFILE}"' in client.get("/").content.decode()


def test_person_changes_name_phone_and_notification_channels(client, citizen):
    client.force_login(citizen)
    response = client.post(
        PROFILE, {"full_name": "  Nguyễn   Thị Hoa Mai ", "phone": "091 234.5679", "notify_sms": "on"}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.phone) == ("Nguyễn Thị Hoa Mai", "0912345679")
    assert (citizen.notify_email, citizen.notify_sms) == (False, True)


def test_sms_notifications_need_a_phone_number(client, citizen):
    client.force_login(citizen)
    response = client.post(PROFILE, {"full_name": "Nguyễn Thị Hoa", "phone": "", "notify_sms": "on"})
    assert response.status_code == 400
    assert "Hãy nhập số điện thoại để nhận thông báo qua tin nhắn SMS." in response.content.decode()
    citizen.refresh_from_db()
    assert (citizen.phone, citizen.notify_sms) == ("0912345678", False)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"full_name": "A" * 10_000, "phone": "0912345678"}, "Họ và tên dài tối đa 150 ký tự"),
        ({"full_name": "", "phone": "0912345678"}, "Vui lòng nhập họ và tên."),
        ({"full_name": "<script>alert(1)</script>", "phone": ""}, "Họ và tên chỉ gồm chữ cái"),
        ({"full_name": "Nguyễn Thị Hoa", "phone": "12345"}, "Số điện thoại không hợp lệ"),
        ({"full_name": "Nguyễn Thị Hoa", "phone": "0" * 500}, "Số điện thoại dài tối đa 20 ký tự"),
    ],
)
def test_bad_profile_input_gets_a_vietnamese_message_and_nothing_is_written(client, citizen, data, message):
    client.force_login(citizen)
    response = client.post(PROFILE, {**data, "notify_email": "on"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.phone) == ("Nguyễn Thị Hoa", "0912345678")


def test_name_from_the_national_identity_is_shown_locked_and_not_changed(client, citizen):
    ExternalIdentity.objects.create(user=citizen, issuer="https://sso.dichvucong.gov.vn", subject="abc")
    client.force_login(citizen)
    page = client.get(PROFILE)
    assert "lấy từ tài khoản định danh quốc gia" in page.content.decode()
    response = client.post(PROFILE, {"full_name": "Tên Khác", "phone": "0987654321", "notify_email": "on"})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.phone) == ("Nguyễn Thị Hoa", "0987654321")
    with pytest.raises(services.AccountError):
        services.profile_update(
            user=citizen, full_name="Tên Khác", phone="", notify_email=True, notify_sms=False
        )


# --- sessions -------------------------------------------------------------------------------------------------------


def test_profile_lists_the_persons_sessions_and_marks_this_device(citizen, stranger):
    _signed_in(citizen, agent="Điện thoại của Hoa")
    _signed_in(stranger, agent="Máy của người lạ")
    html = _signed_in(citizen, agent="Máy tính của Hoa").get(PROFILE).content.decode()
    assert "Điện thoại của Hoa" in html and "Máy tính của Hoa" in html
    assert "Thiết bị này" in html
    assert "Máy của người lạ" not in html


def test_sign_out_everywhere_else_ends_the_other_sessions_and_keeps_this_one(citizen, stranger):
    here = _signed_in(citizen, agent="Máy tính")
    phone = _signed_in(citizen, agent="Điện thoại")
    strangers = _signed_in(stranger)

    response = here.post(END_OTHERS)

    assert response.status_code == 302
    assert here.get(PROFILE).status_code == 200
    assert phone.get(PROFILE).status_code == 302  # signed out: sent to the sign-in page
    assert strangers.get(PROFILE).status_code == 200
    assert list(UserSession.objects.filter(user=citizen).values_list("user_agent", flat=True)) == ["Máy tính"]


def test_a_device_that_signed_in_but_never_opened_the_profile_is_signed_out_too(citizen):
    other = Client(HTTP_USER_AGENT="Máy ở thư viện")
    response = other.post("/tai-khoan/dang-nhap/", {"login": "congdan1", "password": "Mat-khau-du-dai-123"})
    assert response.status_code == 302
    here = _signed_in(citizen, agent="Máy tính")
    assert "Máy ở thư viện" in here.get(PROFILE).content.decode()

    here.post(END_OTHERS)

    assert other.get(PROFILE).status_code == 302
    assert here.get(PROFILE).status_code == 200


def test_a_sign_in_outside_allauth_such_as_single_sign_on_goes_on_the_list_too(citizen, rf):
    request = rf.get("/oidc/callback/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="VNeID")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    login(request, citizen, backend="portal.accounts.backends.PasswordBackend")
    session = UserSession.objects.get(user=citizen)
    assert (session.ip, session.user_agent, session.session_key) == (
        "203.0.113.9",
        "VNeID",
        request.session.session_key,
    )


def test_one_other_session_can_be_ended_but_not_someone_elses(citizen, stranger):
    here = _signed_in(citizen, agent="Máy tính")
    phone = _signed_in(citizen, agent="Điện thoại")
    strangers = _signed_in(stranger)
    phone_session = UserSession.objects.get(user=citizen, user_agent="Điện thoại")

    assert (
        strangers.post(f"/tai-khoan/thong-tin-ca-nhan/phien/{phone_session.pk}/dang-xuat/").status_code == 404
    )
    assert phone.get(PROFILE).status_code == 200

    assert here.post(f"/tai-khoan/thong-tin-ca-nhan/phien/{phone_session.pk}/dang-xuat/").status_code == 302
    assert phone.get(PROFILE).status_code == 302
    assert here.get(PROFILE).status_code == 200


# --- export ---------------------------------------------------------------------------------------------------------


def test_export_page_shows_a_button_and_downloads_only_on_post(client, citizen):
    client.force_login(citizen)
    page = client.get(EXPORT)
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(event=AuditEvent.Event.ACCOUNT_EXPORT).exists()


def test_export_holds_the_persons_dossiers_and_nothing_of_anyone_else(citizen, stranger):
    _dossier(citizen, "000.00.00.H01-261125-0001")
    _dossier(stranger, "000.00.00.H01-261125-0002")
    Notification.objects.create(user=citizen, title="Hồ sơ đã được tiếp nhận", body="…")
    Notification.objects.create(user=stranger, title="Thông báo của người lạ", body="…")
    browser = _signed_in(citizen, agent="Máy tính của Hoa")
    _signed_in(stranger, agent="Máy của người lạ")

    response = browser.post(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    data = json.loads(response.content)
    assert data["account"]["username"] == "congdan1"
    assert data["account"]["personal_id"] == PERSONAL_ID  # the person's own data, in a file they asked for
    assert data["notification_preferences"] == {"email": True, "sms": False}
    assert [d["code"] for d in data["dossiers"]] == ["000.00.00.H01-261125-0001"]
    assert data["dossiers"][0]["procedure_code"] == "1.001193"
    assert [n["title"] for n in data["notifications"]] == ["Hồ sơ đã được tiếp nhận"]
    assert [s["user_agent"] for s in data["sessions"]] == ["Máy tính của Hoa"]
    text = response.content.decode()
    assert "Người Lạ" not in text and "0002" not in text and "079088001122" not in text
    assert AuditEvent.objects.filter(event=AuditEvent.Event.ACCOUNT_EXPORT, user=citizen).count() == 1


def test_export_lists_identities_without_the_providers_claims(client, citizen):
    ExternalIdentity.objects.create(
        user=citizen,
        issuer="https://sso.dichvucong.gov.vn",
        subject="abc",
        claims={"HoVaTen": "x", "sid": "s"},
    )
    client.force_login(citizen)
    data = json.loads(client.post(EXPORT).content)
    assert data["identities"][0]["issuer"] == "https://sso.dichvucong.gov.vn"
    assert "claims" not in data["identities"][0]


def test_export_needs_a_signed_in_person(client):
    response = client.post(EXPORT)
    assert response.status_code == 302
    assert "/tai-khoan/dang-nhap/" in response["Location"]
    assert not AuditEvent.objects.filter(event=AuditEvent.Event.ACCOUNT_EXPORT).exists()


# --- deletion request -----------------------------------------------------------------------------------------------


def test_deletion_request_needs_the_consent_box_ticked(client, citizen):
    client.force_login(citizen)
    page = client.get(DELETION)
    assert 'type="checkbox"' in page.content.decode() and "checked" not in page.content.decode()

    for data in ({"reason": "Tôi không dùng nữa"}, {}):
        response = client.post(DELETION, data)
        assert response.status_code == 400
        assert "Bạn cần đánh dấu ô xác nhận để gửi yêu cầu xóa tài khoản." in response.content.decode()
        assert 'aria-invalid="true"' in response.content.decode()
    assert not AccountDeletionRequest.objects.exists()
    assert not AuditEvent.objects.filter(event=AuditEvent.Event.ACCOUNT_DELETION_REQUESTED).exists()


def test_deletion_request_is_recorded_audited_and_shown_as_pending(client, citizen):
    client.force_login(citizen)
    response = client.post(DELETION, {"confirm": "on", "reason": "Tôi không dùng nữa"})
    assert response.status_code == 302
    request = AccountDeletionRequest.objects.get(user=citizen)
    assert (request.state, request.reason) == (AccountDeletionRequest.State.PENDING, "Tôi không dùng nữa")
    assert (
        AuditEvent.objects.filter(event=AuditEvent.Event.ACCOUNT_DELETION_REQUESTED, user=citizen).count()
        == 1
    )
    assert "đang chờ xử lý" in client.get(DELETION).content.decode()
    assert "đang chờ xử lý" in client.get(PROFILE).content.decode()


def test_double_submitted_deletion_request_leaves_one_pending_request(client, citizen):
    client.force_login(citizen)
    client.post(DELETION, {"confirm": "on"})
    client.post(DELETION, {"confirm": "on", "reason": "lần hai"})
    assert _pending(citizen) == 1
    assert AuditEvent.objects.filter(event=AuditEvent.Event.ACCOUNT_DELETION_REQUESTED).count() == 1


def test_deletion_page_says_dossiers_are_kept_by_law(client, citizen):
    client.force_login(citizen)
    html = client.get(DELETION).content.decode()
    assert "lưu trữ theo quy định" in html
    assert "ẩn danh tài khoản" in html


def test_a_reason_over_two_thousand_characters_is_refused(client, citizen):
    client.force_login(citizen)
    response = client.post(DELETION, {"confirm": "on", "reason": "x" * 10_000})
    assert response.status_code == 400
    assert "Lý do dài tối đa 2000 ký tự." in response.content.decode()
    assert not AccountDeletionRequest.objects.exists()


def test_province_admin_marks_a_deletion_request_done_and_a_handled_one_stays_handled(citizen, make_user):
    admin = make_user("quantri_tinh", role=User.Role.PROVINCE_ADMIN, is_staff=True)
    deletion, created = services.account_deletion_request(request=None, user=citizen, reason="")
    assert created
    assert services.account_deletion_request_handle(
        deletion_request=deletion, admin=admin, state=AccountDeletionRequest.State.DONE
    )
    assert not services.account_deletion_request_handle(
        deletion_request=deletion, admin=admin, state=AccountDeletionRequest.State.REFUSED
    )
    deletion.refresh_from_db()
    assert (deletion.state, deletion.handled_by) == (AccountDeletionRequest.State.DONE, admin)
    # Handled: the person may ask again.
    assert services.account_deletion_request(request=None, user=citizen, reason="")[1]


def test_province_admin_sees_and_handles_pending_requests_in_the_admin(citizen, make_user):
    admin = make_user("qt_tinh", role=User.Role.PROVINCE_ADMIN, is_staff=True)
    department_admin = make_user(
        "qt_tuphap", role=User.Role.DEPARTMENT_ADMIN, agency_code="000.00.05.H01", is_staff=True
    )
    deletion, _ = services.account_deletion_request(request=None, user=citizen, reason="Không dùng nữa")
    url = "/quan-tri/accounts/accountdeletionrequest/"

    browser = Client()
    staff_login(browser, department_admin)
    assert browser.get(url).status_code == 403

    browser = Client()
    staff_login(browser, admin)
    page = browser.get(url + "?state__exact=pending")
    assert page.status_code == 200
    assert "Nguyễn Thị Hoa" in page.content.decode()
    assert PERSONAL_ID not in page.content.decode()
    response = browser.post(url, {"action": "mark_done", "_selected_action": [deletion.pk]})
    assert response.status_code == 302
    deletion.refresh_from_db()
    assert (deletion.state, deletion.handled_by) == (AccountDeletionRequest.State.DONE, admin)
