"""Vietnamese presentation of money and durations, in the active language."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

register = template.Library()

_UNITS = {
    "vi": {"working_day": "ngày làm việc", "day": "ngày", "hour": "giờ", "month": "tháng", "": ""},
    "en": {"working_day": "working days", "day": "days", "hour": "hours", "month": "months", "": ""},
}


def _group(amount: int, separator: str) -> str:
    return f"{amount:,}".replace(",", separator)


@register.filter
def vnd(amount) -> str:
    """1500000 → "1.500.000 đ" (Vietnamese) or "1,500,000 VND" (English); empty for no amount."""
    if amount is None or amount == "":
        return ""
    amount = int(amount)
    if (get_language() or "vi").startswith("en"):
        return f"{_group(amount, ',')} VND"
    return f"{_group(amount, '.')} đ"


@register.filter
def duration(value: Decimal | None, unit: str = "") -> str:
    """Decimal("7"), "working_day" → "7 ngày làm việc"; Decimal("0.5") → "0,5 ngày"."""
    if value is None:
        return ""
    language = "en" if (get_language() or "vi").startswith("en") else "vi"
    number = f"{value.normalize():f}"
    if language == "vi":
        number = number.replace(".", ",")
    return f"{number} {_UNITS[language].get(unit, '')}".strip()
