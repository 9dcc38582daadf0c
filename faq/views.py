from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from faq import conf, selectors
from faq.answering import entries_matching
from faq.forms import FaqFilterForm, NotHelpfulForm
from faq.services import MESSAGES, QuestionRefused, answer_not_helpful, ask_counted, question_ask
from portal.http import client_address
from portal.security_headers import embeddable

PAGE_SIZE = 20


@require_safe
def entry_list(request: HttpRequest) -> HttpResponse:
    """Published questions by field, agency or procedure; words typed are matched as the answering service does."""
    form = FaqFilterForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "faq/list.html",
            {"form": form, "page": None, **selectors.faq_filter_choices()},
            status=400,
        )
    data = form.cleaned_data
    entries = selectors.entries_filtered(
        field_slug=data["linh_vuc"], agency_code=data["co_quan"], procedure_code=data["thu_tuc"]
    )
    if data["q"].strip():
        order = {pk: i for i, pk in enumerate(entries_matching(data["q"]))}
        rows = {e.pk: e for e in entries.filter(pk__in=list(order))}
        entries = [rows[pk] for pk in sorted(rows, key=order.get)]
    page = Paginator(entries, PAGE_SIZE).get_page(data["page"] or 1)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query_string": params.urlencode(),
        **selectors.faq_filter_choices(),
    }
    return render(request, "faq/list.html", context)


@require_safe
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "faq/entry.html", {"entry": selectors.entry_get_published(pk)})


def _exchange(request: HttpRequest) -> tuple[dict, int]:
    """The question in ``?q=`` answered (or refused), as template context and a status."""
    question = request.GET.get("q", "")
    if not question.strip() and "q" not in request.GET:
        return {}, 200
    try:
        reply = question_ask(question=question, address=client_address(request))
    except QuestionRefused as exc:
        return {"question": question[:200], "error": exc.message}, exc.status
    return {
        "question": question,
        "reply": reply,
        "message": "" if reply.answered else MESSAGES.get(reply.reason, MESSAGES["unknown"]),
        "feedback_url": conf.feedback_url(),
    }, 200


@require_safe
def chat(request: HttpRequest) -> HttpResponse:
    """The assistant: a plain form without JavaScript (the page shows the last question and its answers); with
    htmx each answer is added to the conversation above the form."""
    context, status = _exchange(request)
    if request.htmx and not request.htmx.boosted:
        return render(request, "faq/_exchange.html", {**context, "fragment": True}, status=status)
    return render(request, "faq/chat.html", context, status=status)


@require_safe
@xframe_options_exempt
@embeddable
def embed(request: HttpRequest) -> HttpResponse:
    """The assistant for the national portal and departments' sites to show in a frame (any site may frame it)."""
    context, status = _exchange(request)
    if request.htmx and not request.htmx.boosted:
        return render(request, "faq/_exchange.html", {**context, "fragment": True}, status=status)
    return render(request, "faq/embed.html", context, status=status)


@csrf_exempt  # also sent from the frame on other sites, where the portal's cookies are not sent; it only queues
@require_POST
def not_helpful(request: HttpRequest) -> HttpResponse:
    """A visitor says an answer did not help: the question waits for an admin to write a better one."""
    form = NotHelpfulForm(request.POST)
    if not form.is_valid():
        return render(request, "faq/thanks.html", {"error": True}, status=400)
    try:
        # Counted against the same limit as questions, so the queue cannot be flooded from one address.
        ask_counted(address=client_address(request))
    except QuestionRefused as exc:
        return render(request, "faq/thanks.html", {"error": True, "message": exc.message}, status=exc.status)
    answer_not_helpful(question=form.cleaned_data["question"], answer_id=form.cleaned_data["answer_id"])
    template = "faq/thanks.html#thanks" if request.htmx else "faq/thanks.html"
    return render(request, template, {})


def quota_dashboard(request: HttpRequest) -> HttpResponse:
    """Each department's and commune's published questions against its quota: for province admins only."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_province_admin):
        raise Http404
    rows = selectors.quota_rows()
    sections = [(_("Sở, ban, ngành"), rows["department"]), (_("UBND xã, phường, đặc khu"), rows["commune"])]
    response = render(request, "faq/quotas.html", {**rows, "sections": sections})
    response["Cache-Control"] = "private, no-store"
    return response
