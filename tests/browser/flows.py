"""What the browser tests of dossiers share: the demo accounts' password, the agencies and the steps people take
(signing in with the second factor, finding a queue, acting on a dossier). Fixtures are in ``conftest.py``."""

import re

from allauth.mfa.models import Authenticator
from django.utils import timezone
from playwright.sync_api import expect

from dossiers.models import Dossier
from tests.accounts.mfa import totp_now, totp_secret

PASSWORD = "Mat-khau-demo-du-dai-2025"
JUSTICE = "000.00.05.H01"  # Sở Tư pháp
SERVICE_CENTRE = "000.00.01.H01"  # Trung tâm Phục vụ hành chính công tỉnh
PHONE = "0912345678"
ADDRESS = "Số 12 đường Trần Hưng Đạo, phường Rạch Giá"
CODE = re.compile(rf"^{re.escape(SERVICE_CENTRE)}-\d{{6}}-\d{{4}}$")
# A minimal PDF that the upload check accepts (it must end with %%EOF).
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"  # noqa: E501
MAX_TABS = 80


def sign_in(page, username: str) -> None:
    """Fill in the sign-in form the page is on and send it; staff then enter the code their authenticator app shows."""
    expect(page).to_have_url(re.compile(r"/tai-khoan/dang-nhap/"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    authenticator = Authenticator.objects.filter(
        user__username=username, type=Authenticator.Type.TOTP
    ).first()
    if authenticator is not None:
        page.get_by_label("Mã xác thực").fill(totp_now(totp_secret(authenticator)))
        page.get_by_role("button", name="Xác nhận", exact=True).click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def signed_in_page(new_context, username: str):
    page = new_context().new_page()
    page.goto("/tai-khoan/dang-nhap/")
    sign_in(page, username)
    return page


def focused(page) -> str:
    """What has the keyboard focus: its id, else its name attribute, else its text."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (el.id) return el.id;
            return el.tagName === 'BUTTON' ? el.textContent.trim() : el.getAttribute('name') || el.textContent.trim();
        }"""
    )


def tab_until(page, locator, *, key: str = "Tab") -> int:
    """Press Tab until ``locator`` has the focus; how many presses it took."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press(key)
        if locator.evaluate("el => el === document.activeElement"):
            return presses
    raise AssertionError(
        f"{locator} not reached with {MAX_TABS} presses of {key}; focus is on {focused(page)!r}"
    )


def start_from_main_content(page) -> None:
    """The way a keyboard user starts on a page: the skip link, then into the main content."""
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Bỏ qua, đến nội dung chính")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def officer_queue(page, label: str):
    """Open one of the officer's queues from the site navigation, as an officer starts their work."""
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name=re.compile("Xử lý hồ sơ")
    ).click()
    expect(page.locator("h1")).to_have_text("Xử lý hồ sơ")
    page.get_by_role("navigation", name="Hàng đợi xử lý hồ sơ").get_by_role(
        "link", name=re.compile(rf"^{re.escape(label)}")
    ).click()
    expect(page.locator("h1")).to_have_text(label)


def open_from_queue(page, code: str) -> None:
    page.get_by_role("table").get_by_role("link", name=code, exact=True).click()
    expect(page.locator("h1")).to_have_text(f"Hồ sơ {code}")


def act(page, action: str, label: str) -> None:
    """Open an action's panel on the work page (unless it is the only one, open already) and press its button."""
    panel = page.locator(f"#act-{action}")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    panel.get_by_role("button", name=label, exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã thực hiện: {label}.")


def local(moment, fmt: str) -> str:
    return timezone.localtime(moment).strftime(fmt)


def citizen_cannot_see_the_result(page, code: str, result_file_id: int) -> None:
    """Before the result is approved and returned, the applicant's page shows no result and its address is 404."""
    page.goto(Dossier.objects.get(code=code).get_absolute_url())
    expect(page.locator("main")).not_to_contain_text("ket-qua-giai-quyet.pdf")
    expect(page.locator("main")).not_to_contain_text("Kết quả giải quyết")
    assert page.request.get(f"/ho-so/tep/{result_file_id}/").status == 404
