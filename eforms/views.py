"""The applicant fills the declaration of their dossier draft: an overview of its sections, one page per section
(each "Lưu" saves on the server, so it resumes anywhere), then "Hoàn tất" renders the official form's PDF and attaches
it to the draft. Works without JavaScript; htmx only refreshes a section in place (a condition changed, an item added
or removed). Department and province admins preview a definition."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dossiers.access import dossier_get_for_user
from dossiers.errors import DossierError
from dossiers.forms.citizen import PopulationConsentForm
from dossiers.population import (
    PrefillRefused,
    population_available_for,
    population_check_view,
    population_record,
)
from eforms import answers as checks
from eforms import services
from eforms.errors import EformError
from eforms.models import AnswerSet, FormDefinition
from eforms.permissions import can_edit_definition
from eforms.prefill import registered_mismatches, verified_fields
from eforms.selectors import commune_choices, definition_current_for, display_value
from eforms.widgets import section_widgets


def _own_draft_answers(request: HttpRequest, pk: int) -> AnswerSet | None:
    """The answer set of the signed-in person's own draft (started now if need be); None when the draft is filed."""
    dossier = dossier_get_for_user(user=request.user, pk=pk)
    if dossier.applicant_id != request.user.pk:
        raise Http404("Không tìm thấy hồ sơ")
    existing = AnswerSet.objects.select_related("definition", "dossier").filter(dossier=dossier).first()
    if existing is not None:
        return existing if dossier.state == dossier.State.DRAFT else None
    if dossier.state != dossier.State.DRAFT:
        return None
    definition = definition_current_for(dossier.procedure)
    if definition is None:
        raise Http404("Thủ tục không có tờ khai điện tử")
    return services.answer_set_start(dossier=dossier, user=request.user, definition=definition)


def _outdated(answer_set: AnswerSet) -> bool:
    current = definition_current_for(answer_set.dossier.procedure)
    return current is not None and current.pk != answer_set.definition_id


def _sections(answer_set: AnswerSet) -> list[dict]:
    return checks.visible_sections(answer_set.definition.schema, answer_set.answers)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def declaration_overview(request: HttpRequest, pk: int) -> HttpResponse:
    answer_set = _own_draft_answers(request, pk)
    if answer_set is None:
        return redirect("dossiers:citizen_detail", pk=pk)
    return _overview_page(request, answer_set)


def _population_box(request, answer_set, *, consent_form=None, error="") -> dict:
    """The declaration's part of the national population database pre-fill (the same consent and check as the
    draft's): whether the applicant may ask, what the record says, and where their answers differ from it."""
    dossier = answer_set.dossier
    check = population_check_view(dossier)
    record = population_record(dossier.pk) if check else None
    schema = answer_set.definition.schema
    mismatches = [
        {
            "label": mismatch.field["label"],
            "typed": display_value(mismatch.field, mismatch.typed, {}),
            "registered": display_value(mismatch.field, mismatch.registered, {}),
        }
        for mismatch in registered_mismatches(schema, answer_set.answers, record)
    ]
    return {
        "available": population_available_for(request.user),
        "check": check,
        "mismatches": mismatches,
        "form": consent_form or PopulationConsentForm(initial={"expected_version": dossier.version}),
        "error": error,
        "action": reverse("eforms:population", args=[dossier.pk]),
        "about": _(
            "Bạn có thể để Cổng điền sẵn họ tên, ngày sinh, giới tính, nơi cư trú và chủ hộ trong tờ khai từ CSDL "
            "quốc gia về dân cư, theo số định danh của tài khoản bạn đã đăng nhập. Không bắt buộc: bạn vẫn có thể "
            "tự điền."
        ),
        "note": _("Các ô của tờ khai có thông tin này được điền sẵn và đánh dấu “Đã xác thực”."),
    }


def _overview_page(
    request, answer_set, problems=None, status=200, population=None, other_errors=()
) -> HttpResponse:
    done = set(answer_set.sections_done)
    sections = _sections(answer_set)
    more_errors = list(other_errors)
    for section in sections:
        for _name, message in (problems or {}).get(section["id"], [])[:3]:
            more_errors.append((f"phan-{section['id']}", message))
    context = {
        "answer_set": answer_set,
        "definition": answer_set.definition,
        "schema": answer_set.definition.schema,
        "dossier": answer_set.dossier,
        "sections": [
            (section, section["id"] in done, section["id"] in (problems or {})) for section in sections
        ],
        "all_done": all(section["id"] in done for section in sections),
        "outdated": _outdated(answer_set),
        "more_errors": more_errors,
        "population": population or _population_box(request, answer_set),
    }
    return render(request, "eforms/overview.html", context, status=status)


def _section_or_404(answer_set: AnswerSet, section_id: str) -> dict:
    section = next((s for s in answer_set.definition.schema["sections"] if s["id"] == section_id), None)
    if section is None:
        raise Http404("Không có phần này trong tờ khai")
    return section


