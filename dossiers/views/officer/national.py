"""The synchronisation with the national portal, for staff: what is waiting, what was refused and why, dossiers
that arrived from it, and the share of online services synchronised against the plan's target."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from dossiers.errors import DossierError
from dossiers.forms.national import ProcedureSyncForm
from dossiers.models import OutboxEvent
from dossiers.national import coverage, overview
from dossiers.national.outbox import outbox_retry
from dossiers.queues import Clock
from dossiers.views.officer.common import officer_required, queue_nav
from integrations.dvcqg.client import dvcqg_configured


@require_safe
@officer_required
def national_sync(request: HttpRequest) -> HttpResponse:
    return _page(request, ProcedureSyncForm())


def _page(request: HttpRequest, form: ProcedureSyncForm, *, status: int = 200) -> HttpResponse:
    backlog = overview.outbox_backlog()
    share = coverage.coverage_now()
    context = {
        **queue_nav(request, Clock.at()),
        "configured": dvcqg_configured(),
        "backlog": backlog,
        "retry_reasons": [(overview.reason_label(code), n) for code, n in backlog.retry_reasons],
        "parked_reasons": [
            (overview.reason_label(code), field, n) for code, field, n in backlog.parked_reasons
        ],
        "parked": overview.parked_rows(request.user),
        "incoming": overview.incoming_summary(),
        "coverage": share,
        "next_target": coverage.target_percent(share.year + 1),
        "missing": coverage.missing_by_volume(),
        "can_manage": request.user.is_province_admin,
        "form": form,
    }
    return render(request, "dossiers/officer/national.html", context, status=status)


@require_POST
@officer_required
def national_retry(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_province_admin:
        raise Http404("Chỉ quản trị tỉnh được gửi lại")
    try:
        outbox_retry(row_id=pk, actor=request.user)
    except OutboxEvent.DoesNotExist:
        messages.info(request, gettext("Sự kiện này không còn bị từ chối (đã được gửi lại trước đó)."))
        return redirect("dossiers:officer_national")
    messages.success(request, gettext("Đã đưa sự kiện vào hàng đợi gửi lại."))
    return redirect("dossiers:officer_national")


@require_POST
@officer_required
def national_procedure(request: HttpRequest) -> HttpResponse:
    if not request.user.is_province_admin:
        raise Http404("Chỉ quản trị tỉnh được cập nhật danh sách đồng bộ")
    form = ProcedureSyncForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    procedure = form.cleaned_data["procedure"]
    try:
        coverage.procedure_sync_set(
            actor=request.user,
            procedure=procedure,
            synced=form.cleaned_data["synced"],
            since=form.cleaned_data["since"],
        )
    except DossierError as error:
        form.add_error("since", error.message)
        return _page(request, form, status=400)
    messages.success(request, gettext("Đã cập nhật thủ tục %(code)s.") % {"code": procedure.code})
    return redirect("dossiers:officer_national")
