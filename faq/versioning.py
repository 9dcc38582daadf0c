"""The FAQ's version, through the one mechanism (``portal/cache``): the faq app bumps it from its own receivers and
services; a missing version starts from the table (count and last change), so processes that built their answering
index from the same entries keep it."""

from django.db.models import Count, Max

from faq.models import FaqEntry
from portal import cache as versioned

NAMESPACE = "faq"


def _derived() -> str:
    stats = FaqEntry.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return f"{stats['n']}:{stats['last'].isoformat() if stats['last'] else '-'}"


versioned.starts(NAMESPACE, _derived)


def faq_version() -> str:
    return versioned.version(NAMESPACE)


def faq_version_bump() -> None:
    """What was made from the entries is stale: a new version now and again when the transaction commits."""
    versioned.bump(NAMESPACE)
