"""The account pages a person clicks through, in Chromium: a citizen keeps their profile (phone, notification
channels), looks at and ends their sessions, downloads their data and asks for the account to be deleted; a department
admin, past the second factor, lists their staff, creates an officer and changes a role. axe-core checks every page
visited (no serious or critical WCAG 2.1 AA violation).

Every test here must stay ``django_db`` and non-transactional: see the docstring of ``conftest.py``.
"""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.accounts.models import AccountDeletionRequest, AgencyMembership, User
from portal.audit.models import AuditEvent
from tests.accounts.mfa import totp_enrol, totp_now, totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "Mat-khau-du-dai-123"  # tests/conftest.py make_user
JUSTICE = "000.00.05.H01"  # Sở Tư pháp
CONSTRUCTION = "000.00.06.H01"  # Sở Xây dựng
PROFILE = "/tai-khoan/thong-tin-ca-nhan/"
STAFF = "/tai-khoan/can-bo/"
PHONE_BROWSER = "Mozilla/5.0 (Linux; Android 14) DienThoaiKhac/1.0"


def sign_in(page, username: str, next_path: str) -> None:
    """Open ``next_path``, get sent to the sign-in page, sign in with the password."""
    page.goto(next_path)
    expect(page).to_have_url(re.compile(r"/tai-khoan/dang-nhap/\?next="))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()


@pytest.fixture
def citizen(make_user):
    return make_user(
        "congdan_taikhoan",
        full_name="Nguyễn Thị Hoa",
        email="hoa.taikhoan@example.invalid",
        phone="0912345678",
        personal_id="001203004567",
    )


def test_a_citizen_keeps_their_profile_sessions_data_and_asks_for_deletion(new_context, citizen, axe_check):
    # Another device is signed in already: the profile lists it beside this one.
    other_device = new_context(user_agent=PHONE_BROWSER).new_page()
    sign_in(other_device, citizen.username, PROFILE)
    expect(other_device.locator("h1")).to_have_text("Thông tin tài khoản")

    page = new_context().new_page()
    sign_in(page, citizen.username, PROFILE)
    expect(page.locator("h1")).to_have_text("Thông tin tài khoản")
    expect(page.get_by_text("********4567")).to_be_visible()
    expect(page.get_by_text("001203004567")).to_have_count(0)
    axe_check(page)

    page.get_by_label("Số điện thoại").fill("0987 654 321")
    page.get_by_label("Nhận thông báo qua thư điện tử").uncheck()
    page.get_by_label("Nhận thông báo qua tin nhắn SMS").check()
    page.get_by_role("button", name="Lưu thay đổi").click()
    expect(page.get_by_text("Đã lưu thông tin tài khoản.")).to_be_visible()
    expect(page.get_by_label("Số điện thoại")).to_have_value("0987654321")
    axe_check(page)
    citizen.refresh_from_db()
    assert (citizen.phone, citizen.notify_email, citizen.notify_sms) == ("0987654321", False, True)

    sessions = page.get_by_role("table", name="Các thiết bị đang đăng nhập tài khoản của bạn")
    expect(sessions.locator("tbody tr")).to_have_count(2)
    expect(sessions.get_by_role("row", name=re.compile("Thiết bị này"))).to_have_count(1)
    expect(sessions.get_by_role("rowheader", name=PHONE_BROWSER)).to_be_visible()
    page.get_by_role("button", name="Đăng xuất khỏi các thiết bị khác").click()
    expect(page.get_by_text("Đã đăng xuất khỏi 1 thiết bị khác.")).to_be_visible()
    expect(sessions.locator("tbody tr")).to_have_count(1)
    axe_check(page)
    other_device.reload()
    expect(other_device).to_have_url(re.compile(r"/tai-khoan/dang-nhap/\?next="))

    page.get_by_role("link", name="Gửi yêu cầu xóa tài khoản").click()
    expect(page.locator("h1")).to_have_text("Yêu cầu xóa tài khoản")
    axe_check(page)
    page.get_by_role("link", name="Tải dữ liệu cá nhân của bạn trước khi gửi yêu cầu").click()
    expect(page.locator("h1")).to_have_text("Tải dữ liệu cá nhân")
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải dữ liệu cá nhân (JSON)").click()
    assert re.fullmatch(r"du-lieu-ca-nhan-\d{8}\.json", download.value.suggested_filename)
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["account"]["username"] == citizen.username
    assert exported["account"]["phone"] == "0987654321"
    assert exported["notification_preferences"] == {"email": False, "sms": True}

    page.go_back()
    expect(page.locator("h1")).to_have_text("Yêu cầu xóa tài khoản")
    page.get_by_role("button", name="Gửi yêu cầu xóa tài khoản").click()  # consent not given: refused
    expect(page.get_by_role("alert")).to_contain_text("Bạn cần đánh dấu ô xác nhận")
    axe_check(page)
    assert not AccountDeletionRequest.objects.filter(user=citizen).exists()

    page.get_by_label(re.compile("Tôi đồng ý và yêu cầu xóa tài khoản của tôi")).check()
    page.get_by_label("Lý do (không bắt buộc)").fill("Tôi chuyển đi tỉnh khác.")
    page.get_by_role("button", name="Gửi yêu cầu xóa tài khoản").click()
    expect(page.get_by_text("Đã gửi yêu cầu xóa tài khoản.")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="đang chờ xử lý")).to_be_visible()
    axe_check(page)
    request = AccountDeletionRequest.objects.get(user=citizen)
    assert (request.state, request.reason) == (
        AccountDeletionRequest.State.PENDING,
        "Tôi chuyển đi tỉnh khác.",
    )


