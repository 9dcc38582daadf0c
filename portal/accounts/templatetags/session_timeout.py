"""``{% session_timeout_warning %}``: the dialog that warns a signed-in person before their session ends.

Rendered only where the page already knows someone is signed in (base.html, inside ``user.is_authenticated``), so an
anonymous page never reads the session for it.
"""

from django import template
from django.conf import settings
from django.template.loader import render_to_string

from portal.accounts.session_security import idle_limit_seconds, seconds_left

register = template.Library()


@register.simple_tag(takes_context=True)
def session_timeout_warning(context) -> str:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    limit = idle_limit_seconds(request.user)
    return render_to_string(
        "accounts/_session_timeout.html",
        {
            "seconds_left": seconds_left(request),
            "warning_seconds": min(settings.PORTAL_SESSION_WARNING_SECONDS, limit),
            "limit_minutes": max(1, limit // 60),
        },
        request=request,
    )
