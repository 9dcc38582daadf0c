"""The electronic receipt (biên lai điện tử) of an online payment, rendered by the portal's one PDF module and
signed with the agency's certificate (PAdES, ``portal/pdf/pades.py``) when one is configured."""

from zoneinfo import ZoneInfo

from django.utils import timezone

from dossiers.pdf.qr import qr_svg, tracking_url
from payments.models import Payment
from portal.pdf.pades import sign_pdf
from portal.pdf.render import render_pdf

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def receipt_pdf(payment: Payment) -> bytes:
    """The receipt of a paid payment, the same content every time it is asked for, signed anew each time."""
    if payment.state != Payment.State.PAID:
        raise ValueError("only a paid payment has a receipt")
    dossier = payment.dossier
    paid_at = timezone.localtime(payment.paid_at, VIETNAM)
    context = {
        "title": "Biên lai thu phí, lệ phí",
        "form_code": "BL-ĐT",
        "payment": payment,
        "dossier": dossier,
        "procedure": dossier.procedure,
        "agency": dossier.receiving_agency,
        "issued": f"ngày {paid_at:%d} tháng {paid_at:%m} năm {paid_at:%Y}",
        "paid_at": f"{paid_at:%H:%M %d/%m/%Y}",
        "track_url": tracking_url(dossier.code) if dossier.code else "",
        "qr_svg": qr_svg(tracking_url(dossier.code)) if dossier.code else "",
    }
    return sign_pdf(render_pdf("payments/receipt_pdf.html", context), reason="Biên lai thu phí, lệ phí")
