"""The other state systems in a real browser against the running stand-ins, at 1280 and 320 px, axe clean and never
scrolling sideways: a citizen fills the draft from the population database with consent, pays a fee on the payment
platform's page and comes back to a receipt, anyone follows a result sent by post on the public tracking page, and a
citizen asks the post to collect their paper dossier when filing, seeing the fee before pressing "Nộp hồ sơ".

Every test here must stay ``django_db`` and non-transactional: see the docstring of ``conftest.py``."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dossiers import filing, services
from dossiers.models import Dossier
from payments.models import Payment
from portal.agencies.models import Agency
from portal.catalog.models import Channel, Procedure
from postal.collections import collections_send_due
from postal.models import Collection
from postal.services import shipment_send_result, shipments_track
from tests.people import BIRTH, attach_required, uploads_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PERSON = {
    "SoDinhDanh": "091185000123",
    "HoVaTen": "Trần Thị Mỹ Lan",
    "NgayThangNamSinh": "19850314",
    "GioiTinh": 2,
    "NoiThuongTru": "Số 5 đường Trần Phú, Phường Rạch Giá, tỉnh An Giang",
    "NoiOHienTai": "Số 9 đường Lạc Hồng, Phường Vĩnh Thông, tỉnh An Giang",
    "ChuHo": {"HoVaTen": "Trần Văn Hùng", "SoDinhDanh": "091060000456", "QuanHe": "Con"},
}


def signed_in_context(new_context, client, settings, server_url, user, width):
    client.force_login(user)
    context = new_context(viewport={"width": width, "height": 900})
    cookie = settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": cookie, "value": client.cookies[cookie].value, "url": server_url}])
    return context


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def submitted_dossier(user, fee=None, **changes) -> Dossier:
    procedure = Procedure.objects.get(code=BIRTH)
    Channel.objects.filter(procedure=procedure).update(duration_unit="working_day")
    if fee:
        Channel.objects.filter(procedure=procedure).update(fee_amount=fee, fee_free=False)
    commune = Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()
    draft = filing.dossier_draft_create(user=user, procedure=procedure, receiving_agency=commune)
    attach_required(draft, user)
    services.dossier_submit(dossier=draft, actor=user)
    if changes:
        Dossier.objects.filter(pk=draft.pk).update(**changes)
    draft.refresh_from_db()
    return draft


@pytest.mark.parametrize("width", [1280, 320])
def test_a_citizen_fills_the_draft_from_the_population_database_with_consent(
    new_context,
    make_user,
    client,
    settings,
    tmp_path,
    server_url,
    axe_check,
    population_settings,
    standin,
    width,
):
    uploads_in(settings, tmp_path)
    standin.population_add(PERSON)
    citizen = make_user("lan", full_name="Lan", personal_id=PERSON["SoDinhDanh"], phone="0912345678")
    commune = Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()
    draft = filing.dossier_draft_create(
        user=citizen, procedure=Procedure.objects.get(code=BIRTH), receiving_agency=commune
    )
    page = signed_in_context(new_context, client, settings, server_url, citizen, width).new_page()
    page.goto(reverse("dossiers:draft", args=[draft.pk]))

    page.get_by_role("button", name="Lấy thông tin từ CSDL").click()  # without consent: told to tick the box
    expect(page.get_by_role("alert").first).to_contain_text("Vui lòng đánh dấu đồng ý")
    assert axe_check(page) == []
    page.get_by_label("Tôi đồng ý để Cổng lấy thông tin").check()
    page.get_by_role("button", name="Lấy thông tin từ CSDL").click()

    expect(page.get_by_text("Đã lấy thông tin từ CSDL quốc gia về dân cư.")).to_be_visible()
    expect(page.get_by_label("Họ và tên (hoặc tên tổ chức)")).to_have_value("Lan")  # typed, kept
    expect(page.get_by_text("bạn nhập “Lan”, CSDL ghi “Trần Thị Mỹ Lan”")).to_be_visible()
    expect(page.get_by_text("Trần Văn Hùng (Con)")).to_be_visible()
    assert axe_check(page) == []
    assert no_sideways_scroll(page)
    page.screenshot(path=str(tmp_path / f"population-{width}.png"), full_page=True)

    page.get_by_label("Tôi đồng ý để Cổng lấy thông tin").check()
    page.get_by_role("button", name="Dùng thông tin trong CSDL thay cho thông tin đã nhập").click()
    expect(page.get_by_label("Họ và tên (hoặc tên tổ chức)")).to_have_value("Trần Thị Mỹ Lan")
    # No request of the page may still be on the server's (shared) connection when the test's transaction ends.
    page.wait_for_load_state("networkidle")
    page.close()
    draft.refresh_from_db()
    assert draft.applicant_address == PERSON["NoiOHienTai"]


@pytest.mark.parametrize("width", [1280, 320])
def test_a_citizen_pays_the_fee_on_the_platform_and_comes_back_to_a_receipt(
    new_context,
    make_user,
    client,
    settings,
    tmp_path,
    server_url,
    axe_check,
    payment_settings,
    standin,
    width,
):
    uploads_in(settings, tmp_path)
    citizen = make_user("hoa", full_name="Nguyễn Thị Hoa", phone="0912345678")
    dossier = submitted_dossier(citizen, fee=50000)
    page = signed_in_context(new_context, client, settings, server_url, citizen, width).new_page()
    page.goto(dossier.get_absolute_url())
    assert axe_check(page) == []

    page.get_by_role("button", name="Thanh toán trực tuyến 50.000 đ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thanh toán lệ phí")  # the platform's page
    page.get_by_role("button", name="Xác nhận thanh toán").click()

    expect(page.get_by_text(f"Đã thanh toán 50.000 đ cho hồ sơ {dossier.code}.")).to_be_visible()
    assert axe_check(page) == []
    assert no_sideways_scroll(page)
    page.screenshot(path=str(tmp_path / f"payment-{width}.png"), full_page=True)
    payment = Payment.objects.get(dossier=dossier)
    assert payment.state == Payment.State.PAID
    assert standin.payment_notifications()[-1]["answer"]["status"] == 200
    page.get_by_role("link", name=f"Về trang hồ sơ {dossier.code}").click()
    expect(page.get_by_text("Đã thanh toán trực tuyến")).to_be_visible()
    expect(
        page.get_by_role("link", name=f"Tải biên lai điện tử số {payment.receipt_number} (PDF)")
    ).to_be_visible()


@pytest.mark.parametrize("width", [1280, 320])
def test_anyone_follows_a_result_sent_by_post_on_the_tracking_page(
    new_context, make_user, settings, tmp_path, axe_check, postal_settings, standin, width
):
    uploads_in(settings, tmp_path)
    citizen = make_user("hoa", full_name="Nguyễn Thị Hoa", phone="0912345678")
    dossier = submitted_dossier(
        citizen,
        state=Dossier.State.AWAITING_RETURN,
        delivery=Dossier.Delivery.POST,
        delivery_address="Số 9 đường Lạc Hồng, Phường Vĩnh Thông",
    )
    officer = make_user("motcua", role="onestop_officer", agency_code=dossier.receiving_agency.code)
    shipment = shipment_send_result(dossier=dossier, officer=officer)
    standin.postal_move(shipment.tracking_number, "in_transit")
    shipments_track()
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(reverse("dossiers:track"))
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("4 số cuối").fill("5678")
    page.get_by_role("button", name="Tra cứu").click()

    expect(page.get_by_text(shipment.tracking_number)).to_be_visible()
    expect(page.get_by_text("Đang vận chuyển").first).to_be_visible()
    assert axe_check(page) == []
    assert no_sideways_scroll(page)
    page.screenshot(path=str(tmp_path / f"postal-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 320])
def test_a_citizen_asks_the_post_to_collect_the_paper_dossier_when_filing(
    new_context,
    make_user,
    client,
    settings,
    tmp_path,
    server_url,
    axe_check,
    postal_settings,
    standin,
    width,
):
    uploads_in(settings, tmp_path)
    home = "Số 12 đường Tôn Đức Thắng, Phường Long Xuyên"
    citizen = make_user("hoa", full_name="Nguyễn Thị Hoa", phone="0912345678")
    commune = Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()
    draft = filing.dossier_draft_create(
        user=citizen, procedure=Procedure.objects.get(code=BIRTH), receiving_agency=commune
    )
    attach_required(draft, citizen)
    filing.dossier_details_update(dossier=draft, user=citizen, applicant_address=home)
    page = signed_in_context(new_context, client, settings, server_url, citizen, width).new_page()
    page.goto(reverse("dossiers:review", args=[draft.pk]))

    expect(page.get_by_label("Địa chỉ bưu điện đến lấy hồ sơ giấy")).to_have_value(home)
    page.get_by_role("button", name="Nhờ bưu điện thu gom (xem cước phí)").click()
    expect(page.get_by_text("Cước phí thu gom")).to_be_visible()
    expect(page.get_by_text("32.000 đ").first).to_be_visible()  # before the dossier is filed
    assert axe_check(page) == []
    assert no_sideways_scroll(page)
    page.screenshot(path=str(tmp_path / f"collection-choice-{width}.png"), full_page=True)

    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(page.get_by_role("heading", name="Thu gom hồ sơ giấy qua bưu chính")).to_be_visible()
    expect(page.get_by_text("Yêu cầu thu gom hồ sơ giấy đang được gửi tới bưu điện.")).to_be_visible()
    assert collections_send_due() == 1  # what the worker does once the filing commits
    number = Collection.objects.get(dossier=draft).shipment.tracking_number
    page.reload()
    expect(page.get_by_text(number)).to_be_visible()
    expect(page.get_by_text("Đã tạo vận đơn, chờ bưu tá đến lấy").first).to_be_visible()
    assert axe_check(page) == []
    assert no_sideways_scroll(page)
    page.screenshot(path=str(tmp_path / f"collection-made-{width}.png"), full_page=True)
    page.wait_for_load_state("networkidle")
    page.close()
