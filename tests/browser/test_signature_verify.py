"""Anyone checks a result the portal issued on the public verify page, in a real browser at 1280 and 320 px, axe
clean, without JavaScript needed and never scrolling sideways: a signed file is valid and unchanged, a changed one
is not.

Every test here must stay ``django_db`` and non-transactional: see the docstring of ``conftest.py``."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.pdf.pades import sign_pdf
from portal.pdf.render import html_to_pdf
from signing.demo_ca import demo_ca_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.mark.parametrize("width", [1280, 320])
def test_anyone_checks_a_signed_result_on_the_verify_page(new_context, settings, tmp_path, axe_check, width):
    paths = demo_ca_create(tmp_path / "ca")
    settings.SIGNING_CERT_PATH, settings.SIGNING_KEY_PATH = str(paths["cert"]), str(paths["key"])
    settings.SIGNING_CA_PATH, settings.SIGNING_KEY_PASSWORD = str(paths["ca"]), ""
    signed = sign_pdf(html_to_pdf("<h1>Quyết định</h1><p>Cấp giấy khai sinh.</p>"))
    (tmp_path / "ket-qua.pdf").write_bytes(signed)
    changed = bytearray(signed)
    changed[200] ^= 0x01
    (tmp_path / "da-sua.pdf").write_bytes(bytes(changed))

    page = new_context(viewport={"width": width, "height": 900}, java_script_enabled=False).new_page()
    page.goto(reverse("signing:verify"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra chữ ký số trên kết quả")

    page.get_by_label("Tệp PDF cần kiểm tra").set_input_files(str(tmp_path / "ket-qua.pdf"))
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Chữ ký số hợp lệ")
    expect(page.get_by_text("Văn phòng UBND tỉnh (thử nghiệm)")).to_be_visible()

    # With JavaScript on (axe runs in the page): a changed file, then the signed one.
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(reverse("signing:verify"))
    page.get_by_label("Tệp PDF cần kiểm tra").set_input_files(str(tmp_path / "da-sua.pdf"))
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("tệp đã bị thay đổi sau khi ký")
    assert axe_check(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=f"/tmp/h17b-shots/verify-changed-{width}.png", full_page=True)

    page.get_by_label("Tệp PDF cần kiểm tra").set_input_files(str(tmp_path / "ket-qua.pdf"))
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Chữ ký số hợp lệ")
    assert axe_check(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=f"/tmp/h17b-shots/verify-valid-{width}.png", full_page=True)
