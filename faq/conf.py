"""The FAQ's settings, read from the environment with the portal's helper (quotas are configuration, DOMAIN.md §9)."""

from django.conf import settings


def _setting(name: str, default):
    return getattr(settings, name, default)


def department_quota() -> int:
    return int(_setting("PORTAL_FAQ_DEPARTMENT_QUOTA", 50))


def commune_quota() -> int:
    return int(_setting("PORTAL_FAQ_COMMUNE_QUOTA", 100))


def province_quota() -> int:
    return int(_setting("PORTAL_FAQ_PROVINCE_QUOTA", 500))


def asks_per_address() -> int:
    """Questions one address may ask the answering service per window."""
    return int(_setting("PORTAL_FAQ_ASKS_PER_ADDRESS", 30))


def ask_window_seconds() -> int:
    return int(_setting("PORTAL_FAQ_ASK_WINDOW_SECONDS", 60))


def feedback_url() -> str:
    """Where a complaint belongs (the feedback form, phản ánh kiến nghị); empty until that app is configured."""
    return str(_setting("PORTAL_FAQ_FEEDBACK_URL", ""))
