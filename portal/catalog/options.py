"""The catalogue filter form's option lists (125 agencies under their kinds, the fields, the applicant types), rendered
once per version of the catalogue and the agencies and per language, instead of a template loop on every page.

A page takes the rendered list and marks its selected value (``with_selected``)."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from portal import cache as versioned
from portal.agencies.models import Agency
from portal.catalog import selectors
from portal.catalog.forms import LEVEL_CHOICES, ONLINE_CHOICES


def filter_options() -> dict[str, str]:
    """``{"level": …, "online": …, "agency": …, "field": …, "applicant": …}``: each select's options as HTML (the
    agency, field and applicant lists after their "all" option, which the template writes)."""
    key = f"catalog:filter-options:{get_language()}"
    return versioned.get_or_set(key, selectors.PUBLIC_NAMESPACES, _render, 3600)


def _render() -> dict[str, str]:
    choices = selectors.filter_choices()
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name, kind in choices["agency_choices"]:
        groups.setdefault(kind, []).append((code, name))
    labels = dict(Agency.Kind.choices)
    agency = "".join(
        format_html('<optgroup label="{}">{}</optgroup>', labels.get(kind, kind), _options(options))
        for kind, options in groups.items()
    )
    return {
        "level": str(_options((value, str(label)) for value, label in LEVEL_CHOICES)),
        "online": str(_options((value, str(label)) for value, label in ONLINE_CHOICES)),
        "agency": agency,
        "field": str(_options(choices["field_choices"])),
        "applicant": str(_options(choices["applicant_choices"])),
    }


def _options(pairs) -> SafeString:
    return format_html_join("", '<option value="{}">{}</option>', pairs)


def with_selected(options: str, value: str | None) -> SafeString:
    """``options`` with the one whose value is ``value`` selected (none when no option has it)."""
    if value:  # "" is the first option: selected by default
        attribute = format_html('value="{}"', value)
        options = options.replace(f"{attribute}>", f"{attribute} selected>", 1)
    return mark_safe(options)  # noqa: S308 (rendered by format_html above, the value escaped the same way)
