"""Paying a dossier's fees online: opening an order, taking the platform's notification (verified, applied once),
and the nightly reconciliation with the platform's list.

A notification changes something only when its signature is the platform's, its order is one the portal opened, its
amount is that order's and its dossier that order's dossier; each one is recorded (``PaymentNotice``) with what was
done and why, so a forged, replayed or mistaken one leaves evidence and nothing else.
"""

from __future__ import annotations

import logging
import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import selectors as dossier_selectors
from dossiers.models import Dossier
from dossiers.services import dossier_fee_paid
from integrations.payment.client import NotConfigured, PaymentError, payment_client
from payments.models import Payment, PaymentDiscrepancy, PaymentNotice, RefusedPaymentRequest
from portal.accounts.models import User

logger = logging.getLogger("payments")
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
S = Dossier.State
# A fee is paid while the dossier is with the agencies; not on a draft nor once it is closed.
PAYABLE_STATES = {
    S.SUBMITTED,
    S.RECEIVED,
    S.SUPPLEMENT,
    S.PROCESSING,
    S.CONSULTING,
    S.AWAITING_APPROVAL,
    S.FINANCIAL,
    S.AWAITING_RETURN,
}
NOTICE_FIELDS = (
    "merchant",
    "order_id",
    "ma_ho_so",
    "amount",
    "transaction_id",
    "status",
    "paid_at",
    "chu_ky",
)
R = PaymentNotice.Reason
BIGINT_MAX = 2**63 - 1


class PaymentRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def fee_due(dossier: Dossier) -> int | None:
    """The fee in đồng of the dossier's procedure filed online (the catalogue's channel), or None when it has none."""
    channel = dossier_selectors.online_channel(dossier.procedure)
    if channel is None or channel.fee_free or not channel.fee_amount:
        return None
    return int(channel.fee_amount)


def payment_paid_of(dossier: Dossier) -> Payment | None:
    return dossier.payments.filter(state=Payment.State.PAID).order_by("paid_at").first()


@transaction.atomic
def payment_start(*, dossier: Dossier, user: User) -> Payment:
    """The order the applicant pays now: the open one of this dossier for the same amount, or a new one."""
    dossier = Dossier.objects.select_for_update(no_key=True).select_related("procedure").get(pk=dossier.pk)
    if dossier.applicant_id != user.pk:
        raise PaymentRefused(_("Chỉ người nộp hồ sơ thanh toán được lệ phí của hồ sơ."))
    amount = fee_due(dossier)
    if amount is None:
        raise PaymentRefused(_("Thủ tục này không thu phí, lệ phí trực tuyến."))
    if dossier.state not in PAYABLE_STATES:
        raise PaymentRefused(_("Hồ sơ ở trạng thái này không thanh toán lệ phí được."))
    if payment_paid_of(dossier) is not None:
        raise PaymentRefused(_("Lệ phí của hồ sơ này đã được thanh toán."))
    pending = (
        dossier.payments.filter(state=Payment.State.PENDING, amount=amount).order_by("-created_at").first()
    )
    if pending is not None:
        return pending
    return Payment.objects.create(
        dossier=dossier,
        payer=user,
        order_id=f"HS{secrets.token_hex(8).upper()}",
        amount=amount,
        description=f"Lệ phí hồ sơ {dossier.code}"[:300],
    )


def payment_request_refused(
    *, user: User, remote_addr: str = "", dossier_pk: int | None = None, payment: Payment | None = None
) -> RefusedPaymentRequest:
    """Record a request to pay a dossier that is not ``user``'s to pay (``dossier_pk``: the number they asked for),
    or a return from the platform with another person's order (``payment``). Nothing else changes; the person is
    answered as if the dossier did not exist. The log names the account and the dossier by their numbers and code
    only (never a personal id)."""
    Reason = RefusedPaymentRequest.Reason
    if payment is not None:
        reason, dossier_pk, code = Reason.OTHERS_ORDER, payment.dossier_id, payment.dossier.code or ""
    else:
        dossier_pk = dossier_pk if dossier_pk is not None and 0 <= dossier_pk <= BIGINT_MAX else None
        found = Dossier.objects.filter(pk=dossier_pk).values_list("code") if dossier_pk else []
        row = next(iter(found), None)  # a draft exists with no code yet
        reason, code = (Reason.ABSENT, "") if row is None else (Reason.OTHERS, row[0] or "")
    logger.warning(
        "payment request refused reason=%s user=%s dossier=%s code=%s",
        reason,
        user.pk,
        dossier_pk if dossier_pk is not None else "-",
        code or "-",
    )
    return RefusedPaymentRequest.objects.create(
        user=user,
        reason=reason,
        dossier_pk=dossier_pk,
        dossier_code=code or "",
        order_id=payment.order_id if payment is not None else "",
        remote_addr=remote_addr or None,
    )


