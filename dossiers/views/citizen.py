"""The citizen's pages: start a dossier, fill and submit the draft, follow it, answer a supplement request, withdraw,
read notifications, keep papers in the vault.

Every page finds the dossier through ``access`` (a stranger gets 404, whether the dossier exists or not) and every
change goes through ``filing`` or ``services``. A refused action (``DossierError``) is shown on the page with a
400 status. Saving a draft keeps whatever is good (each file on its own) and lists every problem at once; the
final submit is a separate step after the applicant has checked their answers.
"""

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dossiers import access, filing, notifications, selectors, services
from dossiers import population as population_prefill
from dossiers.completeness import dossier_completeness
from dossiers.deadlines import time_limit_unclear
from dossiers.errors import ConcurrentChange, DossierError
from dossiers.forms.citizen import (
    DraftDetailsForm,
    Intent,
    PopulationConsentForm,
    ReviewForm,
    StartForm,
    VaultDocumentForm,
    VersionForm,
    WithdrawForm,
    attachments_from_request,
)
from dossiers.models import Dossier, DossierFile
from dossiers.pdf.qr import tracking_path
from dossiers.workflow import TRANSITIONS, Actor
from eforms import selectors as eforms
from portal.catalog.models import Procedure
from portal.catalog.selectors import procedure_receiving_agencies
from portal.numbers import id_or_none

PAGE_SIZE = 20
S = Dossier.State


def _already_done() -> str:
    return _(
        "Thao tác này đã được thực hiện hoặc hồ sơ vừa thay đổi (có thể do bấm nút hai lần). "
        "Trang dưới đây là trạng thái mới nhất của hồ sơ."
    )


def _message(error: DossierError) -> str:
    return _already_done() if isinstance(error, ConcurrentChange) else error.message


def _own_dossier(request: HttpRequest, pk: int) -> Dossier:
    """The signed-in person's own dossier; anyone else's is 404, like one that does not exist."""
    dossier = access.dossier_get_for_user(user=request.user, pk=pk)
    if dossier.applicant_id != request.user.pk:
        raise Http404("Không tìm thấy hồ sơ")
    return dossier


