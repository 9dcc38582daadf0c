"""Numbers and shares on the statistics pages: 1.500.000 and 95,3 % in Vietnamese, 1,500,000 and 95.3 % in English."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
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


def cells(labels: list[str], *values: str) -> str:
    """Table cells (``<td>``) of already formatted figures, each with its column's label for the narrow screen's
    card layout (``.stack-table``), escaped, as one piece of markup: a page of a hundred rows renders one variable a
    row instead of one filter call a cell."""
    return mark_safe(  # noqa: S308 (each label and value escaped)
        "".join(
            f'<td data-label="{escape(label)}">{escape(value)}</td>'
            for label, value in zip(labels, values, strict=True)
        )
    )
