from celery import shared_task

from integrations.postal.client import NotConfigured, postal_configured
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
