"""The feature apps' entries of the site header's menu (``portal/navigation.py``), rendered in ``base.html``."""

from django import template
from django.utils.safestring import mark_safe

from portal.navigation import nav_templates

register = template.Library()


@register.simple_tag(takes_context=True)
def feature_nav(context, slot: str) -> str:
    """Every template registered at ``slot``, rendered with the page's context, in the order registered."""
    engine = context.template.engine
    return mark_safe("".join(engine.get_template(name).render(context) for name in nav_templates(slot)))  # noqa: S308
