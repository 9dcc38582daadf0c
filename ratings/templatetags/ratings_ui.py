from django import template
from django.utils import formats

register = template.Library()


@register.simple_tag
def indicator(row, number: int) -> str:
    """The row's average for indicator ``number``, or a dash when it has no data."""
    value = row.indicators.get(number)
    return "–" if value is None else formats.localize(value)
