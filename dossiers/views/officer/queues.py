"""Queue pages: the overview of a user's queues, and one queue with its filters, sorting and pages."""

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_safe

from dossiers.forms.queues import QueueFilterForm
from dossiers.queues import Clock, QueueFilters, deadline_counts, queue_get, queue_page
from dossiers.views.officer.common import officer_required, queue_nav, request_queue_counts
from portal.accounts.models import User


@require_safe
@officer_required
def officer_home(request: HttpRequest) -> HttpResponse:
    context = queue_nav(request, Clock.at())
    context["is_receiver"] = request.user.role == User.Role.ONESTOP_OFFICER
    return render(request, "dossiers/officer/home.html", context)


@require_safe
@officer_required
def queue_list(request: HttpRequest, slug: str) -> HttpResponse:
    """One queue; bad parameters get a 400 page that says which value is wrong. htmx asks for the results only: the
    list, then the short status for the page's one live region (swapped in out of band)."""
    queue = queue_get(request.user, slug)
    if queue is None:
        raise Http404("Không có hàng đợi này")
    clock = Clock.at()
    form = QueueFilterForm(request.GET, queue=queue)
    page, status = None, 400
    if form.is_valid():
        filters = QueueFilters(**form.filters())
        # Without filters the header's counts (computed for this request anyway) already say how many there are.
        total = None if filters.narrowing else request_queue_counts(request, clock).get(queue.slug)
        page = queue_page(user=request.user, queue=queue, filters=filters, clock=clock, total=total)
        status = 200
    context = {
        **queue_nav(request, clock),
        "queue": queue,
        "form": form,
        "page": page,
        "query_string": _query_without(request, "page"),
        "sort_query": _query_without(request, "page", "sort"),
        "sort": form.cleaned_data.get("sort") or "han" if form.is_valid() else "han",
        "deadlines": deadline_counts(user=request.user, queue=queue, clock=clock) if queue.watch else None,
    }
    template = "dossiers/officer/queue.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
        context["fragment"] = True
    return render(request, template, context, status=status)


def _query_without(request: HttpRequest, *names: str) -> str:
    """The query string for the page's links: one copy of each parameter (the last, the one the form reads), without
    ``names`` and the empty ones."""
    params = QueryDict(mutable=True)
    for name in request.GET:
        value = request.GET.get(name, "")
        if name not in names and value.strip():
            params[name] = value
    return params.urlencode()
