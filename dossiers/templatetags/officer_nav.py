"""The staff entry of the site navigation ("Xử lý hồ sơ" with the number of dossiers waiting).

Public pages are cached and must not vary by visitor: without a session cookie this renders nothing and does not
even look at ``request.user`` (which would read the session and add ``Vary: Cookie``).
"""

from django import template
from django.conf import settings
from django.template.loader import render_to_string

from dossiers.queues import QUEUES, to_do_total
from dossiers.views.officer.common import request_queue_counts
from portal.accounts.mfa import second_factor_passed

register = template.Library()
QUEUE_ROLES = frozenset(queue.role for queue in QUEUES)


@register.simple_tag(takes_context=True)
def officer_nav_item(context) -> str:
    request = context.get("request")
    if request is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return ""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_officer) or user.role not in QUEUE_ROLES:
        return ""  # administrators without a queue of their own have no work page to point to
    if not second_factor_passed(request, user):
        return ""  # the enrolment and code pages, open before the second factor, show no queue counts
    counts = request_queue_counts(request)
    return render_to_string(
        "dossiers/officer/_nav_item.html",
        {
            "waiting": to_do_total(counts, user),
            "overdue": counts.get("overdue", 0),
            "current": (getattr(request.resolver_match, "url_name", "") or "").startswith("officer_"),
        },
    )
