"""``{% dossier_fee dossier user %}``: the fee section of a dossier's page (the applicant's and the officer's)."""

from django import template

from integrations.payment.client import payment_configured
from payments import services
from payments.models import Payment, PaymentNotice

register = template.Library()


@register.inclusion_tag("payments/_dossier_fee.html")
def dossier_fee(dossier, user):
    amount = services.fee_due(dossier)
    paid = services.payment_paid_of(dossier) if amount is not None or dossier.pk else None
    if amount is None and paid is None:
        return {"shown": False}
    applicant = dossier.applicant_id == getattr(user, "pk", None)
    refused = (
        PaymentNotice.objects.filter(
            order_id__in=dossier.payments.values("order_id"), outcome=PaymentNotice.Outcome.REFUSED
        ).count()
        if not applicant
        else 0
    )
    return {
        "shown": True,
        "dossier": dossier,
        "amount": amount,
        "paid": paid,
        "applicant": applicant,
        "payable": applicant and paid is None and dossier.state in services.PAYABLE_STATES,
        "online": payment_configured(),
        "pending": Payment.objects.filter(dossier=dossier, state=Payment.State.PENDING).exists()
        if paid is None
        else False,
        "refused_notices": refused,
    }
