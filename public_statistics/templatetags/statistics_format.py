"""Numbers and shares on the statistics pages: 1.500.000 and 95,3 % in Vietnamese, 1,500,000 and 95.3 % in English.

A page formats hundreds of figures: ``numbers()`` gives the two formatters of the current language once, and
``cell_writer(labels)`` writes a table row's cells with each column's label escaped once, not once a row.
"""

from collections.abc import Callable
from html import escape

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def _count_en(value) -> str:
    return f"{int(value or 0):,}"


def _count_vi(value) -> str:
    return f"{int(value or 0):,}".replace(",", ".")


def numbers() -> tuple[Callable[[object], str], Callable[[float | None], str]]:
    """``count`` and ``share`` for the current language."""
    english, no_data = _english(), _("chưa có dữ liệu")

    def share(value: float | None) -> str:
        if value is None:
            return no_data
        text = f"{100 * value:.1f}"
        return f"{text} %" if english else f"{text.replace('.', ',')} %"

    return (_count_en if english else _count_vi), share


@register.filter
def count(value) -> str:
    return _count_en(value) if _english() else _count_vi(value)


@register.filter
def share(value) -> str:
    """0.953 → "95,3 %"; None → "chưa có dữ liệu"."""
    return numbers()[1](value)


def cell_writer(labels: list[str]) -> Callable[..., SafeString]:
    """A function writing table cells (``<td>``) of already formatted figures, each with its column's label for the
    narrow screen's card layout (``.stack-table``), escaped, as one piece of markup: a page of a hundred rows renders
    one variable a row instead of one filter call a cell."""
    heads = [f'<td data-label="{escape(str(label))}">' for label in labels]

    def write(*values: str) -> SafeString:
        return SafeString(
            "".join(f"{head}{escape(value)}</td>" for head, value in zip(heads, values, strict=True))
        )

    return write
