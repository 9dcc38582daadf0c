"""Celery tasks of the ratings app: thin and idempotent."""

from celery import shared_task

from ratings.national import rating_outbox_drain


@shared_task(ignore_result=True)
def ratings_national_drain() -> dict:
    """Send ratings and published rankings to the national portal (``ratings/national.py``)."""
    return rating_outbox_drain()
