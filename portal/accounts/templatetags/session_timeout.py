"""``{% session_timeout_warning %}``: the dialog that warns a signed-in person before their session ends.

Rendered only where the page already knows someone is signed in (base.html, inside ``user.is_authenticated``), so an
anonymous page never reads the session for it.
"""

from django import template
from django.conf import settings

from portal.accounts.session_security import idle_limit_seconds, seconds_left

register = template.Library()


@register.simple_tag(takes_context=True)
def session_timeout_warning(context) -> str:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    limit = idle_limit_seconds(request.user)
    # Rendered in the page's own context (its context processors have run once already), with three values more.
    dialog = context.template.engine.get_template("accounts/_session_timeout.html")
    values = {
        "seconds_left": seconds_left(request),
        "warning_seconds": min(settings.PORTAL_SESSION_WARNING_SECONDS, limit),
        "limit_minutes": max(1, limit // 60),
    }
    with context.push(values):
        return dialog.render(context)
