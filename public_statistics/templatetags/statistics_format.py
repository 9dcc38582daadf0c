"""Numbers and shares on the statistics pages: 1.500.000 and 95,3 % in Vietnamese, 1,500,000 and 95.3 % in English."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


@register.filter
def count(value) -> str:
    value = int(value or 0)
    return f"{value:,}" if _english() else f"{value:,}".replace(",", ".")


@register.filter
def share(value) -> str:
    """0.953 → "95,3 %"; None → "chưa có dữ liệu"."""
    if value is None:
        return _("chưa có dữ liệu")
    text = f"{100 * value:.1f}"
    return f"{text} %" if _english() else f"{text.replace('.', ',')} %"
