"""``feedback_changed`` is sent by every step of ``feedback/services.py`` inside its transaction, after the history
event is written; receivers (``feedback/receivers.py``: the notifications) and other apps (ratings, statistics) listen.
Arguments: ``feedback``, ``event`` (the FeedbackEvent just written), ``actor`` (a user or None)."""

from django.dispatch import Signal

feedback_changed = Signal()