def _next_url(answer_set: AnswerSet, section_id: str) -> str:
    ids = [section["id"] for section in _sections(answer_set)]
    if section_id in ids and ids.index(section_id) + 1 < len(ids):
        return reverse("eforms:section", args=[answer_set.dossier_id, ids[ids.index(section_id) + 1]])
    return reverse("eforms:fill", args=[answer_set.dossier_id])


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def declaration_section(request: HttpRequest, pk: int, section_id: str) -> HttpResponse:
    answer_set = _own_draft_answers(request, pk)
    if answer_set is None:
        return redirect("dossiers:citizen_detail", pk=pk)
    section = _section_or_404(answer_set, section_id)
    if request.method != "POST":
        return _section_page(request, answer_set, section)
    action = request.POST.get("hanh_dong", "luu")
    try:
        if action == "them" and "repeat" in section:
            answer_set = services.repeat_item_change(
                answer_set=answer_set, section_id=section_id, data=request.POST, user=request.user
            )
            return _section_page(request, answer_set, section)
        if action.startswith("xoa_") and "repeat" in section and action[4:].isdigit():
            answer_set = services.repeat_item_change(
                answer_set=answer_set,
                section_id=section_id,
                data=request.POST,
                user=request.user,
                remove=int(action[4:]),
            )
            return _section_page(request, answer_set, section)
        answer_set, problems = services.answers_save_section(
            answer_set=answer_set,
            section_id=section_id,
            data=request.POST,
            user=request.user,
            check=action != "cap_nhat",
        )
    except EformError as error:
        answer_set.refresh_from_db()
        return _section_page(request, answer_set, section, error=str(error.message), status=400)
    if action == "cap_nhat":
        return _section_page(request, answer_set, section)
    if problems:
        return _section_page(request, answer_set, section, problems=problems, status=400)
    messages.success(request, _("Đã lưu: %(title)s.") % {"title": section["title"]})
    return redirect(_next_url(answer_set, section_id))


def _section_page(request, answer_set, section, *, problems=(), error="", status=200) -> HttpResponse:
    schema = answer_set.definition.schema
    verified = verified_fields(schema, answer_set.answers, population_record(answer_set.dossier_id))
    widgets, items = section_widgets(schema, section, answer_set.answers, list(problems), verified)
    context = {
        "answer_set": answer_set,
        "definition": answer_set.definition,
        "dossier": answer_set.dossier,
        "section": section,
        "widgets": widgets,
        "items": items,
        "communes": commune_choices(),
        "more_errors": list(problems),
        "error": error,
        "outdated": _outdated(answer_set),
        "can_add": "repeat" in section and len(items) < section["repeat"]["max"],
    }
    template = "eforms/section.html#section-form" if request.htmx else "eforms/section.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def declaration_population(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill the declaration from the national population database: with the applicant's consent, a lookup by the
    personal id of their sign-on, or the registered values in place of what they typed (``thay_the=1``, from the
    record the dossier holds, no new lookup). A record that cannot be had leaves the page as it
    was, with the reason: the applicant fills by hand."""
    answer_set = _own_draft_answers(request, pk)
    if answer_set is None:
        return redirect("dossiers:citizen_detail", pk=pk)
    if request.POST.get("thay_the") == "1":
        try:
            services.registered_use(answer_set=answer_set, user=request.user, replace=True)
        except EformError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Đã dùng thông tin trong CSDL quốc gia về dân cư cho tờ khai."))
        return redirect(reverse("eforms:fill", args=[pk]) + "#dan-cu")
    form = PopulationConsentForm(request.POST)
    if not form.is_valid():
        answer_set.refresh_from_db()
        box = _population_box(request, answer_set, consent_form=form)
        problems = [(f"id_{name}", str(errors[0])) for name, errors in form.errors.items()]
        return _overview_page(request, answer_set, status=400, population=box, other_errors=problems)
    try:
        services.declaration_population_prefill(
            answer_set=answer_set, user=request.user, expected_version=form.cleaned_data["expected_version"]
        )
    except (PrefillRefused, DossierError, EformError) as refused:
        # The form itself works (the applicant fills by hand): shown with the reason, never as an error page.
        answer_set.refresh_from_db()
        box = _population_box(request, answer_set, error=str(refused.message))
        return _overview_page(request, answer_set, population=box)
    answer_set.refresh_from_db()
    if _population_box(request, answer_set)["mismatches"]:
        messages.info(
            request,
            _(
                "Đã lấy thông tin từ CSDL quốc gia về dân cư. Một số thông tin bạn đã nhập khác với CSDL: xem bên dưới."
            ),
        )
    else:
        messages.success(request, _("Đã điền thông tin từ CSDL quốc gia về dân cư vào tờ khai."))
    return redirect(reverse("eforms:fill", args=[pk]) + "#dan-cu")


@login_required
@require_POST
def declaration_finish(request: HttpRequest, pk: int) -> HttpResponse:
    answer_set = _own_draft_answers(request, pk)
    if answer_set is None:
        return redirect("dossiers:citizen_detail", pk=pk)
    try:
        problems = services.declaration_finish(answer_set=answer_set, user=request.user)
    except EformError as error:
        messages.error(request, str(error.message))
        return redirect("eforms:fill", pk=pk)
    if problems:
        answer_set.refresh_from_db()
        return _overview_page(request, answer_set, problems=problems, status=400)
    messages.success(
        request, _("Đã hoàn tất tờ khai và đính kèm bản PDF vào hồ sơ. Bạn có thể xem lại rồi nộp hồ sơ.")
    )
    return redirect(reverse("dossiers:draft", args=[pk]) + "#thanh-phan")


@login_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def definition_preview(request: HttpRequest, definition_id: int) -> HttpResponse:
    """Every section of one version, as the applicant sees it, for the admin who edits it (nothing is saved)."""
    definition = get_object_or_404(FormDefinition.objects.select_related("procedure"), pk=definition_id)
    if not can_edit_definition(request.user, definition.procedure):
        raise Http404("Không tìm thấy tờ khai")
    schema = definition.schema
    sections = []
    for section in schema["sections"]:
        answers = {section["id"]: [{}]} if "repeat" in section else {}
        widgets, items = section_widgets(schema, section, answers, [])
        for widget in [*widgets, *(w for item in items for w in item.widgets)]:
            widget.shown, widget.controls = True, False  # everything visible; nothing posts from a preview
        sections.append((section, widgets, items))
    context = {
        "definition": definition,
        "schema": schema,
        "sections": sections,
        "communes": commune_choices(),
    }
    return render(request, "eforms/preview.html", context)
