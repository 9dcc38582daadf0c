"""The FAQ's version: a token in the shared cache that writers replace, derived from the table when missing.

Each process keeps one answering index and rebuilds it when this version differs from the one it was built for.
A cache outage reads as a miss, so the version is then derived from the table (one aggregate query).
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max

from faq.models import FaqEntry

VERSION_KEY = "faq:version"
BUMP_TTL = 3600
DERIVED_TTL = 60


def faq_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        stats = FaqEntry.objects.aggregate(n=Count("id"), last=Max("updated_at"))
        version = f"{stats['n']}:{stats['last'].isoformat() if stats['last'] else '-'}"
        cache.add(VERSION_KEY, version, DERIVED_TTL)
    return version


def faq_version_bump() -> None:
    """New token now and again when the transaction commits (a reader between the two rebuilds once more)."""

    def bump() -> None:
        cache.set(VERSION_KEY, f"bump:{uuid.uuid4().hex}", BUMP_TTL)

    bump()
    transaction.on_commit(bump)


def faq_version_forget() -> None:
    cache.delete(VERSION_KEY)