def _paid_at(value: str) -> datetime:
    try:
        return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=VIETNAM)
    except (TypeError, ValueError):
        return timezone.now()


def payment_notice_receive(*, fields, remote_addr: str = "") -> PaymentNotice:
    """Take one notification from the platform; the recorded notice says what was done (``outcome``, ``reason``)."""
    body = fields if isinstance(fields, dict) else {"raw": str(fields)[:2000]}
    kept = (
        {name: str(body[name])[:200] for name in body if name in NOTICE_FIELDS}
        if isinstance(fields, dict)
        else body
    )
    order_id = str(kept.get("order_id", ""))[:100]

    def record(outcome: str, reason: str = "", payment: Payment | None = None) -> PaymentNotice:
        if outcome == PaymentNotice.Outcome.REFUSED:
            logger.warning("payment notice refused reason=%s order=%s", reason, order_id or "-")
        return PaymentNotice.objects.create(
            order_id=order_id,
            payment=payment,
            outcome=outcome,
            reason=reason,
            body=kept,
            remote_addr=remote_addr or None,
        )

    refused = PaymentNotice.Outcome.REFUSED
    client = payment_client()  # NotConfigured: the view answers that online payment is off
    if not isinstance(fields, dict) or any(
        not isinstance(body.get(name), str | int) for name in NOTICE_FIELDS
    ):
        return record(refused, R.MALFORMED)
    if not client.signature_valid({name: body[name] for name in body}):
        return record(refused, R.SIGNATURE)
    if body["merchant"] != client.merchant:
        return record(refused, R.MERCHANT)
    if body["status"] != "paid":
        return record(refused, R.NOT_PAID)
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update().select_related("dossier").filter(order_id=order_id).first()
        )
        if payment is None:
            return record(refused, R.UNKNOWN_ORDER)
        if str(body["amount"]) != str(payment.amount):
            return record(refused, R.WRONG_AMOUNT, payment)
        if body["ma_ho_so"] != (payment.dossier.code or ""):
            return record(refused, R.OTHER_DOSSIER, payment)
        if payment.state == Payment.State.PAID:
            return record(PaymentNotice.Outcome.DUPLICATE, "", payment)
        payment.state = Payment.State.PAID
        payment.transaction_id = str(body["transaction_id"])[:60]
        payment.paid_at = _paid_at(str(body["paid_at"]))
        payment.receipt_number = f"BL{payment.paid_at.astimezone(VIETNAM):%y}-{payment.pk:07d}"
        payment.save(update_fields=["state", "transaction_id", "paid_at", "receipt_number"])
        dossier_fee_paid(dossier=payment.dossier, payment_ref=payment.order_id)
        return record(PaymentNotice.Outcome.ACCEPTED, "", payment)


def payments_reconcile(day: date) -> list[PaymentDiscrepancy]:
    """Compare the portal's payments of ``day`` (Vietnam time) with the platform's list; each difference is kept
    once (a re-run finds the same ones and adds nothing). PaymentError when the list cannot be read."""
    platform = {row.order_id: row for row in payment_client().transactions(day)}
    start = datetime.combine(day, time.min, tzinfo=VIETNAM)
    ours = {
        payment.order_id: payment
        for payment in Payment.objects.filter(
            state=Payment.State.PAID, paid_at__gte=start, paid_at__lt=start + timedelta(days=1)
        )
    }
    found = []
    K = PaymentDiscrepancy.Kind
    for order_id, row in platform.items():
        payment = ours.get(order_id)
        if payment is None:
            found.append((order_id, K.MISSING_HERE, None, row.amount))
        elif payment.amount != row.amount:
            found.append((order_id, K.AMOUNT, payment.amount, row.amount))
    for order_id, payment in ours.items():
        if order_id not in platform:
            found.append((order_id, K.MISSING_THERE, payment.amount, None))
    discrepancies = []
    for order_id, kind, portal_amount, platform_amount in found:
        discrepancy, _created = PaymentDiscrepancy.objects.get_or_create(
            day=day,
            order_id=order_id,
            kind=kind,
            defaults={"portal_amount": portal_amount, "platform_amount": platform_amount},
        )
        discrepancies.append(discrepancy)
    logger.info(
        "payments reconcile day=%s platform=%d portal=%d differences=%d",
        day,
        len(platform),
        len(ours),
        len(found),
    )
    return discrepancies


__all__ = [
    "NotConfigured",
    "PaymentError",
    "PaymentRefused",
    "payment_notice_receive",
    "payment_request_refused",
    "payment_start",
    "payments_reconcile",
]
