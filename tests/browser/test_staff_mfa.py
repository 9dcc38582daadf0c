"""A new member of staff's first sign-in in Chromium: the password, then the mandatory enrolment of an authenticator
app (the secret read off the page, as a person types it into the app), the recovery codes, and on to the officer
queue. axe-core checks the sign-in, enrolment and recovery-code pages."""

import re

import pytest
from playwright.sync_api import expect

from portal.accounts.models import User
from tests.accounts.mfa import totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "Mat-khau-du-dai-123"  # tests/conftest.py make_user
SERVICE_CENTRE = "000.00.01.H01"


def test_a_new_officer_enrols_an_authenticator_app_and_reaches_the_queue(page, make_user, axe_check):
    make_user("motcua_moi", role=User.Role.ONESTOP_OFFICER, agency_code=SERVICE_CENTRE, full_name="Lê Thu")

    page.goto("/ho-so/can-bo/")
    expect(page).to_have_url(re.compile(r"/tai-khoan/dang-nhap/\?next="))
    axe_check(page)
    page.get_by_label("Tên đăng nhập").fill("motcua_moi")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()

    expect(page.locator("h1")).to_have_text("Bật xác thực hai lớp")
    expect(page.get_by_text("Tài khoản cán bộ bắt buộc dùng xác thực hai lớp")).to_be_visible()
    expect(page.get_by_role("img", name="Mã QR để thêm tài khoản Cổng vào ứng dụng xác thực")).to_be_visible()
    axe_check(page)
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Mã từ ứng dụng xác thực").fill(totp_now(secret))
    page.get_by_role("button", name="Bật xác thực hai lớp").click()

    expect(page.locator("h1")).to_have_text("Mã khôi phục")
    codes = page.get_by_role("list", name="Các mã khôi phục chưa dùng")
    expect(codes.get_by_role("listitem")).to_have_count(10)
    axe_check(page)
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()

    expect(page.locator("h1")).to_have_text("Xử lý hồ sơ")
    page.get_by_role("navigation", name="Hàng đợi xử lý hồ sơ").get_by_role(
        "link", name=re.compile(r"^Chờ tiếp nhận")
    ).click()
    expect(page.locator("h1")).to_have_text("Chờ tiếp nhận")
