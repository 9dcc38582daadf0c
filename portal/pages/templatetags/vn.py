"""Vietnamese presentation of money and durations, in the active language."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

register = template.Library()

_UNITS = {
    "vi": {"working_day": "ngày làm việc", "day": "ngày", "hour": "giờ", "month": "tháng", "": ""},
    # (one, other): "1 working day", "1.5 working days", "2 working days".
    "en": {
        "working_day": ("working day", "working days"),
        "day": ("day", "days"),
        "hour": ("hour", "hours"),
        "month": ("month", "months"),
        "": ("", ""),
    },
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
    words = _UNITS[language].get(unit, ("", "") if language == "en" else "")
    if language == "en":
        words = words[0] if value == 1 else words[1]
    return f"{number} {words}".strip()
