"""Template helpers shared by the citizen's and the officers' dossier pages."""

from django import template
from django.utils.translation import gettext

from dossiers.models import Notification
from dossiers.workflow import TRANSITIONS

register = template.Library()

# Steps recorded outside the state machine (a dossier registered at the counter).
_OTHER_ACTIONS = {"register": "Đăng ký hồ sơ"}


@register.filter
def action_label(action: str) -> str:
    """The person-readable name of a history step: "receive" → "Tiếp nhận hồ sơ"."""
    transition = TRANSITIONS.get(action)
    label = transition.label if transition else _OTHER_ACTIONS.get(action, action)
    return gettext(label)


@register.simple_tag
def unread_notification_count(user) -> int:
    """Unread notifications of ``user`` for the header (one count query; 0 for anonymous visitors)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
