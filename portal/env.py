"""One small typed reader for settings that come from the environment.

Every setting the portal reads from the environment goes through ``env``, so the names a deployment can set are
all visible in ``portal/settings.py`` and a malformed value fails at start-up with the variable's name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit


class ImproperEnvironment(Exception):
    """A variable is set to something the portal cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Env:
    environ: os._Environ | dict

    def str(self, name: str, default: str = "") -> str:
        return self.environ.get(name, default)

    def bool(self, name: str, default: bool = False) -> bool:
        raw = self.environ.get(name)
        if raw is None:
            return default
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ImproperEnvironment(f"{name} must be true or false, got {raw!r}")

    def int(self, name: str, default: int) -> int:
        raw = self.environ.get(name)
        if raw is None or raw.strip() == "":
            return default
        try:
            return int(raw)
        except ValueError:
            raise ImproperEnvironment(f"{name} must be a whole number, got {raw!r}") from None

    def floats(self, name: str, default: tuple[float, ...]) -> tuple[float, ...]:
        """Comma-separated numbers, e.g. a connect and a read timeout: ``3.05,15``."""
        raw = self.environ.get(name)
        if raw is None or raw.strip() == "":
            return default
        try:
            values = tuple(float(item) for item in raw.split(","))
        except ValueError:
            raise ImproperEnvironment(f"{name} must be numbers separated by commas, got {raw!r}") from None
        if any(value <= 0 for value in values):
            raise ImproperEnvironment(f"{name} must be positive numbers, got {raw!r}")
        return values

    def list(self, name: str, default: list[str] | None = None) -> list[str]:
        raw = self.environ.get(name)
        if raw is None:
            return list(default or [])
        return [item.strip() for item in raw.split(",") if item.strip()]

    def database(self, name: str, default: str) -> dict:
        """Django DATABASES entry from a URL: ``sqlite:///abs/path`` or ``postgres://user:pw@host:port/db``."""
        return parse_database_url(self.environ.get(name) or default)


def parse_database_url(url: str) -> dict:
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path[1:] if path.startswith("//") else path,
            # WAL lets the dev server read while an import writes; a generous timeout avoids "database is locked".
            "OPTIONS": {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"},
        }
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(options.pop("conn_max_age", 60)),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperEnvironment(f"Unsupported database URL scheme {parts.scheme!r}")


env = Env(os.environ)