def test_a_department_admin_lists_staff_creates_an_officer_and_changes_a_role(page, make_user, axe_check):
    admin = make_user(
        "qt_tuphap_tk", role=User.Role.DEPARTMENT_ADMIN, agency_code=JUSTICE, full_name="Phạm Quản Trị"
    )
    make_user("cv_tuphap_tk", role=User.Role.HANDLING_OFFICER, agency_code=JUSTICE, full_name="Lê Minh Châu")
    secret = totp_secret(totp_enrol(admin))

    sign_in(page, admin.username, STAFF)
    expect(page.locator("h1")).to_have_text("Nhập mã xác thực")
    axe_check(page)
    page.get_by_label("Mã xác thực").fill(totp_now(secret))
    page.get_by_role("button", name="Xác nhận").click()

    expect(page.locator("h1")).to_have_text("Quản lý tài khoản cán bộ")
    staff = page.get_by_role("table")
    expect(staff.get_by_role("link", name="Lê Minh Châu")).to_be_visible()
    axe_check(page)
    page.get_by_label("Tên, tên đăng nhập hoặc thư điện tử").fill("châu")
    page.get_by_role("button", name="Lọc").click()
    expect(staff.locator("tbody tr")).to_have_count(1)
    axe_check(page)

    page.goto(f"{STAFF}?co_quan={CONSTRUCTION}&q={'x' * 101}")  # another agency, an over-long search: refused
    expect(page.get_by_role("alert")).to_contain_text("không thuộc phạm vi quản lý của bạn")
    search = page.get_by_label("Tên, tên đăng nhập hoặc thư điện tử")
    expect(search).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{search.get_attribute('aria-describedby')}")).to_have_text(
        "Lỗi: Từ khóa dài tối đa 100 ký tự."
    )
    axe_check(page)

    page.get_by_role("link", name="Tạo tài khoản cán bộ").click()
    expect(page.locator("h1")).to_have_text("Tạo tài khoản cán bộ")
    axe_check(page)
    page.get_by_role("button", name="Tạo tài khoản và gửi thư mời").click()  # nothing filled in: refused
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Vui lòng nhập tên đăng nhập.")).to_be_visible()
    axe_check(page)
    page.get_by_label("Tên đăng nhập").fill("motcua_tuphap_moi")
    page.get_by_label("Họ và tên").fill("Trần Thị Mới")
    page.get_by_label("Thư điện tử").fill("moi.tuphap@example.invalid")
    page.get_by_label("Chức danh").fill("Công chức một cửa")
    page.get_by_label("Vai trò").select_option(label="Cán bộ một cửa")
    page.get_by_role("button", name="Tạo tài khoản và gửi thư mời").click()

    expect(page.locator("h1")).to_have_text("Trần Thị Mới")
    expect(page.get_by_text("Đã tạo tài khoản motcua_tuphap_moi")).to_be_visible()
    axe_check(page)
    member = User.objects.get(username="motcua_tuphap_moi")
    assert member.role == User.Role.ONESTOP_OFFICER
    assert list(AgencyMembership.objects.filter(user=member).values_list("agency__code", flat=True)) == [
        JUSTICE
    ]

    role = page.get_by_role("region", name="Đổi vai trò")
    role.get_by_label("Vai trò").select_option(label="Chuyên viên xử lý")
    role.get_by_role("button", name="Lưu vai trò").click()
    expect(page.get_by_text("Đã đổi vai trò.")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Chuyên viên xử lý")
    axe_check(page)
    member.refresh_from_db()
    assert member.role == User.Role.HANDLING_OFFICER
    assert AuditEvent.objects.filter(user=member, actor=admin, event=AuditEvent.Event.ROLE_CHANGED).exists()

    page.get_by_role("link", name="Quản lý tài khoản cán bộ").first.click()
    expect(page.get_by_role("table").get_by_role("link", name="Trần Thị Mới")).to_be_visible()
