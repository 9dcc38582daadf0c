"""Public tracking in a real browser: the receipt's signed link opens the summary at 320 px without sideways scrolling,
in Vietnamese and English; a wrong answer is explained in the focused error summary; and twenty wrong answers from
another browser behind the same address do not keep the owner's browser out. axe-core checks each page.

Every test here stays ``django_db`` and non-transactional (see ``conftest.py``)."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dossiers import services
from dossiers.pdf.qr import tracking_url
from tests.people import make_staff, uploads_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
NARROW = {"width": 320, "height": 640}


@pytest.fixture(autouse=True)
def isolated_storage_and_counters(settings, tmp_path):
    """Stored files under this test's directory (counters are the test's own: tests/conftest.py)."""
    uploads_in(settings, tmp_path)


@pytest.fixture
def dossier(make_user):
    """A dossier received at a commune's counter; the applicant's phone ends in 5678."""
    staff = make_staff(make_user)
    dossier = staff.register(name="Nguyễn Văn An")
    services.dossier_receive(
        dossier=dossier, actor=staff.receiver, due_at=timezone.now() + timedelta(days=7), note="Đủ giấy tờ"
    )
    dossier.refresh_from_db()
    return dossier


def sideways_scroll(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def lookup(page, code: str, digits: str) -> None:
    page.goto("/ho-so/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label("4 số cuối số điện thoại hoặc số định danh của người nộp").fill(digits)
    page.get_by_role("button", name="Tra cứu").click()


@pytest.mark.parametrize("language", ["", "/en"])
def test_the_receipts_link_opens_the_summary_at_320_px_without_sideways_scrolling(
    new_context, axe_check, dossier, language
):
    page = new_context(viewport=NARROW).new_page()
    page.goto(language + urlsplit(tracking_url(dossier.code)).path)
    result = page.locator("section.tracking-result")
    expect(result.get_by_role("heading", level=2)).to_contain_text(dossier.code)
    expect(result.locator(".status")).to_have_text("Đã tiếp nhận" if not language else "Received")
    assert sideways_scroll(page) == 0
    assert "Nguyễn Văn An" not in page.locator("body").inner_text()
    axe_check(page)


def test_a_wrong_answer_is_explained_in_the_focused_error_summary(new_context, axe_check, dossier):
    page = new_context(viewport=NARROW).new_page()
    lookup(page, dossier.code, "0000")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Không tìm thấy hồ sơ")
    assert page.title().startswith("Lỗi:") and sideways_scroll(page) == 0
    axe_check(page)


def test_twenty_wrong_answers_from_another_browser_do_not_keep_the_owner_out(new_context, dossier):
    owner = new_context().new_page()
    lookup(owner, dossier.code, "5678")
    expect(owner.locator("section.tracking-result .status")).to_have_text("Đã tiếp nhận")
    attacker = new_context().new_page()  # the same address: both come from the test server's loopback
    for n in range(20):
        attacker.goto(f"/ho-so/tra-cuu/?ma={dossier.code}&xac_thuc={n:04d}")
    expect(attacker.locator(".error-summary")).to_contain_text("thử lại sau")
    lookup(attacker, dossier.code, "5678")  # the right digits do not help the guesser
    expect(attacker.locator("section.tracking-result")).to_have_count(0)
    lookup(owner, dossier.code, "5678")
    expect(owner.locator("section.tracking-result .status")).to_have_text("Đã tiếp nhận")
