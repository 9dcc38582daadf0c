"""The whole single sign-on in Chromium: the portal's button, the provider's login page, back signed in; the back
button onto the used callback; signing out at both ends."""

import re

import pytest
from playwright.sync_api import expect

from portal.accounts.models import ExternalIdentity
from tests.sso.op import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_a_citizen_signs_in_through_the_provider_and_out_again(page, server_url, browser_sso, axe_check):
    callbacks = []
    page.on(
        "request", lambda request: callbacks.append(request.url) if "/oidc/callback/" in request.url else None
    )

    page.goto("/tai-khoan/dang-nhap/?next=/so-do-trang/")
    axe_check(page)
    page.get_by_role("link", name="Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia / VNeID").click()

    expect(page).to_have_url(re.compile(re.escape(browser_sso.issuer) + r"/interaction/"))
    page.get_by_label("Tên đăng nhập").fill("citizen")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page).to_have_url(f"{server_url}/so-do-trang/")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    identity = ExternalIdentity.objects.select_related("user").get(
        issuer=browser_sso.issuer, subject="citizen"
    )
    assert identity.user.full_name == "Nguyễn Thị Lan"
    assert identity.user.personal_id == "001090012345"

    # Back onto the callback that was already used: the friendly page, still signed in as before.
    assert len(callbacks) == 1
    response = page.goto(callbacks[0])
    assert response.status == 400
    expect(page.get_by_role("heading", name="Phiên đăng nhập không còn hiệu lực")).to_be_visible()
    expect(page.get_by_role("link", name="Thử lại")).to_be_visible()
    axe_check(page)

    # Signing out ends the provider's session too: its confirmation page, then back to the portal's home page.
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(re.escape(browser_sso.issuer) + r"/session/end"))
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(f"{server_url}/")
    expect(page.get_by_role("link", name="Đăng nhập", exact=True)).to_be_visible()
