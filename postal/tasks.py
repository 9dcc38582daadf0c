from celery import shared_task

from integrations.postal.client import NotConfigured, postal_configured
from postal import collections
from postal.services import shipments_track as track


@shared_task
def shipments_track() -> int:
    """Follow the shipments on their way (idempotent: a status read twice is written twice, the same)."""
    if not postal_configured():
        return 0
    try:
        return track()
    except NotConfigured:
        return 0


@shared_task
def collection_send(dossier_id: int) -> None:
    """Ask for the collection shipment of a dossier just filed (idempotent: never a second shipment)."""
    collections.collection_send(dossier_id=dossier_id)


@shared_task
def collections_send_due() -> int:
    """Collections waiting for the postal service, tried again when their time has come."""
    return collections.collections_send_due()
