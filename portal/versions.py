"""Version tokens: something kept in the shared cache is used again only while the data it was made from is unchanged.

Whatever is kept (a rendered page, a signed-in user) is stored with the **tokens** of the data it was made from,
read in the same cache round trip as those tokens, and used only if they are all still the same. Code that changes
the data calls ``replace(keys)``: new random tokens at once, and again when the transaction commits.

The second replacement is what makes this safe against a reader racing a writer: a reader reads the tokens *before*
the data, so if it read the data before the writer committed, the commit replaces the tokens it read and what it
keeps is never used. Nothing has to be deleted, and a missing token (evicted, expired) simply starts a new one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping

from django.core.cache import cache
from django.db import transaction

TOKEN_TTL = 24 * 3600


def replace(keys: Iterable[str]) -> None:
    """What was made from the data under ``keys`` is stale: new tokens now, and again once the transaction commits."""
    keys = sorted(set(keys))
    if not keys:
        return

    def new_tokens() -> None:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, TOKEN_TTL)

    new_tokens()
    transaction.on_commit(new_tokens)


def read(
    entry_key: str,
    token_keys: list[str],
    extra_keys: Iterable[str] = (),
    *,
    start: Mapping[str, Callable[[], str]] | None = None,
) -> tuple[object | None, tuple, dict]:
    """One cache round trip: what is kept under ``entry_key`` if it was made at the current tokens of
    ``token_keys`` (else None), those tokens (to keep a fresh value with), and whatever ``extra_keys`` hold.

    A missing token is started with ``start[key]()`` when given (a version kept elsewhere), else a random one.
    """
    found = cache.get_many([entry_key, *token_keys, *extra_keys])
    tokens = []
    for key in token_keys:
        token = found.get(key)
        if token is None:
            if start and key in start:
                token = start[key]()
            else:
                cache.add(key, uuid.uuid4().hex, TOKEN_TTL)  # add: never overwrite a concurrent change
                token = cache.get(key)
        tokens.append(token)
    tokens = tuple(tokens)
    stored = found.get(entry_key)
    value = stored[1] if stored is not None and stored[0] == tokens else None
    return value, tokens, found


def keep(entry_key: str, tokens: tuple, value: object, ttl: int) -> None:
    """Store ``value`` as made at ``tokens`` (from ``read``), for at most ``ttl`` seconds."""
    cache.set(entry_key, (tokens, value), ttl)
