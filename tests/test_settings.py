"""Production mode refuses unsafe settings, and `check --deploy` is clean with production settings."""

import os
import subprocess
import sys

import pytest

from portal.env import Env, ImproperEnvironment, parse_database_url

STRONG_SECRET = "k" * 20 + "Z9-x" * 10 + "q" * 10


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "PORTAL_ENV"}}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], capture_output=True, text=True, env=environ, timeout=120
    )


def test_production_refuses_to_start_without_a_secret():
    result = _manage("check", PORTAL_ENV="production", ALLOWED_HOSTS="dichvucong.example")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = _manage(
        "check",
        PORTAL_ENV="production",
        SECRET_KEY=STRONG_SECRET,
        DEBUG="true",
        ALLOWED_HOSTS="dichvucong.example",
    )
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PORTAL_ENV="production",
        SECRET_KEY=STRONG_SECRET,
        ALLOWED_HOSTS="dichvucong.example",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_env_reader_names_the_bad_variable():
    with pytest.raises(ImproperEnvironment, match="DEBUG"):
        Env({"DEBUG": "maybe"}).bool("DEBUG")
    with pytest.raises(ImproperEnvironment, match="PORT"):
        Env({"PORT": "80a"}).int("PORT", 1)
    assert Env({"HOSTS": "a, b,,c"}).list("HOSTS") == ["a", "b", "c"]


def test_database_urls():
    pg = parse_database_url("postgres://u:p%40ss@db:5433/portal")
    assert (pg["ENGINE"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "django.db.backends.postgresql",
        "u",
        "p@ss",
        "db",
        "5433",
        "portal",
    )
    assert parse_database_url("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"
    with pytest.raises(ImproperEnvironment):
        parse_database_url("mysql://x")
