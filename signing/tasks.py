from celery import shared_task

from integrations.documents.client import documents_configured
from signing.services import signing_pull as pull


@shared_task
def signing_pull() -> int:
    """Signed results whose callback never came (idempotent: a signed request is stored once)."""
    return pull() if documents_configured() else 0
