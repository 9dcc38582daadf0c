from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def widget_attrs(widget) -> str:
    """The input's validation attributes and its aria-describedby (help text, error)."""
    parts = []
    for name, value in widget.attrs.items():
        parts.append((name, "" if value is True else value))
    described = [f"{widget.id}_helptext"] if widget.field.get("help") or widget.verified else []
    if widget.error:
        described.append(f"{widget.id}_error")
        parts.append(("aria-invalid", "true"))
    if described:
        parts.append(("aria-describedby", " ".join(described)))
    html = format_html_join("", ' {}="{}"', ((n, v) for n, v in parts if v != ""))
    flags = "".join(f" {n}" for n, v in parts if v == "")
    return mark_safe(str(html) + flags)  # noqa: S308 (names are ours, values escaped by format_html_join)
