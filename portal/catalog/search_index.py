"""The per-process search index over the catalogue, rebuilt when the catalogue changes.

Searching goes through an in-memory index (``portal.catalog.search``) rather than SQL, so the same ranking,
diacritic folding and typo tolerance work on SQLite and PostgreSQL. Each process keeps one index and compares its
version with the catalogue's version (a cache key that writers bump, backed by one aggregate query).
"""

import threading

from django.core.cache import cache
from django.db.models import Count, Max

from portal.catalog.models import Procedure
from portal.catalog.search import Document, SearchIndex

VERSION_KEY = "catalog:version"
VERSION_TTL = 60  # seconds; a bump deletes the key, so this only bounds how stale another host's view can be

_lock = threading.Lock()
_current: tuple[str, SearchIndex] | None = None


def catalog_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        stats = Procedure.objects.aggregate(n=Count("id"), last=Max("updated_at"))
        version = f"{stats['n']}:{stats['last'].isoformat() if stats['last'] else '-'}"
        cache.set(VERSION_KEY, version, VERSION_TTL)
    return version


def catalog_version_bump() -> None:
    """Call after any write to procedures so every process rebuilds its index on its next search."""
    cache.delete(VERSION_KEY)


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
    version = catalog_version()
    current = _current
    if current is not None and current[0] == version:
        return current[1]
    with _lock:
        if _current is None or _current[0] != version:
            _current = (version, SearchIndex.build(_documents()))
        return _current[1]
