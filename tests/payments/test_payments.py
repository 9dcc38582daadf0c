"""A citizen pays a dossier's fee online through the payment platform stand-in: the order, the platform's page, the
signed notification applied once (a replay or duplicate changes nothing), the receipt, the officer's financial step
completed from it; forged, wrong-amount, unknown-order and other-dossier notifications refused and recorded; a
request to pay someone else's dossier refused like an absent one and recorded; the nightly reconciliation flags what
differs."""

import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from dossiers import filing, services
from dossiers.models import Dossier
from integrations.payment.signing import sign
from payments.models import Payment, PaymentDiscrepancy, PaymentNotice, RefusedPaymentRequest
from payments.services import payments_reconcile
from portal.agencies.models import Agency
from portal.catalog.models import Channel, Procedure
from tests.accounts.mfa import staff_login
from tests.people import BIRTH, attach_required

pytestmark = pytest.mark.django_db
FEE = 50000
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    from tests.people import uploads_in

    uploads_in(settings, tmp_path)


@pytest.fixture
def procedure():
    procedure = Procedure.objects.get(code=BIRTH)
    Channel.objects.filter(procedure=procedure).update(
        fee_amount=FEE, fee_free=False, duration_unit="working_day"
    )
    return procedure


@pytest.fixture
def commune():
    return Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()


@pytest.fixture
def citizen(make_user):
    return make_user("hoa", full_name="Nguyễn Thị Hoa", phone="0912345678")


@pytest.fixture
def dossier(citizen, procedure, commune):
    draft = filing.dossier_draft_create(user=citizen, procedure=procedure, receiving_agency=commune)
    attach_required(draft, citizen)
    services.dossier_submit(dossier=draft, actor=citizen)
    draft.refresh_from_db()
    return draft


def start(client, dossier) -> dict:
    """Press "pay" on the dossier page; the platform's payment page is opened; the order's fields."""
    response = client.post(reverse("payments:start", args=[dossier.pk]))
    assert response.status_code == 302
    page = requests.get(response["Location"], timeout=5)
    assert page.status_code == 200 and "Xác nhận thanh toán" in page.text
    return {k: v[-1] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}


def page_of(response) -> str:
    """What the page says (its main part: the header and footer carry the session's own tokens and timers)."""
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def notify(client, notice: dict):
    return client.post(reverse("payments:notify"), json.dumps(notice), content_type="application/json")


def test_a_citizen_pays_and_the_fee_is_marked_paid_once_with_a_receipt(
    client, citizen, dossier, payment_settings, standin
):
    client.force_login(citizen)
    assert "Thanh toán trực tuyến 50.000 đ" in client.get(dossier.get_absolute_url()).content.decode()
    order = start(client, dossier)
    assert (order["amount"], order["ma_ho_so"]) == (str(FEE), dossier.code)
    paid = standin.payment_pay(order["order_id"])
    response = notify(client, paid["notice"])
    assert response.status_code == 200 and response.json()["error_code"] == 0
    payment = Payment.objects.get(order_id=order["order_id"])
    assert payment.state == Payment.State.PAID and payment.receipt_number
    # The platform sends it again, someone replays it: acknowledged, nothing changes.
    for _ in range(2):
        assert notify(client, paid["notice"]).json()["error_code"] == 0
    assert Payment.objects.filter(dossier=dossier, state=Payment.State.PAID).count() == 1
    assert list(PaymentNotice.objects.values_list("outcome", flat=True).order_by("pk")) == [
        "accepted",
        "duplicate",
        "duplicate",
    ]
    back = client.get(reverse("payments:return"), paid["return_query"])
    assert "Đã thanh toán 50.000 đ" in back.content.decode()
    receipt = client.get(reverse("payments:receipt", args=[payment.pk]))
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "Đã thanh toán trực tuyến" in page and "Thanh toán trực tuyến 50.000 đ" not in page


def test_the_officers_financial_step_completes_from_the_payment(
    client, citizen, dossier, payment_settings, standin, make_user
):
    handler = make_user("chuyenvien", role="handling_officer", agency_code=dossier.receiving_agency.code)
    Dossier.objects.filter(pk=dossier.pk).update(
        state=Dossier.State.PROCESSING,
        handling_agency=dossier.receiving_agency,
        due_at=timezone.now() + timedelta(days=5),
    )
    dossier.refresh_from_db()
    services.dossier_financial(dossier=dossier, actor=handler, note="Nộp lệ phí")
    client.force_login(citizen)
    order = start(client, dossier)
    notify(client, standin.payment_pay(order["order_id"])["notice"])
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.PROCESSING and dossier.paused_at is None
    event = dossier.events.order_by("-at", "-pk").first()
    assert (event.action, event.params) == ("financial_done", {"payment": order["order_id"]})


