"""Reads of the payments for other apps: which dossiers had their fees paid online (the public statistics' online
payment share)."""

from django.db.models import QuerySet

from payments.models import Payment
from portal.prepared import NO_ID, Prepared

# Read whenever a dossier is counted again for the statistics (every step): compiled once (portal/prepared.py).
_paid_online = Prepared(
    lambda pk: (
        Payment.objects.filter(dossier_id=pk, state=Payment.State.PAID).order_by().values_list("pk")[:1]
    ),
    sentinel=NO_ID,
)


def dossier_paid_online(dossier_id: int) -> bool:
    """Whether the dossier's fees were paid online (a payment the platform confirmed)."""
    return bool(_paid_online(dossier_id))


def dossiers_paid_online() -> QuerySet:
    """The ids (``dossier_id``) of the dossiers with a payment the platform confirmed, each once."""
    return Payment.objects.filter(state=Payment.State.PAID).values("dossier_id").distinct()
