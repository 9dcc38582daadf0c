"""Accessibility beyond what axe sees, in Chromium (issue 9, items 1.6 and 2.2-2.5): the error summary takes focus and
leads to each field; the session time-out warning shows before the limit and its button extends the session; a form
posted after the session ended is offered again after signing in, with its text; no page of the account area scrolls
sideways at 320 px; staff land on their work page without the citizen's menu. axe-core checks every page visited.

Every test here must stay ``django_db`` and non-transactional: see the docstring of ``conftest.py``.
"""

import re
import time

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from playwright.sync_api import expect

from portal.accounts.models import User
from portal.accounts.session_security import LAST_SEEN_KEY
from tests.accounts.mfa import totp_enrol, totp_now, totp_secret
from tests.people import make_staff, uploads_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "Mat-khau-du-dai-123"  # tests/conftest.py make_user
LOGIN = "/tai-khoan/dang-nhap/"
PROFILE = "/tai-khoan/thong-tin-ca-nhan/"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"  # noqa: E501


def fill_sign_in(page, username: str) -> None:
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()


def sign_in(page, username: str, path: str = LOGIN) -> None:
    page.goto(path)
    fill_sign_in(page, username)
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def session_of(page) -> SessionStore:
    key = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "sessionid")
    return SessionStore(session_key=key)


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} scrolls sideways at 320 px (scrollWidth {width})"


@pytest.fixture
def citizen(make_user):
    return make_user("congdan_a11y", full_name="Lê Thị Thu", email="thu.a11y@example.invalid")


# --- 2.2 Error summary ------------------------------------------------------------------------------------------------


def test_the_sign_in_error_summary_takes_focus_and_leads_to_each_field(page, axe_check):
    page.goto(LOGIN)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Lỗi: Đăng nhập"))
    expect(summary.get_by_role("link")).to_have_text(
        ["Vui lòng nhập tên đăng nhập hoặc thư điện tử.", "Vui lòng nhập mật khẩu."]
    )
    axe_check(page)

    summary.get_by_role("link", name="Vui lòng nhập mật khẩu.").click()
    password = page.get_by_label("Mật khẩu")
    expect(password).to_be_focused()
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{password.get_attribute('aria-describedby').split()[-1]}")).to_have_text(
        "Lỗi: Vui lòng nhập mật khẩu."
    )
    expect(page.locator("label[for=id_login]")).to_have_text("Tên đăng nhập hoặc thư điện tử (bắt buộc)")


def test_the_profile_error_summary_takes_focus_and_leads_to_each_field(page, citizen, axe_check):
    sign_in(page, citizen.username, PROFILE)
    page.get_by_label("Họ và tên").fill("   ")
    page.get_by_label("Số điện thoại").fill("12")
    page.get_by_role("button", name="Lưu thay đổi").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Lỗi: Thông tin tài khoản"))
    expect(summary.get_by_role("link")).to_have_count(2)
    axe_check(page)
    summary.get_by_role("link", name=re.compile("Số điện thoại không hợp lệ")).click()
    expect(page.get_by_label("Số điện thoại")).to_be_focused()
    summary.get_by_role("link", name="Vui lòng nhập họ và tên.").click()
    expect(page.get_by_label("Họ và tên")).to_be_focused()

    page.get_by_label("Họ và tên").fill("Lê Thị Thu")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_role("button", name="Lưu thay đổi").click()
    expect(page.get_by_text("Đã lưu thông tin tài khoản.")).to_be_visible()
    expect(page.locator("[data-error-summary]")).to_have_count(0)


# --- 2.3 Session time-out warning, and a form posted after the limit -------------------------------------------------


def test_the_time_out_warning_shows_before_the_limit_and_its_button_extends_the_session(
    page, citizen, settings, axe_check
):
    settings.PORTAL_CITIZEN_IDLE_MINUTES = (
        2.05  # 123 s, warned 120 s before: the warning comes 3 s after a request
    )
    settings.PORTAL_SESSION_WARNING_SECONDS = 120
    sign_in(page, citizen.username, PROFILE)
    signed_in_at = session_of(page)[LAST_SEEN_KEY]

    dialog = page.get_by_role("alertdialog", name="Phiên làm việc sắp kết thúc")
    expect(dialog).to_be_visible(timeout=15_000)
    expect(dialog).to_be_focused()
    expect(dialog).to_contain_text("Phiên sẽ kết thúc lúc")
    axe_check(page)

    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Tiếp tục làm việc")).to_be_focused()
    with page.expect_response(re.compile(r"/tai-khoan/phien/gia-han/$")) as extended:
        page.keyboard.press("Enter")
    assert extended.value.status == 200 and extended.value.json()["signed_in"] is True
    expect(dialog).to_be_hidden()
    assert session_of(page)[LAST_SEEN_KEY] > signed_in_at  # the server counts the button as activity

    # It comes back before the next limit; Escape stays signed in too.
    expect(dialog).to_be_visible(timeout=15_000)
    with page.expect_response(re.compile(r"/tai-khoan/phien/gia-han/$")):
        page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("heading", name="Thông tin tài khoản")).to_be_visible()