def test_a_second_press_reuses_the_open_order(client, citizen, dossier, payment_settings):
    client.force_login(citizen)
    assert start(client, dossier)["order_id"] == start(client, dossier)["order_id"]
    assert Payment.objects.count() == 1


SHARED_SECRET = "bi-mat-chung-thu-nghiem"  # noqa: S105 (the stand-in merchant's test secret)


def notice_for(order_id: str, code: str, amount=FEE, secret=SHARED_SECRET, **changes) -> dict:
    notice = {
        "merchant": "CONG-TINH",
        "order_id": order_id,
        "ma_ho_so": code,
        "amount": str(amount),
        "transaction_id": "GD0001",
        "status": "paid",
        "paid_at": timezone.now().astimezone(VIETNAM).strftime("%Y%m%d%H%M%S"),
        **changes,
    }
    notice["chu_ky"] = sign(secret, notice)
    return notice


@pytest.mark.parametrize(
    ("make_notice", "reason"),
    [
        (lambda order, code: notice_for(order, code, secret="khoa-gia-mao"), "signature"),
        (lambda order, code: {**notice_for(order, code), "amount": "1"}, "signature"),
        (lambda order, code: notice_for(order, code, amount=1000), "wrong_amount"),
        (lambda order, code: notice_for("HSKHONGCO0000000", code), "unknown_order"),
        (lambda order, code: notice_for(order, "000.00.00.H01-260101-0001"), "other_dossier"),
        (lambda order, code: notice_for(order, code, status="failed"), "not_paid"),
    ],
    ids=["forged", "tampered", "wrong-amount", "unknown-order", "other-dossier", "not-paid"],
)
def test_a_bad_notification_is_refused_recorded_and_changes_nothing(
    client, citizen, dossier, payment_settings, make_notice, reason
):
    client.force_login(citizen)
    order = start(client, dossier)
    response = notify(client, make_notice(order["order_id"], dossier.code))
    assert response.status_code == 400
    assert PaymentNotice.objects.get().reason == reason
    assert not Payment.objects.filter(state=Payment.State.PAID).exists()


def test_garbage_is_refused_without_a_crash(client, payment_settings):
    response = client.post(reverse("payments:notify"), b"not json", content_type="application/json")
    assert response.status_code == 400
    assert PaymentNotice.objects.get().reason == "malformed"


