"""The Celery application: configured from Django settings (CELERY_* names), tasks found in every app."""

import os

from celery import Celery
from celery.signals import after_setup_task_logger, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _worker_process_ready(**kwargs) -> None:
    """Each worker process loads the PDF fonts and stylesheets before its first task (dossiers/pdf/render.py)."""
    from dossiers.pdf.render import worker_warm_up

    worker_warm_up()


@after_setup_task_logger.connect
def _task_log_masked(logger, **kwargs) -> None:
    """Celery gives its task logger a handler of its own that bypasses the root's: it masks personal ids too."""
    from portal.audit.scrub import mask_handlers

    mask_handlers(logger)
