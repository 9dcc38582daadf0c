"""Handing work to the Celery workers without letting a broker that is down fail the page or the transaction.

Work that must happen is never only in the broker: it is also in the database (a queued mail, a form to render, a
notification not yet sent), and a periodic sweep hands again to the workers whatever is still to do. So when the
broker cannot take a task, it is logged and left for the sweep; the page that asked for it is served as usual.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# What a broker that is down raises on publish (kombu wraps connection errors; redis-py's may come through as is).
BROKER_DOWN = (OperationalError, ConnectionError, OSError, TimeoutError)


def enqueue(task, *args) -> bool:
    """Send ``task(*args)`` to the workers now; False (and a log line) when the broker cannot take it."""
    try:
        task.delay(*args)
    except BROKER_DOWN as error:
        logger.warning(
            "Task %s(%s) not queued (%s); the sweep will do it", task.name, args, type(error).__name__
        )
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """``enqueue`` once the current transaction commits (never for work that rolls back)."""
    transaction.on_commit(lambda: enqueue(task, *args))
