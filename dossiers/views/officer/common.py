"""What every staff page shares: the officer check and the queue counts shown beside the content."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest

from dossiers.queues import Clock, queue_counts, queues_for


def officer_required(view):
    """Signed-in staff only; anyone else is sent to sign in, or told the page does not exist."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not (request.user.is_active and request.user.is_officer):
            raise Http404("Trang dành cho cán bộ")
        return view(request, *args, **kwargs)

    return wrapped


def request_queue_counts(request: HttpRequest, clock: Clock | None = None) -> dict[str, int]:
    """The user's queue counts, computed once per request (the site header and the side navigation share them)."""
    counts = getattr(request, "_officer_queue_counts", None)
    if counts is None:
        counts = queue_counts(request.user, clock or Clock.at())
        request._officer_queue_counts = counts
    return counts


def queue_nav(request: HttpRequest, clock: Clock) -> dict:
    """The user's queues with their counts, for the side navigation of staff pages (one query)."""
    counts = request_queue_counts(request, clock)
    return {
        "nav_queues": [(queue, counts.get(queue.slug, 0)) for queue in queues_for(request.user)],
        "nav_overdue": counts.get("overdue", 0),
    }
