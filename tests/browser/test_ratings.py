"""Ratings in Chromium with axe (1280 and 320 px, no sideways scroll): the applicant rates from the e-mailed link on a
phone-sized screen (errors first), an officer opens the kiosk page at the counter, and the public ranking page shows
the chart and its table.

Every test here must stay ``django_db`` and non-transactional: see the docstring of ``conftest.py``.
"""

import pytest
from playwright.sync_api import expect

from dossiers.models import Dossier
from portal.catalog.models import Channel
from ratings import links, services
from ratings.models import Rating
from ratings.periods import period_of
from tests.accounts.mfa import totp_enrol, totp_now, totp_secret
from tests.browser.test_feedback import look
from tests.people import BIRTH, make_staff, uploads_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def staff(make_user, settings, tmp_path):
    uploads_in(settings, tmp_path)
    Channel.objects.filter(procedure__code=BIRTH, duration_unit="").update(duration_unit="working_day")
    return make_staff(make_user)


def answer(page) -> None:
    for label in (
        "Trả sớm hơn ngày hẹn",
        "Phải bổ sung một lần",
        "Chỉ một nơi (bộ phận một cửa)",
        "Tận tình, đúng mực",
    ):
        page.get_by_label(label, exact=True).check()


def test_the_applicant_rates_from_the_e_mailed_link_on_a_phone(page, axe_check, staff):
    dossier = staff.dossier_in(Dossier.State.RETURNED)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/danh-gia/lien-ket/{links.rating_link_token(dossier.pk)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đánh giá việc giải quyết hồ sơ")
    page.get_by_role("button", name="Gửi đánh giá").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Vui lòng chọn một câu trả lời.")).to_have_count(4)
    look(page, axe_check, "rating-link-errors")
    answer(page)
    page.get_by_label("Ý kiến khác").fill("Cán bộ hướng dẫn rõ ràng.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn anh/chị đã đánh giá")
    look(page, axe_check, "rating-thanks")
    rating = Rating.objects.get()
    assert (rating.i1, rating.i3, rating.i4, rating.i7, rating.source) == (2, 1, 2, 2, "link")


def test_an_officer_opens_the_kiosk_page_at_the_counter(page, axe_check, staff):
    dossier = staff.dossier_in(Dossier.State.RETURNED)
    authenticator = totp_enrol(staff.receiver)
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(staff.receiver.username)
    page.get_by_label("Mật khẩu").fill("Mat-khau-du-dai-123")  # tests/conftest.py make_user
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.get_by_label("Mã xác thực").fill(totp_now(totp_secret(authenticator)))
    page.get_by_role("button", name="Xác nhận", exact=True).click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    page.goto(f"/ho-so/can-bo/{dossier.pk}/")
    page.get_by_role("link", name="Mở trang đánh giá tại quầy cho người nộp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đánh giá việc giải quyết hồ sơ")
    look(page, axe_check, "rating-kiosk")
    answer(page)
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_text("Vui lòng trả thiết bị cho cán bộ.")).to_be_visible()
    assert Rating.objects.get().source == "kiosk"


def test_the_public_ranking_page(page, axe_check, staff, settings):
    settings.RATINGS_MINIMUM_RATED = 1
    dossier = staff.dossier_in(Dossier.State.RETURNED)
    services.rating_record(
        dossier_id=dossier.pk,
        answers=services.Answers(i1=2, i3=2, i4=1, i7=2),
        source=Rating.Source.PORTAL,
        user=staff.citizen,
    )
    period = period_of(dossier.returned_at)
    page.goto(f"/danh-gia/xep-hang/co-quan/{period.slug}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kết quả đánh giá, xếp hạng cơ quan")
    expect(page.locator("svg[role=img]")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=staff.justice.name)).to_have_count(1)
    look(page, axe_check, "ranking")
    page.get_by_role("link", name="Xếp hạng xã, phường").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("xã, phường")
    look(page, axe_check, "ranking-communes")