def _reload(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_related("procedure", "receiving_agency", "handling_agency").get(
        pk=dossier.pk
    )


# --- starting a dossier -------------------------------------------------------------------------------------------


def _filed_online(procedure: Procedure) -> bool:
    return procedure.online_level >= Procedure.OnlineLevel.SUBMISSION


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def dossier_start(request: HttpRequest, code: str) -> HttpResponse:
    """Confirm where the dossier goes, then create the draft (the procedure page posts here directly). A person who
    already has a draft of this procedure gets that draft back."""
    procedure = get_object_or_404(Procedure, code=code, is_active=True)
    existing = filing.dossier_draft_of(user=request.user, procedure=procedure)
    if existing is not None:
        messages.info(request, _("Bạn đã có bản nháp hồ sơ cho thủ tục này; đây là bản nháp đó."))
        return redirect("dossiers:draft", pk=existing.pk)
    agencies = procedure_receiving_agencies(procedure)
    context = {"procedure": procedure, "online": _filed_online(procedure) and bool(agencies)}
    if not context["online"]:
        return render(
            request, "dossiers/citizen/start.html", context, status=400 if request.method == "POST" else 200
        )
    if request.method != "POST":
        form = StartForm(initial={"co_quan": request.GET.get("co_quan", "")}, agencies=agencies)
        return render(request, "dossiers/citizen/start.html", {**context, "form": form})
    form = StartForm(request.POST, agencies=agencies)
    if form.is_valid():
        try:
            dossier = filing.dossier_draft_create(
                user=request.user, procedure=procedure, receiving_agency=form.cleaned_data["co_quan"]
            )
        except DossierError as error:
            form.add_error(None, error.message)
        else:
            if dossier.created:
                messages.success(request, _("Đã tạo bản nháp hồ sơ. Bạn có thể lưu nháp và tiếp tục sau."))
            else:
                messages.info(request, _("Bạn đã có bản nháp hồ sơ cho thủ tục này; đây là bản nháp đó."))
            return redirect("dossiers:draft", pk=dossier.pk)
    return render(request, "dossiers/citizen/start.html", {**context, "form": form}, status=400)


# --- the draft ------------------------------------------------------------------------------------------------------


def _details_initial(dossier: Dossier) -> dict:
    return {
        "expected_version": dossier.version,
        "applicant_kind": dossier.applicant_kind,
        "applicant_name": dossier.applicant_name,
        # The identity number from the national sign-on, until the applicant types another one.
        "applicant_id_number": dossier.applicant_id_number or getattr(dossier.applicant, "personal_id", ""),
        "applicant_phone": dossier.applicant_phone,
        "applicant_email": dossier.applicant_email,
        "applicant_address": dossier.applicant_address,
        "delivery": dossier.delivery,
        "delivery_address": dossier.delivery_address,
    }


def _document_rows(dossier: Dossier) -> tuple[list, list[DossierFile], int]:
    """Each required document with its files, the files attached to none, and the bytes used."""
    requirements = list(dossier.procedure.documents.all())
    files = list(dossier.files.exclude(kind=DossierFile.Kind.FORM).select_related("vault_document"))
    attached = defaultdict(list)
    for dossier_file in files:
        attached[dossier_file.requirement_id].append(dossier_file)
    rows = [(requirement, attached.pop(requirement.pk, [])) for requirement in requirements]
    other_files = [dossier_file for group in attached.values() for dossier_file in group]
    return rows, other_files, sum(dossier_file.size for dossier_file in files)


def _draft_page(
    request: HttpRequest,
    dossier: Dossier,
    form: DraftDetailsForm,
    *,
    problems: list[filing.Problem] = (),
    status: int = 200,
    consent_form: PopulationConsentForm | None = None,
    population_error: str = "",
) -> HttpResponse:
    rows, other_files, used = _document_rows(dossier)
    check = population_prefill.population_check_view(dossier)
    if check is not None:
        mark = _("Đã xác thực từ CSDL quốc gia về dân cư")
        for name in check.verified:
            if name in form.fields:
                form.fields[name].help_text = mark
    completeness = dossier_completeness(dossier)
    missing = {document.pk for document in completeness.missing}
    context = {
        "dossier": dossier,
        "form": form,
        "rows": [(requirement, files, requirement.pk in missing) for requirement, files in rows],
        # Documents grouped by case ("Trường hợp ...") sit one heading level below their case.
        "heading": "h4" if any(requirement.case for requirement, _files in rows) else "h3",
        "other_files": other_files,
        "completeness": completeness,
        "vault_documents": list(request.user.vault_documents.all()),
        "max_file_mb": settings.PORTAL_UPLOAD_MAX_FILE_MB,
        "max_dossier_mb": settings.PORTAL_UPLOAD_MAX_DOSSIER_MB,
        "used_mb": round(used / (1024 * 1024), 1),
        "more_errors": [(problem.anchor, problem.message) for problem in problems],
        "population": {
            "available": population_prefill.population_available_for(request.user),
            "check": check,
            "mismatches": check.mismatches if check else [],
            "form": consent_form or PopulationConsentForm(initial={"expected_version": dossier.version}),
            "error": population_error,
        },
        # The procedure's electronic declaration, filled on the portal in place of its document's upload slot.
        "declaration": eforms.declaration_for_dossier(dossier),
    }
    return render(request, "dossiers/citizen/draft.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def dossier_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The filing form: applicant details, delivery, and each required document (upload or from the vault)."""
    dossier = _own_dossier(request, pk)
    if request.method == "POST":
        return _draft_save(request, dossier)
    if dossier.state != S.DRAFT:
        return redirect(dossier)
    return _draft_page(request, dossier, DraftDetailsForm(initial=_details_initial(dossier)))


@login_required
@never_cache
@require_POST
def dossier_population(request: HttpRequest, pk: int) -> HttpResponse:
    """With the applicant's consent, fill the draft from the national population database (looked up by the
    personal id of their sign-on); a mismatch is shown, not replaced, until they ask for it."""
    dossier = _own_dossier(request, pk)
    if dossier.state != S.DRAFT:
        return _detail_page(request, dossier, error=_submitted_already(dossier), status=400)
    form = PopulationConsentForm(request.POST)
    details = DraftDetailsForm(initial=_details_initial(dossier))
    if not form.is_valid():
        problems = [filing.Problem(f"id_{name}", str(errors[0])) for name, errors in form.errors.items()]
        return _draft_page(request, dossier, details, problems=problems, consent_form=form, status=400)
    try:
        done = population_prefill.dossier_population_prefill(
            dossier=dossier,
            user=request.user,
            expected_version=form.cleaned_data["expected_version"],
            replace=form.replace(),
        )
    except population_prefill.PrefillRefused as refused:
        # The page itself works (the applicant fills the form by hand): shown with the reason, not as an error page.
        return _draft_page(request, dossier, details, population_error=refused.message)
    except DossierError as error:
        dossier = _reload(dossier)
        details = DraftDetailsForm(initial=_details_initial(dossier))
        return _draft_page(request, dossier, details, population_error=_message(error), status=409)
    if done.mismatches:
        messages.info(
            request,
            _(
                "Đã lấy thông tin từ CSDL quốc gia về dân cư. Một số thông tin bạn đã nhập khác với CSDL: xem bên dưới."
            ),
        )
    else:
        messages.success(request, _("Đã điền thông tin từ CSDL quốc gia về dân cư."))
    return redirect(reverse("dossiers:draft", args=[dossier.pk]) + "#dan-cu")


def _draft_save(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    """Save whatever is good, show every problem at once, and keep what was typed and chosen; "Tiếp tục" goes on
    to the check-your-answers page when nothing stands in the way."""
    if dossier.state != S.DRAFT:
        return _detail_page(request, dossier, error=_submitted_already(dossier), status=400)
    form = DraftDetailsForm(request.POST)
    valid = form.is_valid()
    intent = form.intent()
    requirement_ids = set(dossier.procedure.documents.values_list("pk", flat=True))
    attachments, problems = attachments_from_request(request.FILES, request.POST, requirement_ids)
    try:
        saved = filing.dossier_draft_save(
            dossier=dossier,
            user=request.user,
            expected_version=form.posted_version() if form.posted_version() is not None else -1,
            details=form.details() if valid else None,
            attachments=attachments,
            remove_file_id=form.remove_file_id() if intent == Intent.REMOVE else None,
        )
    except DossierError as error:
        dossier = _reload(dossier)
        if dossier.state != S.DRAFT:
            return _detail_page(request, dossier, error=_submitted_already(dossier), status=400)
        return _draft_page(
            request, dossier, form, problems=[filing.Problem("thanh-phan", str(error.message))]
        )
    problems += saved.problems
    dossier = _reload(saved.dossier)
    if intent == Intent.REVIEW:
        # Everything that stands in the way, at once: with invalid details, only what the documents lack (the
        # details' own errors are on their fields).
        problems += _submission_problems(dossier, details=valid and saved.details_saved)
        if valid and not problems:
            return redirect("dossiers:review", pk=dossier.pk)
    if problems or not valid:
        return _draft_page(
            request, dossier, form.with_version(dossier.version), problems=problems, status=400
        )
    if intent == Intent.REMOVE:
        messages.success(request, _("Đã gỡ tệp khỏi hồ sơ."))
    elif saved.added:
        messages.success(request, _("Đã lưu bản nháp và đính kèm %(n)d tệp.") % {"n": len(saved.added)})
    else:
        messages.success(request, _("Đã lưu bản nháp."))
    target = reverse("dossiers:draft", args=[dossier.pk])
    # After working on the documents, come back to them; after "save", to the top where the message is.
    return redirect(target + "#thanh-phan" if intent in {Intent.REMOVE, Intent.ATTACH} else target)


def _submission_problems(dossier: Dossier, *, details: bool = True) -> list[filing.Problem]:
    """What stops the draft from going to the check-your-answers page, each tied to where it is fixed
    (``details=False``: leave out the applicant's details, which were not saved)."""
    problems = []
    if details:
        problems = [
            filing.Problem("to-khai" if message == declaration_problem else "thong-tin", str(message))
            for message in services.submission_problems(dossier)
            for declaration_problem in [eforms.declaration_problem(dossier)]
        ]
    declaration = None if details else eforms.declaration_problem(dossier)  # else in submission_problems
    if declaration:
        problems.append(filing.Problem("to-khai", declaration))
    completeness = dossier_completeness(dossier)
    if completeness.complete or completeness.incomplete_allowed:
        return problems
    problems.append(filing.Problem("thanh-phan", completeness.summary()))
    problems += [
        filing.Problem(f"tp-{document.pk}", _("Chưa có tệp: %(name)s") % {"name": document.name})
        for document in completeness.missing
    ]
    return problems


def _submitted_already(dossier: Dossier) -> str:
    if dossier.code:
        return _("Hồ sơ đã được nộp với mã %(code)s, không cần nộp lại.") % {"code": dossier.code}
    return _already_done()


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def dossier_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Check your answers: what is filed, with which documents, where, how the result comes back and the fee, then
    the one button that submits."""
    dossier = _own_dossier(request, pk)
    if dossier.state != S.DRAFT:
        if request.method == "POST":  # a second click on "Nộp hồ sơ"
            return _detail_page(request, dossier, error=_submitted_already(dossier), status=400)
        return redirect(dossier)
    form = ReviewForm(request.POST or None, initial={"expected_version": dossier.version})
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                services.dossier_submit(
                    dossier=dossier,
                    actor=request.user,
                    expected_version=form.cleaned_data["expected_version"],
                    incomplete_accepted=form.cleaned_data["incomplete_accepted"],
                )
            except DossierError as error_:
                dossier = _reload(dossier)
                if dossier.state != S.DRAFT:
                    return _detail_page(request, dossier, error=_submitted_already(dossier), status=400)
                error = _message(error_)
                form = ReviewForm(initial={"expected_version": dossier.version})
            else:
                dossier = _reload(dossier)
                messages.success(
                    request,
                    _("Đã nộp hồ sơ. Mã hồ sơ của bạn: %(code)s. Vui lòng ghi lại mã để tra cứu.")
                    % {"code": dossier.code},
                )
                return redirect(dossier)
        else:
            error = _already_done()
    rows, other_files, _used = _document_rows(dossier)
    context = {
        "dossier": dossier,
        "form": form,
        "error": error,
        "rows": rows,
        "other_files": other_files,
        "completeness": dossier_completeness(dossier),
        "problems": _submission_problems(dossier),
        "channel": selectors.online_channel(dossier.procedure),
        "time_limit_unclear": time_limit_unclear(dossier),
    }
    return render(request, "dossiers/citizen/review.html", context, status=400 if error else 200)


@login_required
@require_POST
def dossier_draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _own_dossier(request, pk)
    try:
        filing.dossier_draft_delete(dossier=dossier, user=request.user)
    except DossierError as error:
        return _detail_page(request, _reload(dossier), error=error.message, status=400)
    messages.success(request, _("Đã xóa bản nháp và các tệp đã tải lên cho bản nháp đó."))
    return redirect("dossiers:my_dossiers")


# --- following a dossier ------------------------------------------------------------------------------------------


def _detail_page(
    request: HttpRequest,
    dossier: Dossier,
    *,
    error: str = "",
    status: int = 200,
    withdraw_form: WithdrawForm | None = None,
) -> HttpResponse:
    is_applicant = Actor.APPLICANT in access.actors_for(request.user, dossier)
    # This is the applicant's view of the dossier (officers work on theirs): a draft result is not on it.
    files = [
        f for f in dossier.files.select_related("vault_document") if access.applicant_sees_file(f, dossier)
    ]
    supplement = None
    if dossier.state == S.SUPPLEMENT:
        supplement = (
            dossier.supplement_requests.filter(answered_at__isnull=True).order_by("-requested_at").first()
        )
    version = {"expected_version": dossier.version}
    context = {
        "dossier": dossier,
        "is_applicant": is_applicant,
        "events": dossier.events.filter(visible_to_applicant=True).select_related("agency"),
        "application_files": [
            f for f in files if f.kind in {DossierFile.Kind.APPLICATION, DossierFile.Kind.SUPPLEMENT}
        ],
        "form_files": [f for f in files if f.kind == DossierFile.Kind.FORM],
        "result_files": [f for f in files if f.kind == DossierFile.Kind.RESULT],
        "supplement": supplement,
        # The signed link printed on the receipt, for the applicant (opens the public summary without the digits).
        "tracking_link": tracking_path(dossier.code) if is_applicant and dossier.code else "",
        "can_resubmit": is_applicant and supplement is not None,
        "can_withdraw": is_applicant and dossier.state in TRANSITIONS["withdraw"].sources,
        "withdraw_form": withdraw_form or WithdrawForm(initial=version),
        "version_form": VersionForm(initial=version),
        "vault_documents": list(request.user.vault_documents.all()) if is_applicant else [],
        "max_file_mb": settings.PORTAL_UPLOAD_MAX_FILE_MB,
        "max_dossier_mb": settings.PORTAL_UPLOAD_MAX_DOSSIER_MB,
        "error": error,
    }
    return render(request, "dossiers/citizen/detail.html", context, status=status)


@login_required
@never_cache
@require_safe
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = access.dossier_get_for_user(user=request.user, pk=pk)
    if dossier.state == S.DRAFT and dossier.applicant_id == request.user.pk:
        return redirect("dossiers:draft", pk=dossier.pk)
    return _detail_page(request, dossier)


@login_required
@require_POST
def dossier_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _own_dossier(request, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, dossier, status=400, withdraw_form=form)
    try:
        services.dossier_withdraw(
            dossier=dossier,
            actor=request.user,
            reason=form.cleaned_data["reason"].strip(),
            expected_version=form.cleaned_data["expected_version"],
        )
    except DossierError as error:
        return _detail_page(request, _reload(dossier), error=_message(error), status=400)
    messages.success(request, _("Đã rút hồ sơ. Cơ quan sẽ dừng giải quyết hồ sơ này."))
    return redirect(dossier)


@login_required
@require_POST
def dossier_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer the open supplement request: attach the papers asked for and send the dossier back, in one go."""
    dossier = _own_dossier(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, dossier, error=_already_done(), status=400)
    requirement_ids = set(dossier.procedure.documents.values_list("pk", flat=True))
    attachments, problems = attachments_from_request(request.FILES, request.POST, requirement_ids)
    if problems:
        return _detail_page(request, dossier, error=problems[0].message, status=400)
    try:
        filing.dossier_supplement(
            dossier=dossier,
            user=request.user,
            expected_version=form.cleaned_data["expected_version"],
            attachments=attachments,
        )
    except DossierError as error:
        return _detail_page(request, _reload(dossier), error=_message(error), status=400)
    messages.success(request, _("Đã nộp bổ sung hồ sơ. Cơ quan sẽ tiếp tục giải quyết."))
    return redirect(dossier)


@login_required
@never_cache
@require_safe
def my_dossiers(request: HttpRequest) -> HttpResponse:
    """The person's dossiers, drafts included, newest first: a fixed number of queries per page."""
    dossiers = selectors.dossiers_of_applicant(request.user)
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossiers/citizen/my_dossiers.html", {"page": page})


# --- notifications ------------------------------------------------------------------------------------------------


@login_required
@never_cache
@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossiers/citizen/notifications.html", {"page": page})


@login_required
@require_POST
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (``id``) or all of them as read."""
    one = request.POST.get("id", "")
    notifications.notifications_mark_read(
        user=request.user, notification_id=(id_or_none(one) or 0) if one else None
    )
    page = request.POST.get("page", "")
    target = reverse("dossiers:notifications")
    return redirect(f"{target}?page={page}" if id_or_none(page) else target)


# --- the vault ------------------------------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def vault(request: HttpRequest) -> HttpResponse:
    """The person's store of documents (Decree 45/2020), reused in later dossiers instead of uploading again."""
    form = VaultDocumentForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                filing.vault_document_add(
                    user=request.user,
                    upload=data["file"],
                    doc_type=data["doc_type"],
                    number=data["number"],
                    issuer=data["issuer"],
                    issued_on=data["issued_on"],
                    valid_until=data["valid_until"],
                )
            except DossierError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Đã thêm giấy tờ vào kho dữ liệu."))
                return redirect("dossiers:vault")
    context = {
        "form": form,
        "documents": request.user.vault_documents.all(),
        "today": timezone.localdate(),
        "max_file_mb": settings.PORTAL_UPLOAD_MAX_FILE_MB,
    }
    return render(request, "dossiers/citizen/vault.html", context, status=status)