def test_a_form_posted_after_the_session_ended_is_offered_again_after_signing_in(page, citizen, axe_check):
    sign_in(page, citizen.username, PROFILE)
    page.get_by_label("Số điện thoại").fill("0987 654 321")
    session = session_of(page)
    session[LAST_SEEN_KEY] = int(time.time()) - 3 * 60 * 60  # the person went away for three hours
    session.save()

    page.get_by_role("button", name="Lưu thay đổi").click()

    expect(page.locator("h1")).to_have_text("Đăng nhập")
    notice = page.get_by_role("status")
    expect(notice).to_contain_text("không thao tác trong 120 phút")
    expect(notice).to_contain_text("Cổng đã giữ lại phần chữ bạn đã nhập")
    expect(notice).to_contain_text("Mật khẩu, mã xác thực và tệp đính kèm không bao giờ được giữ lại")
    axe_check(page)
    fill_sign_in(page, citizen.username)

    expect(page.locator("h1")).to_have_text("Gửi lại nội dung đã nhập")
    page.get_by_text("Xem nội dung sẽ được gửi lại").click()
    expect(page.locator(".kept-fields")).to_contain_text("0987 654 321")
    axe_check(page)
    page.get_by_role("button", name="Gửi lại").click()

    expect(page.get_by_text("Đã lưu thông tin tài khoản.")).to_be_visible()
    expect(page.get_by_label("Số điện thoại")).to_have_value("0987654321")
    citizen.refresh_from_db()
    assert citizen.phone == "0987654321"


# --- 2.4 Reflow at 320 px ---------------------------------------------------------------------------------------------


def test_no_page_of_the_account_area_scrolls_sideways_at_320_px(
    new_context, make_user, settings, tmp_path, axe_check, django_capture_on_commit_callbacks
):
    uploads_in(settings, tmp_path)
    staff = make_staff(make_user)
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("Trần Thị Bình", "Trần Văn Cường", "Trần Thị Dung", "Trần Minh Đức"):
            staff.register(applicant=staff.citizen, name=name)
    scan = tmp_path / "giay-khai-sinh.pdf"
    scan.write_bytes(PDF)
    page = new_context(viewport={"width": 320, "height": 640}).new_page()

    for path in ("/", "/so-do-trang/", "/kha-nang-tiep-can/", LOGIN):
        page.goto(path)
        no_sideways_scroll(page)
    page.goto(LOGIN)
    fill_sign_in(page, staff.citizen.username)

    page.goto("/ho-so/kho-du-lieu/")
    page.get_by_role("button", name="Thêm vào kho").click()  # nothing filled in: the summary, at 320 px too
    expect(page.locator("[data-error-summary]")).to_be_focused()
    no_sideways_scroll(page)
    page.get_by_label("Loại giấy tờ").fill("Giấy khai sinh")
    page.get_by_label("Tệp (PDF, JPG, PNG)").set_input_files(scan)
    page.get_by_role("button", name="Thêm vào kho").click()
    expect(page.get_by_role("table", name="Giấy tờ trong kho")).to_contain_text("Giấy khai sinh")
    no_sideways_scroll(page)
    axe_check(page)

    for path in (
        "/ho-so/cua-toi/",
        "/ho-so/thong-bao/",
        PROFILE,
        "/",
        "/so-do-trang/",
        "/kha-nang-tiep-can/",
    ):
        page.goto(path)
        no_sideways_scroll(page)
        axe_check(page)

    page.goto("/ho-so/cua-toi/")
    dossiers = page.get_by_role("table", name=re.compile("hồ sơ, kể cả bản nháp"))
    expect(dossiers.get_by_role("row")).to_have_count(5)  # the header row and four dossiers, read as a table
    first = dossiers.locator("tbody tr").first
    assert first.bounding_box()["width"] <= 320 - 2 * 16  # one card per dossier, not five squeezed columns
    expect(first.get_by_role("cell").first).to_have_css("display", "block")
    expect(page.get_by_role("region", name=re.compile("hồ sơ, kể cả bản nháp"))).to_have_attribute(
        "tabindex", "0"
    )


# --- 1.6 Staff land where they work ----------------------------------------------------------------------------------


def test_an_officer_lands_on_their_work_page_without_the_citizens_menu(page, make_user, axe_check):
    officer = make_user("motcua_a11y", role=User.Role.ONESTOP_OFFICER, agency_code="000.00.05.H01")
    secret = totp_secret(totp_enrol(officer))

    page.goto("/")
    page.get_by_role("link", name="Đăng nhập").click()
    fill_sign_in(page, officer.username)
    page.get_by_label("Mã xác thực").fill(totp_now(secret))
    page.get_by_role("button", name="Xác nhận").click()

    expect(page).to_have_url(re.compile(r"/ho-so/can-bo/$"))
    expect(page.locator("h1")).to_have_text("Xử lý hồ sơ")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Hồ sơ của tôi")).to_have_count(0)
    expect(nav.get_by_role("link", name=re.compile(r"^Thông báo \(\d+\)"))).to_be_visible()
    expect(nav.get_by_role("link", name="Tài khoản")).to_be_visible()
    expect(nav.get_by_role("button", name="Đăng xuất")).to_be_visible()
    axe_check(page)
