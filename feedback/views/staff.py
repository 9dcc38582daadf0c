"""Staff pages: the queues (routing for the provincial office, the agency's items, one's own, closed), recording
feedback received by phone, letter or at the counter, and one item's page with its steps. An item outside the
officer's scope is a 404; each step is one service call."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dossiers.uploads import download_name
from feedback import rules, selectors, services
from feedback.errors import FeedbackError
from feedback.forms import (
    AssignForm,
    CloseForm,
    DraftForm,
    NoteForm,
    OtherItemForm,
    PublishForm,
    RecordForm,
    RouteForm,
)
from feedback.models import Feedback, FeedbackAttachment

S = Feedback.State
QUEUE_LABELS = {
    "routing": N_("Chờ phân loại, chuyển"),
    "agency": N_("Phản ánh của cơ quan"),
    "mine": N_("Được giao cho tôi"),
    "closed": N_("Đã trả lời, đã đóng"),
}


def staff_only(view):
    """Signed-out visitors are sent to sign in; signed-in people who are not staff get 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_officer or not request.user.is_active:
            raise Http404("Không tìm thấy trang")
        return never_cache(view)(request, *args, **kwargs)

    return wrapper


def _nav(user, now) -> list[tuple[str, str, int]]:
    counts = selectors.queue_counts(user, now)
    return [(name, _(QUEUE_LABELS[name]), counts[name]) for name in selectors.queues_for(user)]


@staff_only
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    user, now = request.user, timezone.now()
    names = selectors.queues_for(user)
    name = request.GET.get("queue", "")
    name = (
        name
        if name in names
        else ("routing" if "routing" in names and rules.sees_everything(user) else "agency")
    )
    state = request.GET.get("state", "")
    state = state if state in S.values else ""
    due = request.GET.get("due", "")
    due = due if due in ("overdue", "soon") else ""
    filters = selectors.QueueFilters(
        queue=name, state=state, due=due, q=request.GET.get("q", "")[:100].strip()
    )
    page = selectors.page_of(
        selectors.queue_items(user=user, filters=filters, now=now), request.GET.get("page", 1)
    )
    for item in page.object_list:
        item.deadline = selectors.deadline_label(item, now)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav": _nav(user, now),
        "queue_name": name,
        "queue_label": _(QUEUE_LABELS[name]),
        "filters": filters,
        "states": S.choices,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "feedback/staff/queue.html", context)


@staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def record(request: HttpRequest) -> HttpResponse:
    """Feedback received by phone, letter or at the counter, recorded on the sender's behalf."""
    if request.method != "POST":
        return render(
            request,
            "feedback/staff/record.html",
            {"form": RecordForm(), "nav": _nav(request.user, timezone.now())},
        )
    form = RecordForm(request.POST, request.FILES)
    context = {"form": form, "nav": _nav(request.user, timezone.now())}
    if not form.is_valid():
        return render(request, "feedback/staff/record.html", context, status=400)
    try:
        item, _created = services.feedback_submit(
            submission=form.submission(),
            submit_token=form.cleaned_data.get("token"),
            channel=form.cleaned_data["channel"],
            recorded_by=request.user,
        )
    except FeedbackError as error:
        return render(request, "feedback/staff/record.html", {**context, "error": error.message}, status=400)
    messages.success(request, _("Đã ghi nhận phản ánh %(code)s.") % {"code": item.code})
    return redirect("feedback:staff_item", code=item.code)


def _item_page(request, item: Feedback, *, status=200, forms=None, error="") -> HttpResponse:
    user, now = request.user, timezone.now()
    forms = forms or {}
    may = {
        "route": item.state in (S.RECEIVED, S.ROUTED) and rules.may_route(user, item),
        "assign": item.state in (S.ROUTED, S.ASSIGNED, S.REOPENED) and rules.may_assign(user, item),
        "draft": item.state in (S.ASSIGNED, S.REOPENED, S.DRAFTED) and rules.may_draft(user, item),
        "approve": item.state == S.DRAFTED and rules.may_approve(user, item),
        "send": item.state == S.APPROVED and rules.may_send(user, item),
        "publish": item.state == S.ANSWERED and item.consent_publish and rules.may_send(user, item),
        "close": item.is_open and rules.may_close(user, item),
        "merge": item.is_open
        and item.state != S.APPROVED
        and (rules.may_route(user, item) or rules.may_approve(user, item)),
    }
    defaults = {
        "route": lambda: RouteForm(
            initial={"agency": item.agency or item.suggested_agency, "kind": item.kind}
        ),
        "assign": lambda: AssignForm(
            handlers=selectors.agency_handlers(item), initial={"handler": item.handler}
        ),
        "draft": lambda: DraftForm(initial={"text": item.draft_answer}),
        "send_back": lambda: NoteForm(),
        "publish": lambda: PublishForm(
            initial={"public_question": item.public_question, "public_answer": item.public_answer}
        ),
        "close": lambda: CloseForm(),
        "merge": lambda: OtherItemForm(),
    }
    shown = {name: forms.get(name) or make() for name, make in defaults.items()}
    context = {
        "item": item,
        "deadline": selectors.deadline_label(item, now),
        "events": item.events.select_related("actor", "agency").order_by("at", "pk"),
        "attachments": item.attachments.all(),
        "duplicates": selectors.feedback_duplicates(feedback=item, user=user) if item.is_open else [],
        "related": item.related.all(),
        "merged": item.merged.all(),
        "may": may,
        "forms": shown,
        "error": error,
        "nav": _nav(user, now),
        "leftovers": services.publication_leftovers(item, f"{item.public_question}\n{item.public_answer}")
        if may["publish"]
        else [],
    }
    return render(request, "feedback/staff/item.html", context, status=status)


