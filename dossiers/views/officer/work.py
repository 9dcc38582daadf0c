"""The dossier work page: what the dossier is, who filed it, its files and history, and a form for each action the
officer may take now. Every form posts the version it was rendered from; a stale one changes nothing (409)."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from dossiers.access import actors_for, dossier_get_for_user
from dossiers.errors import ConcurrentChange, DossierError, NotYourDossier, TransitionNotAllowed
from dossiers.forms.actions import ACTION_FORMS, ActionForm, ConsultReplyForm, has_result_file
from dossiers.models import Dossier
from dossiers.national.mapping import national_code
from dossiers.national.overview import dossier_sync_state
from dossiers.population import population_check_view
from dossiers.queues import Clock
from dossiers.services import SERVICES
from dossiers.views.officer.common import officer_required, queue_nav
from dossiers.workflow import TRANSITIONS, Actor, Transition, transitions_from
from eforms import selectors as eforms_selectors


@dataclass
class Panel:
    """One action on the work page: its transition, its form, or why it cannot be used."""

    transition: Transition
    form: ActionForm | None
    unavailable: str = ""
    open: bool = False

    @property
    def label(self) -> str:
        return self.form.label if self.form is not None else ACTION_FORMS[self.transition.action].label


def _officer_actions(user, dossier: Dossier, actors: set[str] | None = None) -> list[Transition]:
    """``transitions_from(state)`` that the user may take as staff (an officer's own dossier does not count)."""
    actors = (actors_for(user, dossier) if actors is None else actors) - {Actor.APPLICANT}
    return [t for t in transitions_from(dossier.state) if t.actors & actors and t.action in ACTION_FORMS]


def _named_for(form: ActionForm, actors: set[str]) -> ActionForm:
    """The consulted agency answers where the handler records an answer: the same action, named for each."""
    if form.action == "consult_reply" and Actor.CONSULTED in actors:
        form.label = ConsultReplyForm.label_consulted
    return form


def _apology_used(dossier: Dossier) -> str:
    def shown(moment):
        return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else "—"

    return gettext(
        "Đã xin lỗi và hẹn lại ngày trả một lần (từ %(before)s sang %(after)s). Theo Nghị định 61/2018 (điều 19), "
        "ngày hẹn chỉ được điều chỉnh một lần."
    ) % {"before": shown(dossier.original_due_at), "after": shown(dossier.due_at)}


def _render(
    request: HttpRequest,
    dossier: Dossier,
    *,
    bound: ActionForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    clock = Clock.at()
    files = list(dossier.files.order_by("created_at", "pk"))
    has_result = has_result_file(files)
    panels = []
    actors = actors_for(request.user, dossier)
    for transition in _officer_actions(request.user, dossier, actors):
        if transition.action == "apologise" and dossier.due_reset:
            panels.append(Panel(transition, None, _apology_used(dossier)))
            continue
        if bound is not None and bound.action == transition.action:
            panels.append(Panel(transition, bound, open=True))
        else:
            form = ACTION_FORMS[transition.action](dossier=dossier, has_result=has_result)
            panels.append(Panel(transition, _named_for(form, actors)))
    events = dossier.events.select_related("actor", "agency").order_by("at", "pk")
    context = {
        **queue_nav(request, clock),
        "dossier": dossier,
        "deadline": clock.deadline(dossier),
        "files": files,
        "events": events,
        "panels": panels,
        "form": bound,  # the action form that was posted, for the error summary
        "error": error,
        "supplement": dossier.supplement_requests.order_by("-requested_at").first()
        if dossier.state == Dossier.State.SUPPLEMENT
        else None,
        "consultation": dossier.consultations.filter(closed_at__isnull=True).select_related("agency").first()
        if dossier.state == Dossier.State.CONSULTING
        else None,
        "national_sync": dossier_sync_state(dossier.pk),
        "national_code": national_code(dossier),
        "population_check": population_check_view(dossier),
        # The electronic declaration's answers as data, in the form version it was filed with.
        "declaration": eforms_selectors.answers_for_dossier(dossier),
    }
    return render(request, "dossiers/officer/work.html", context, status=status)


@require_safe
@officer_required
def dossier_work(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_get_for_user(user=request.user, pk=pk)
    return _render(request, dossier)


@require_POST
@officer_required
def dossier_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    dossier = dossier_get_for_user(user=request.user, pk=pk)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404("Không có thao tác này")
    has_result = has_result_file(list(dossier.files.all()))
    actors = actors_for(request.user, dossier)
    form = _named_for(form_class(request.POST, request.FILES, dossier=dossier, has_result=has_result), actors)
    valid = form.is_valid()
    if form.stale_version():
        return _conflict(request, dossier)
    transition = TRANSITIONS[action]
    if transition not in _officer_actions(request.user, dossier, actors):
        allowed_now = dossier.state in transition.sources
        error = NotYourDossier() if allowed_now else TransitionNotAllowed()
        return _render(request, dossier, error=error.message, status=400)
    if not valid:
        error = gettext("Chưa thực hiện được “%(action)s”.") % {"action": form.label}
        return _render(request, dossier, bound=form, error=error, status=400)
    try:
        SERVICES[action](
            dossier=dossier,
            actor=request.user,
            expected_version=form.cleaned_data["expected_version"],
            **form.arguments(),
        )
    except ConcurrentChange:
        return _conflict(request, dossier)
    except DossierError as error:
        return _render(request, dossier, bound=form, error=error.message, status=400)
    messages.success(request, gettext("Đã thực hiện: %(action)s.") % {"action": form.label})
    if Actor.CONSULTED in actors:  # answered: the dossier is no longer theirs to open
        return redirect("dossiers:officer_queue", slug="xin-y-kien")
    return redirect("dossiers:officer_dossier", pk=dossier.pk)


def _conflict(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    """Someone else acted first: show the dossier as it is now, with fresh forms, and change nothing."""
    fresh = dossier_get_for_user(user=request.user, pk=dossier.pk)
    return _render(request, fresh, error=ConcurrentChange.message, status=409)
