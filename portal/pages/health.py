"""Readiness checks: each returns None when the dependency answers, or a short reason when it does not."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def database_problem() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        return type(exc).__name__
    return None


def cache_problem() -> str | None:
    try:
        cache.set("readyz", "ok", 5)
        if cache.get("readyz") != "ok":
            return "cache did not return the value written"
    except Exception as exc:
        return type(exc).__name__
    return None


def broker_problem() -> str | None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None  # tasks run in process: there is no broker to reach
    from portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return type(exc).__name__
    return None