@staff_only
@require_safe
def item(request: HttpRequest, code: str) -> HttpResponse:
    return _item_page(request, selectors.feedback_get_for_staff(user=request.user, code=code))


def _other(request, code: str) -> Feedback:
    try:
        return selectors.feedback_get_for_staff(user=request.user, code=code)
    except Http404:
        message = _("Không tìm thấy phản ánh %(code)s trong phạm vi của anh/chị.") % {"code": code}
        raise FeedbackError(message) from None


ACTIONS = {
    # name: (form class or None, service call taking (request, item, cleaned data), success message)
    "route": (
        RouteForm,
        lambda r, i, d: services.feedback_route(
            feedback=i, actor=r.user, agency=d["agency"], kind=d["kind"], note=d["note"]
        ),
        N_("Đã chuyển phản ánh đến cơ quan có thẩm quyền."),
    ),
    "assign": (
        AssignForm,
        lambda r, i, d: services.feedback_assign(feedback=i, actor=r.user, handler=d["handler"]),
        N_("Đã phân công cán bộ xử lý."),
    ),
    "draft": (
        DraftForm,
        lambda r, i, d: services.feedback_draft(feedback=i, actor=r.user, text=d["text"]),
        N_("Đã lưu dự thảo trả lời, chờ lãnh đạo duyệt."),
    ),
    "send_back": (
        NoteForm,
        lambda r, i, d: services.feedback_send_back(feedback=i, actor=r.user, note=d["note"]),
        N_("Đã trả dự thảo để chỉnh sửa."),
    ),
    "approve": (
        None,
        lambda r, i, d: services.feedback_approve(feedback=i, actor=r.user),
        N_("Đã duyệt trả lời."),
    ),
    "send": (
        None,
        lambda r, i, d: services.feedback_send(feedback=i, actor=r.user),
        N_("Đã gửi trả lời cho người gửi."),
    ),
    "publish": (
        PublishForm,
        lambda r, i, d: services.feedback_publish(
            feedback=i,
            actor=r.user,
            public_question=d["public_question"],
            public_answer=d["public_answer"],
            checked=d["checked"],
        ),
        N_("Đã công khai trả lời."),
    ),
    "close": (
        CloseForm,
        lambda r, i, d: services.feedback_close_not_feedback(feedback=i, actor=r.user, reason=d["reason"]),
        N_("Đã đóng phản ánh và thông báo cho người gửi."),
    ),
    "merge": (
        OtherItemForm,
        lambda r, i, d: services.feedback_merge(feedback=i, into=_other(r, d["other"]), actor=r.user),
        N_("Đã gộp phản ánh."),
    ),
    "link": (
        OtherItemForm,
        lambda r, i, d: services.feedback_link(feedback=i, other=_other(r, d["other"]), actor=r.user),
        N_("Đã liên kết hai phản ánh."),
    ),
}


@staff_only
@require_POST
def action(request: HttpRequest, code: str, name: str) -> HttpResponse:
    item = selectors.feedback_get_for_staff(user=request.user, code=code)
    if name not in ACTIONS:
        raise Http404("Không có bước này")
    form_class, call, done = ACTIONS[name]
    data = {}
    if form_class is not None:
        kwargs = {"handlers": selectors.agency_handlers(item)} if form_class is AssignForm else {}
        form = form_class(request.POST, **kwargs)
        if not form.is_valid():
            key = "merge" if name == "link" else name
            return _item_page(request, item, status=400, forms={key: form})
        data = form.cleaned_data
    try:
        call(request, item, data)
    except FeedbackError as error:
        item.refresh_from_db()
        return _item_page(request, item, status=400, error=error.message)
    messages.success(request, _(done))
    return redirect("feedback:staff_item", code=item.code)


@staff_only
@require_safe
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    found = FeedbackAttachment.objects.filter(
        pk=pk, feedback__in=selectors.feedback_visible_to(request.user)
    ).first()
    if found is None:
        raise Http404("Không tìm thấy tệp")
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=download_name(found.display_name, found.content_type),
        content_type=found.content_type,
    )
    response["Content-Security-Policy"] = "sandbox"
    return response
