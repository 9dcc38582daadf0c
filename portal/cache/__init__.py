"""The one way to keep something made from data: under the **versions** of the namespaces it was made from.

A namespace names data an app owns (``"catalog"``, ``"agencies"``, ``"workdays"``). Its version is a token in the
shared cache. What is kept (a rendered public page, the catalogue's filter options, a process's search index) is
stored with the versions it was made at and used again only while they are all still current:

- ``get_or_set(key, namespaces, make, timeout)``: the value kept under ``key``, or ``make()`` kept now; one cache
  round trip (the entry and the versions are read together);
- ``lookup`` / ``store``: the same in two steps, for a caller that decides after making the value whether to keep
  it (a page that set a cookie is not kept);
- ``version(namespace)``: for what a process keeps in its own memory (``search_index``, the working-day calendar);
- ``bump(*namespaces)``: called by the app that owns the data, from its own receivers (and after the bulk writes
  that send no signal): new versions at once, and again when the transaction commits.

The second bump is what makes this safe against a reader racing a writer: a reader reads the versions *before* the
data, so if it read the data before the writer committed, the commit replaces the versions it read and what it kept
is never used. Nothing is deleted; a missing version (evicted, expired, a new key prefix) starts a new one, from
the starter its app registered (``starts``) or at random. A cache that is down is a miss, never an error
(``backend.py``): every ``make`` runs and nothing is kept.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction

VERSION_TTL = 24 * 3600
_PREFIX = "version:"
# How a missing version starts, per namespace; registered by the owning app (else a random token).
_starters: dict[str, Callable[[], str]] = {}
_deferred = threading.local()


def starts(namespace: str, starter: Callable[[], str]) -> None:
    """A missing version of ``namespace`` starts as ``starter()`` (a value derived from the data, so processes that
    hold something made from the same data keep it) instead of a random token."""
    _starters[namespace] = starter


def _key(namespace: str) -> str:
    return _PREFIX + namespace


def bump(*namespaces: str) -> None:
    """What was made from these namespaces is stale: new versions now, and again once the transaction commits."""
    pending = getattr(_deferred, "namespaces", None)
    if pending is not None:
        pending.update(namespaces)
        return
    keys = sorted({_key(namespace) for namespace in namespaces})
    if not keys:
        return

    def new_versions() -> None:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, VERSION_TTL)

    new_versions()
    transaction.on_commit(new_versions)


@contextmanager
def bumps_deferred() -> Iterator[None]:
    """Bumps made inside (a bulk import's thousands of saves, each sending its signal) are made once, at the end,
    whether the block ends normally or not."""
    if getattr(_deferred, "namespaces", None) is not None:  # already deferred by an outer block
        yield
        return
    _deferred.namespaces = set()
    try:
        yield
    finally:
        namespaces, _deferred.namespaces = _deferred.namespaces, None
        bump(*namespaces)


def _start(namespace: str) -> str:
    starter = _starters.get(namespace)
    cache.add(_key(namespace), starter() if starter else uuid.uuid4().hex, VERSION_TTL)  # never over a bump
    # Read back what won; with the cache down, a token of this request's own (nothing is kept anyway).
    return cache.get(_key(namespace)) or uuid.uuid4().hex


def version(namespace: str) -> str:
    return cache.get(_key(namespace)) or _start(namespace)


def lookup(key: str, namespaces: Iterable[str]) -> tuple[object | None, tuple[str, ...]]:
    """What is kept under ``key`` if it was made at the current versions of ``namespaces`` (else None), and those
    versions (to ``store`` a fresh value with). One cache round trip."""
    namespaces = list(namespaces)
    found = cache.get_many([key, *(_key(n) for n in namespaces)])
    stamp = tuple(found.get(_key(n)) or _start(n) for n in namespaces)
    kept = found.get(key)
    if kept is not None and kept[0] == stamp:
        return kept[1], stamp
    return None, stamp


def store(key: str, stamp: tuple[str, ...], value: object, timeout: int) -> None:
    """Keep ``value`` as made at ``stamp`` (from ``lookup``) for at most ``timeout`` seconds."""
    cache.set(key, (stamp, value), timeout)


def get_or_set[T](key: str, namespaces: Iterable[str], make: Callable[[], T], timeout: int) -> T:
    """The value kept under ``key`` while ``namespaces`` are unchanged, else ``make()``, kept."""
    kept, stamp = lookup(key, namespaces)
    if kept is None:
        kept = make()
        store(key, stamp, kept, timeout)
    return kept
