"""The Celery application: configured from Django settings (CELERY_* names), tasks found in every app.

What a worker process prepares before its first task belongs to the app that needs it (the PDF fonts: dossiers/apps.py).
"""

import os

from celery import Celery
from celery.signals import after_setup_task_logger

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_setup_task_logger.connect
def _task_log_masked(logger, **kwargs) -> None:
    """Celery gives its task logger a handler of its own that bypasses the root's: it masks personal ids too."""
    from portal.audit.scrub import mask_handlers

    mask_handlers(logger)
