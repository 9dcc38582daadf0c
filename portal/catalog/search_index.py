"""The per-process search index over the catalogue, rebuilt when the catalogue changes.

Searching goes through an in-memory index (``portal.catalog.search``) rather than SQL, so the same ranking,
diacritic folding and typo tolerance work on SQLite and PostgreSQL. Each process keeps one index and compares its
version with the catalogue's version (a cache key that writers bump, backed by one aggregate query).
"""

import threading
import uuid

from django.core.cache import cache
from django.db.models import Count, Max

from portal.catalog.models import Procedure
from portal.catalog.search import Document, SearchIndex

VERSION_KEY = "catalog:version"
# A bump stores a fresh token for an hour; without one the version is derived from the table and kept a minute, so
# even a write that forgot to bump (a shell session) shows within a minute.
BUMP_TTL = 3600
DERIVED_TTL = 60

_lock = threading.Lock()
_current: tuple[str, SearchIndex] | None = None


def catalog_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        stats = Procedure.objects.aggregate(n=Count("id"), last=Max("updated_at"))
        version = f"{stats['n']}:{stats['last'].isoformat() if stats['last'] else '-'}"
        cache.add(VERSION_KEY, version, DERIVED_TTL)  # add: never overwrite a concurrent bump
    return version


def catalog_version_bump() -> None:
    """Call after any write to the catalogue: every process rebuilds its index and re-renders cached pages."""
    cache.set(VERSION_KEY, f"bump:{uuid.uuid4().hex}", BUMP_TTL)


def catalog_version_forget() -> None:
    """Drop the stored version so it is derived from the table again (tests roll back to the same table)."""
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