def test_a_stranger_cannot_pay_someone_elses_dossier_and_the_attempt_is_recorded(
    client, citizen, dossier, payment_settings, make_user, caplog
):
    Dossier.objects.filter(pk=dossier.pk).update(applicant_id_number="091185000123")
    dossier.refresh_from_db()
    stranger = make_user("nguoila", personal_id="091090000777")
    client.force_login(stranger)
    with caplog.at_level("WARNING", logger="payments"):
        response = client.post(reverse("payments:start", args=[dossier.pk]), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 404
    assert not Payment.objects.exists()
    after = Dossier.objects.get(pk=dossier.pk)
    assert (after.state, after.version, after.updated_at) == (
        dossier.state,
        dossier.version,
        dossier.updated_at,
    )
    refused = RefusedPaymentRequest.objects.get()
    assert (refused.user, refused.reason, refused.dossier_pk, refused.dossier_code, refused.remote_addr) == (
        stranger,
        RefusedPaymentRequest.Reason.OTHERS,
        dossier.pk,
        dossier.code,
        "203.0.113.9",
    )
    assert refused.at is not None
    logged = caplog.text
    assert "payment request refused reason=others" in logged and dossier.code in logged
    assert "091090000777" not in logged and "091185000123" not in logged and "nguoila" not in logged


def test_an_absent_dossier_and_someone_elses_answer_alike_and_both_are_recorded(
    client, citizen, dossier, payment_settings, make_user
):
    client.force_login(make_user("nguoila"))
    others = client.post(reverse("payments:start", args=[dossier.pk]))
    absent = client.post(reverse("payments:start", args=[dossier.pk + 1000]))
    past_any = client.post(reverse("payments:start", args=[10**20]))
    assert others.status_code == absent.status_code == past_any.status_code == 404
    assert page_of(others) == page_of(absent) == page_of(past_any)
    rows = list(
        RefusedPaymentRequest.objects.order_by("pk").values_list("reason", "dossier_pk", "dossier_code")
    )
    assert rows == [
        ("others", dossier.pk, dossier.code),
        ("absent", dossier.pk + 1000, ""),
        ("absent", None, ""),
    ]


def test_an_officer_who_sees_the_dossier_cannot_pay_it_either(client, dossier, payment_settings, make_user):
    officer = make_user("motcua", role="onestop_officer", agency_code=dossier.receiving_agency.code)
    staff_login(client, officer)
    assert client.get(reverse("dossiers:officer_dossier", args=[dossier.pk])).status_code == 200
    assert client.post(reverse("payments:start", args=[dossier.pk])).status_code == 404
    assert RefusedPaymentRequest.objects.get().user == officer and not Payment.objects.exists()


def test_a_genuine_return_link_of_another_persons_order_is_refused_and_recorded(
    client, citizen, dossier, payment_settings, standin, make_user
):
    client.force_login(citizen)
    order = start(client, dossier)
    return_fields = standin.payment_pay(order["order_id"])["return_query"]
    assert client.get(reverse("payments:return"), return_fields).status_code == 200  # the payer's own
    client.force_login(make_user("nguoila"))
    assert client.get(reverse("payments:return"), return_fields).status_code == 400
    refused = RefusedPaymentRequest.objects.get()
    assert (refused.reason, refused.order_id, refused.dossier_code) == (
        "others_order",
        order["order_id"],
        dossier.code,
    )


def test_staff_see_the_refused_requests_in_the_admin(client, dossier, payment_settings, make_user):
    client.force_login(make_user("nguoila"))
    client.post(reverse("payments:start", args=[dossier.pk]))
    admin = make_user("quantritinh", role="province_admin", is_staff=True, is_superuser=True)
    staff_login(client, admin)
    page = client.get(reverse("admin:payments_refusedpaymentrequest_changelist")).content.decode()
    assert dossier.code in page and "Hồ sơ của người khác" in page


def test_a_stranger_cannot_read_the_receipt(client, citizen, dossier, payment_settings, standin, make_user):
    client.force_login(citizen)
    order = start(client, dossier)
    notify(client, standin.payment_pay(order["order_id"])["notice"])
    client.force_login(make_user("nguoila"))
    payment = Payment.objects.get()
    assert client.get(reverse("payments:receipt", args=[payment.pk])).status_code == 404


def test_a_forged_return_address_says_so(client, citizen, dossier, payment_settings):
    client.force_login(citizen)
    order = start(client, dossier)
    response = client.get(
        reverse("payments:return"), {"order_id": order["order_id"], "status": "paid", "chu_ky": "00"}
    )
    assert response.status_code == 400


def test_without_settings_the_page_says_to_pay_at_the_office(client, citizen, dossier, settings):
    settings.PAYMENT_BASE_URL = ""
    client.force_login(citizen)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "Vui lòng nộp lệ phí tại nơi tiếp nhận" in page
    response = client.post(reverse("payments:start", args=[dossier.pk]))
    assert response.status_code == 302 and not Payment.objects.exists()


def test_the_officer_sees_the_payment_on_the_work_page(
    client, citizen, dossier, payment_settings, standin, make_user
):
    client.force_login(citizen)
    order = start(client, dossier)
    notify(client, standin.payment_pay(order["order_id"])["notice"])
    notify(client, notice_for(order["order_id"], dossier.code, secret="gia-mao"))
    officer = make_user("motcua", role="onestop_officer", agency_code=dossier.receiving_agency.code)
    staff_login(client, officer)
    page = client.get(reverse("dossiers:officer_dossier", args=[dossier.pk])).content.decode()
    assert "Đã thanh toán trực tuyến" in page and "đã bị từ chối" in page


def test_reconciliation_flags_what_differs_and_a_rerun_adds_nothing(
    client, citizen, dossier, payment_settings, standin
):
    client.force_login(citizen)
    order = start(client, dossier)
    notify(client, standin.payment_pay(order["order_id"])["notice"])
    today = timezone.now().astimezone(VIETNAM)
    # The platform has a payment the portal never heard of; the portal has one the platform does not list.
    standin.payment_add_transaction(
        order_id="HSLAC0000000001", amount=30000, paid_at=today.strftime("%Y%m%d%H%M%S")
    )
    ghost = Payment.objects.create(
        dossier=dossier,
        payer=citizen,
        order_id="HSMA0000000001",
        amount=FEE,
        description="x",
        state=Payment.State.PAID,
        paid_at=timezone.now(),
    )
    found = payments_reconcile(today.date())
    kinds = {(d.order_id, d.kind) for d in found}
    assert kinds == {("HSLAC0000000001", "missing_here"), (ghost.order_id, "missing_there")}
    payments_reconcile(today.date())
    assert PaymentDiscrepancy.objects.count() == 2


def test_reconciliation_on_a_platform_that_fails_raises_for_a_retry(payment_settings, standin):
    from integrations.payment.client import PaymentError

    standin.faults(error=1.0, services=["GiaoDich"])
    with pytest.raises(PaymentError):
        payments_reconcile(timezone.now().date())
    assert not PaymentDiscrepancy.objects.exists()
