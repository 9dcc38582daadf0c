"""The site header's menu entries that belong to feature apps, filled by each app from its ``AppConfig.ready``.

``base.html`` shows the core's own entries (home, procedures, agencies, site map, account) and, at two places, what
the apps registered: ``public`` entries after the site map, shown to every visitor (an anonymous visitor's page must
not vary by visitor, so these read the user only when the request carries a session cookie), and ``account``
entries among the signed-in person's own, before "Tài khoản". An entry is a template rendering one or more
``<li>`` with the page's context.
"""

SLOTS = ("public", "account")

_templates: dict[str, list[str]] = {slot: [] for slot in SLOTS}


def nav_register(slot: str, template_name: str) -> None:
    """Show ``template_name`` in the menu at ``slot``, after what was registered before; twice counts once."""
    if slot not in _templates:
        raise ValueError(f"unknown navigation slot {slot!r}; one of {SLOTS}")
    if template_name not in _templates[slot]:
        _templates[slot].append(template_name)


def nav_templates(slot: str) -> tuple[str, ...]:
    return tuple(_templates[slot])
