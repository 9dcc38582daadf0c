"""Fixed-window counters in the shared cache, for rate limits (public tracking, sign-in paths).

A counter lives ``window`` seconds from its first hit; keys are hashed, so an address or a username typed by a
visitor never becomes part of a cache key as such.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache


def counter_key(scope: str, value: str) -> str:
    return f"{scope}:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def counter_hit(key: str, window: int) -> int:
    """Add one to a counter that lives ``window`` seconds from its first use; the new value."""
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def counter_value(key: str) -> int:
    return cache.get(key, 0)


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` hits per ``value`` (an address, a username) in a window of ``window`` seconds."""

    scope: str
    limit: int
    window: int

    def key(self, value: str) -> str:
        return counter_key(f"rl:{self.scope}", value)

    def exceeded(self, value: str) -> bool:
        return counter_value(self.key(value)) >= self.limit

    def hit(self, value: str) -> int:
        return counter_hit(self.key(value), self.window)

    def reset(self, value: str) -> None:
        cache.delete(self.key(value))
