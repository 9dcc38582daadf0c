from django import template
from django.utils import formats

from ratings.models import IndexWeight

register = template.Library()


@register.simple_tag
def indicator(row, number: int) -> str:
    """The row's average for indicator ``number``, or a dash when it has no data."""
    value = row.indicators.get(number)
    return "–" if value is None else formats.localize(value)


@register.filter
def index_label(component: str) -> str:
    return str(dict(IndexWeight.Component.choices).get(component, component))
