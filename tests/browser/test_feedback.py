"""Feedback in Chromium: an anonymous sender files feedback from the header link (errors first), gets the code and
follows it; an officer of the provincial office routes it; the public list shows a published answer. axe-core checks
every page, at 1280 px and at 320 px (where nothing may scroll sideways).

Every test here must stay ``django_db`` and non-transactional: see the docstring of ``conftest.py``.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from feedback import services
from feedback.models import Feedback
from portal.accounts.models import User
from tests.accounts.mfa import totp_enrol, totp_now, totp_secret
from tests.feedback.conftest import OFFICE, submission
from tests.people import make_staff, uploads_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "Mat-khau-du-dai-123"  # tests/conftest.py make_user
SHOTS = os.environ.get(
    "FEEDBACK_SCREENSHOTS", ""
)  # a directory to keep screenshots in, for a person to look at


def look(page, axe_check, name: str) -> None:
    """axe at 1280 px, then at 320 px without sideways scrolling; screenshots kept when FEEDBACK_SCREENSHOTS is set."""
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page)
        if width == 320:
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= 320, f"{page.url} scrolls sideways at 320 px (scrollWidth {scroll})"
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def people(make_user, settings, tmp_path):
    uploads_in(settings, tmp_path)
    staff = make_staff(make_user)
    router = make_user(
        "vanphong", role=User.Role.ONESTOP_OFFICER, agency_code=OFFICE, full_name="Võ Văn Phòng"
    )
    return staff, router


def test_an_anonymous_sender_files_feedback_from_the_header_and_follows_it(page, axe_check, people):
    page.goto("/")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Phản ánh, kiến nghị"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi phản ánh, kiến nghị")
    page.get_by_role("button", name="Gửi phản ánh").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Nhập tiêu đề phản ánh.")).to_be_visible()
    look(page, axe_check, "form-errors")

    page.get_by_label("Quy định hành chính, thủ tục hành chính").check()
    page.get_by_label("Tiêu đề").fill("Thời hạn đăng ký khai sinh quá dài")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Thủ tục phải chờ quá lâu, <script>alert(1)</script>."
    )
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Tra cứu trên Cổng").check()
    page.get_by_role("button", name="Gửi phản ánh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã nhận phản ánh, kiến nghị")
    code = page.locator(".notice .code").inner_text()
    assert re.fullmatch(rf"PA-{re.escape(OFFICE)}-\d{{6}}-0001", code)
    look(page, axe_check, "receipt")

    page.get_by_role("link", name="Theo dõi phản ánh bằng mã và 4 số cuối số điện thoại").click()
    page.get_by_label("4 số cuối số điện thoại đã khai khi gửi").fill("5678")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator(".tracking-result")).to_contain_text("Đã tiếp nhận, chờ phân loại")
    look(page, axe_check, "tracking")


def test_an_officer_of_the_provincial_office_routes_feedback_and_the_public_reads_published_answers(
    page, axe_check, people
):
    staff, router = people
    item, _ = services.feedback_submit(submission=submission())
    published, _ = services.feedback_submit(submission=submission(subject="Lệ phí đăng ký khai sinh"))
    published = services.feedback_route(feedback=published, actor=router, agency=staff.justice)
    published = services.feedback_assign(feedback=published, actor=staff.leader, handler=staff.handler)
    published = services.feedback_draft(
        feedback=published, actor=staff.handler, text="Đăng ký khai sinh đúng hạn miễn lệ phí."
    )
    published = services.feedback_approve(feedback=published, actor=staff.leader)
    published = services.feedback_send(feedback=published, actor=staff.handler)
    services.feedback_publish(
        feedback=published,
        actor=staff.handler,
        public_question=published.public_question,
        public_answer=published.public_answer,
        checked=True,
    )

    page.goto("/phan-anh/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Phản ánh, kiến nghị đã trả lời")
    page.get_by_label("Cơ quan trả lời").select_option(label="Sở Tư pháp")
    page.get_by_role("button", name="Tìm").click()
    expect(page.locator("ol.results li")).to_have_count(1)
    look(page, axe_check, "public-list")

    authenticator = totp_enrol(router)
    page.goto("/tai-khoan/dang-nhap/?next=/phan-anh/can-bo/")
    page.get_by_label("Tên đăng nhập").fill("vanphong")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.get_by_label("Mã xác thực").fill(totp_now(totp_secret(authenticator)))
    page.get_by_role("button", name="Xác nhận", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chờ phân loại, chuyển")
    look(page, axe_check, "staff-queue")

    page.get_by_role("link", name=item.code).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(item.code)
    look(page, axe_check, "staff-item")
    page.get_by_role("combobox", name=re.compile("^Cơ quan có thẩm quyền")).select_option(label="Sở Tư pháp")
    page.get_by_role("button", name="Chuyển", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã chuyển phản ánh đến cơ quan có thẩm quyền.")
    item.refresh_from_db()
    assert item.state == Feedback.State.ROUTED and item.agency == staff.justice
