"""The per-process search index over the catalogue, rebuilt when the catalogue changes.

Searching goes through an in-memory index (``portal.catalog.search``) rather than SQL, so the same ranking,
diacritic folding and typo tolerance work on SQLite and PostgreSQL. Each process keeps one index under the version of
the ``"catalog"`` namespace (``portal.cache``), which this app's receivers bump on every write (``signals.py``).
"""

import threading

from django.db.models import Count, Max

from portal import cache as versioned
from portal.catalog.models import Procedure
from portal.catalog.search import Document, SearchIndex

NAMESPACE = "catalog"

_lock = threading.Lock()
_current: tuple[str, SearchIndex] | None = None


def catalog_version_derived() -> str:
    """How a missing catalogue version starts: from the table, so that processes (and test runs, whose cache starts
    empty for every test) that built an index for the same rows keep it."""
    stats = Procedure.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return f"{stats['n']}:{stats['last'].isoformat() if stats['last'] else '-'}"


def _documents():
    rows = Procedure.objects.filter(is_active=True).values_list(
        "id", "code", "name", "field__name", "implementing_agency_raw", "results", "competent_authority"
    )
    for pk, code, name, field_name, agency, results, competent in rows.iterator(chunk_size=2000):
        yield Document(
            id=pk,
            title=name,
            keywords=f"{code} {field_name or ''}",
            body=" ".join([agency, competent, *(results or [])]),
        )


def search_index() -> SearchIndex:
    global _current
    version = versioned.version(NAMESPACE)
    current = _current
    if current is not None and current[0] == version:
        return current[1]
    with _lock:
        if _current is None or _current[0] != version:
            _current = (version, SearchIndex.build(_documents()))
        return _current[1]
