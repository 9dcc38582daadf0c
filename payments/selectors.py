"""Reads of the payments for other apps: which dossiers had their fees paid online (the public statistics' online
payment share)."""

from django.db.models import QuerySet

from payments.models import Payment


def dossier_paid_online(dossier_id: int) -> bool:
    """Whether the dossier's fees were paid online (a payment the platform confirmed)."""
    return Payment.objects.filter(dossier_id=dossier_id, state=Payment.State.PAID).exists()


def dossiers_paid_online() -> QuerySet:
    """The ids (``dossier_id``) of the dossiers with a payment the platform confirmed, each once."""
    return Payment.objects.filter(state=Payment.State.PAID).values("dossier_id").distinct()
