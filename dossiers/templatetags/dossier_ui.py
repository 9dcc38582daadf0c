"""Template helpers shared by the citizen's and the officers' dossier pages."""

from django import template
from django.utils.text import Truncator

from dossiers import wording
from dossiers.models import Dossier, DossierEvent, Notification

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """The person-readable name of a history step: "receive" → "Tiếp nhận hồ sơ"."""
    return wording.step_label(action)


@register.filter
def step_details(event: DossierEvent) -> str:
    """What the system knows of a step, as a sentence in the reader's language (agency names marked Vietnamese)."""
    return wording.step_details(event)


@register.filter
def vi(text: str) -> str:
    """Vietnamese data inside a sentence of the page's language: marked lang="vi" on other language versions."""
    return wording.as_data(text)


@register.filter
def actor_label(event: DossierEvent) -> str:
    return wording.actor_label(event)


@register.filter
def notification_subject(notification: Notification) -> str:
    return wording.notification_subject(notification, html=True)


@register.filter
def notification_message(notification: Notification) -> str:
    return wording.notification_message(notification, html=True)


# Choice labels by value, built once: a model's get_FOO_display() rebuilds its choices (and translates every label)
# on each call, which is most of the time of a 25-row queue.
_STATE_LABELS = dict(Dossier.State.choices)
_CHANNEL_LABELS = dict(Dossier.Channel.choices)
_OUTCOME_LABELS = dict(DossierEvent.Outcome.choices)


@register.filter
def state_label(state: str) -> str:
    """The person-readable name of a dossier's state, in the active language: "received" → "Đã tiếp nhận"."""
    return str(_STATE_LABELS.get(state, state))


@register.filter
def channel_label(channel: int) -> str:
    return str(_CHANNEL_LABELS.get(channel, channel))


@register.filter
def outcome_label(outcome: str) -> str:
    return str(_OUTCOME_LABELS.get(outcome, outcome))


@register.filter
def clip(value: str, length: int) -> str:
    """``truncatechars`` that costs nothing when the text fits (most procedure names do)."""
    value = str(value)
    return value if len(value) <= length else Truncator(value).chars(length)


@register.simple_tag
def unread_notification_count(user) -> int:
    """Unread notifications of ``user`` for the header (one count query; 0 for anonymous visitors)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
