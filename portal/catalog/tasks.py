"""Periodic work of the catalogue."""

import logging

from celery import shared_task

from integrations.dvcqg.client import dvcqg_configured
from integrations.dvcqg.errors import DvcqgError

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def national_catalogue_pull() -> dict:
    """Weekly: the national catalogue into ours (``portal/catalog/national.py``); nothing when not configured, and a
    portal that is down is logged and tried again next week (or by ``manage.py sync_procedures``)."""
    from portal.catalog.national import catalogue_pull

    if not dvcqg_configured():
        logger.info("national catalogue: not configured, nothing pulled")
        return {"configured": False}
    try:
        report = catalogue_pull()
    except DvcqgError as error:
        logger.warning("national catalogue: not pulled (%s)", error)
        return {"configured": True, "error": type(error).__name__}
    return {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "failed": len(report.errors),
    }
