"""One function per dossier action. Each checks the state machine (``workflow.py``) and the actor's right, locks the
dossier row, writes the change, the history entry and the outbox event in one transaction, and queues follow-up
work (forms to render, notifications to deliver) with ``transaction.on_commit``.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import notifications, wording
from dossiers.access import actors_for
from dossiers.codes import dossier_code_issue
from dossiers.deadlines import apology_deadline, dossier_due_date, time_limit_unclear
from dossiers.errors import ConcurrentChange, InvalidInput, NotYourDossier, TransitionNotAllowed
from dossiers.models import (
    Consultation,
    Dossier,
    DossierEvent,
    NationalStatus,
    OutboxEvent,
    SupplementRequest,
)
from dossiers.national.mapping import event_payload
from dossiers.results import ResultDocument, result_store, results_approve, results_to_vault
from dossiers.workflow import TRANSITIONS, Actor
from eforms import selectors as eforms_selectors
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.workdays import calendar as workdays

S = Dossier.State


@dataclass(frozen=True)
class Step:
    """What a transition records besides the state: the history note, its deadline and the agency it happened in."""

    note: str = ""  # only what a person typed; the sentence comes from the action and ``params``
    step_deadline: datetime | None = None
    agency: Agency | None = None
    visible_to_applicant: bool = True
    params: dict = field(default_factory=dict)


def dossier_lock(dossier: Dossier) -> Dossier:
    """The dossier's row, locked until the transaction ends (the row only: its procedure and applicant stay free)."""
    return (
        Dossier.objects.select_for_update(no_key=True, of=("self",))
        .select_related("procedure")
        .get(pk=dossier.pk)
    )


def _check(dossier: Dossier, action: str, actor: User | None, expected_version: int | None) -> None:
    """The actor may take ``action``, the dossier is still the version they saw (when they say which), and its state
    allows it."""
    transition = TRANSITIONS[action]
    if actor is not None and not (actors_for(actor, dossier) & transition.actors):
        raise NotYourDossier()
    if expected_version is not None and dossier.version != expected_version:
        raise ConcurrentChange()
    if dossier.state not in transition.sources:
        raise TransitionNotAllowed()


def _record(
    dossier: Dossier, action: str, user: User | None, from_state: str, step: Step, now: datetime
) -> DossierEvent:
    outcome = ""
    if step.step_deadline:
        outcome = workdays.outcome(now, step.step_deadline)
    event = DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        from_state=from_state,
        to_state=dossier.state,
        actor=user,
        actor_role=_role(user, dossier),
        actor_title=(user.job_title if user is not None and user.is_officer else ""),
        agency=step.agency,
        at=now,
        note=step.note,
        params=step.params,
        step_deadline=step.step_deadline,
        outcome=outcome,
        visible_to_applicant=step.visible_to_applicant,
    )
    status = NationalStatus.objects.filter(state=dossier.state).values_list("code", flat=True).first()
    if status is not None:
        OutboxEvent.objects.create(
            dossier=dossier,
            event=event,
            national_status=status,
            payload=event_payload(dossier, event, status),
        )
    return event


def record_step(dossier: Dossier, action: str, user: User | None, step: Step) -> DossierEvent:
    """A history step outside the state machine (a dossier registered at the counter), with its outbox row."""
    return _record(dossier, action, user, "", step, timezone.now())


def _role(user: User | None, dossier: Dossier) -> str:
    """Who acted, as a code (rendered in the reader's language): the applicant, or the officer's role."""
    if user is None:
        return ""
    if user.pk == dossier.applicant_id and not user.is_officer:
        return wording.APPLICANT
    return user.role


def _apply(dossier: Dossier, action: str, user: User | None, step: Step, **changes) -> DossierEvent:
    """Move a locked dossier along ``action``: set fields, bump the version, record history and outbox, tell the
    applicant and the officers whose queue it enters."""
    now = timezone.now()
    from_state = dossier.state
    target = TRANSITIONS[action].target
    if target is not None:
        dossier.state = target
    for name, value in changes.items():
        setattr(dossier, name, value)
    dossier.version += 1
    dossier.save()
    if from_state == Dossier.State.CONSULTING and dossier.state != Dossier.State.CONSULTING:
        _consultations_close(dossier, now)
    event = _record(dossier, action, user, from_state, step, now)
    notifications.dossier_changed(dossier, event)
    notifications.work_arrived(dossier, from_state=from_state, actor=user)
    return event


def _consultations_close(dossier: Dossier, now: datetime) -> None:
    """The dossier left the consulting state (answered, withdrawn, stopped): no question stays open on it."""
    # One by one, not update(): each save tells the consulted agency's pages (signals.py).
    for question in dossier.consultations.filter(closed_at__isnull=True):
        question.closed_at = now
        question.save(update_fields=["closed_at"])


def _user_agency(user: User, *candidates: Agency | None) -> Agency | None:
    member_of = set(user.agency_ids())
    return next((a for a in candidates if a is not None and a.pk in member_of), None)


def submission_problems(dossier: Dossier) -> list[str]:
    """What stops a draft from being submitted, all at once (the documents are checked in ``completeness``)."""
    problems = []
    if not dossier.files.exists():
        problems.append(_("Hồ sơ chưa có giấy tờ nào. Vui lòng tải lên các thành phần hồ sơ trước khi nộp."))
    if not dossier.applicant_name.strip():
        problems.append(_("Vui lòng nhập họ tên chủ hồ sơ."))
    declaration = eforms_selectors.declaration_problem(dossier)
    if declaration:
        problems.append(declaration)  # the procedure's electronic declaration is not finished
    if not (dossier.applicant_phone.strip() or dossier.applicant_id_number.strip()):
        problems.append(
            _("Vui lòng nhập số điện thoại hoặc số định danh: cần để tra cứu hồ sơ và nhận thông báo.")
        )
    return problems


# --- applicant ---------------------------------------------------------------------------------------------------


@transaction.atomic
def dossier_submit(
    *, dossier: Dossier, actor: User, expected_version: int | None = None, incomplete_accepted: bool = False
) -> DossierEvent:
    """The applicant submits a draft: it gets its code (reception unit, today, next number) and joins the queue.
    Missing required documents stop it, unless the procedure accepts a dossier completed later and the applicant
    said they know (``incomplete_accepted``)."""
    from dossiers.completeness import dossier_completeness

    dossier = dossier_lock(dossier)
    _check(dossier, "submit", actor, expected_version)
    problems = submission_problems(dossier)
    if problems:
        raise InvalidInput(" ".join(str(problem) for problem in problems))
    completeness = dossier_completeness(dossier)
    if not completeness.complete and not (completeness.incomplete_allowed and incomplete_accepted):
        raise InvalidInput(completeness.summary())
    now = timezone.now()
    code = dossier_code_issue(agency=dossier.receiving_agency, day=timezone.localdate(now))
    params = {"missing": [str(name) for name in completeness.missing_names()]} if completeness.missing else {}
    return _apply(
        dossier,
        "submit",
        actor,
        Step(agency=dossier.receiving_agency, params=params),
        code=code,
        submitted_at=now,
    )


@transaction.atomic
def dossier_resubmit(*, dossier: Dossier, actor: User, expected_version: int | None = None) -> DossierEvent:
    """The applicant sends the missing items: back to reception, or to handling with a fresh clock (art. 19)."""
    dossier = dossier_lock(dossier)
    _check(dossier, "resubmit", actor, expected_version)
    request = dossier.supplement_requests.filter(answered_at__isnull=True).order_by("-requested_at").first()
    if request and not dossier.files.filter(created_at__gte=request.requested_at).exists():
        raise InvalidInput(_("Vui lòng tải lên giấy tờ bổ sung trước khi nộp lại."))
    now = timezone.now()
    if request:
        request.answered_at = now
        request.save(update_fields=["answered_at"])
    asked_during_handling = dossier.received_at is not None
    changes = {"paused_at": None}
    if asked_during_handling:
        changes["state"] = S.PROCESSING
        due = dossier_due_date(dossier, now)
        if due:
            # The clock restarts (art. 19): the new appointment replaces the one on the receipt.
            changes["due_at"] = due
            changes["original_due_at"] = due
    else:
        changes["state"] = S.SUBMITTED
    return _apply(dossier, "resubmit", actor, Step(), **changes)


@transaction.atomic
def dossier_withdraw(
    *, dossier: Dossier, actor: User, reason: str, expected_version: int | None = None
) -> DossierEvent:
    dossier = dossier_lock(dossier)
    _check(dossier, "withdraw", actor, expected_version)
    return _apply(dossier, "withdraw", actor, Step(note=reason.strip()), finished_at=timezone.now())


# --- one-stop officer ---------------------------------------------------------------------------------------------


@transaction.atomic
def dossier_receive(
    *,
    dossier: Dossier,
    actor: User,
    due_at: datetime | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> DossierEvent:
    """Accept a complete dossier: the receipt (Mẫu 01) carries the due date, counted from now in working days.

    When the procedure's time limit has no unit ("Thời hạn: 1"), nothing is guessed: the receiving officer sets the due date
    and says why (the note), and the history records that the date was the officer's."""
    dossier = dossier_lock(dossier)
    _check(dossier, "receive", actor, expected_version)
    now = timezone.now()
    if due_at is not None and due_at <= now:
        raise InvalidInput(_("Ngày hẹn trả phải sau thời điểm tiếp nhận."))
    unclear = time_limit_unclear(dossier)
    params = {}
    if unclear is not None:
        if due_at is None or not note.strip():
            raise InvalidInput(
                _(
                    "Thời hạn giải quyết của thủ tục không ghi đơn vị (“%(source)s”): vui lòng nhập ngày hẹn trả "
                    "và lý do chọn ngày đó."
                )
                % {"source": unclear}
            )
        params = {"due_set_by_officer": True, "source_time": unclear}
    due = due_at or dossier_due_date(dossier, now)
    if due is None:
        raise InvalidInput(_("Thủ tục chưa có thời hạn giải quyết: vui lòng nhập ngày hẹn trả."))
    event = _apply(
        dossier,
        "receive",
        actor,
        Step(note=note.strip(), agency=dossier.receiving_agency, step_deadline=due, params=params),
        received_at=now,
        due_at=due,
        original_due_at=due,
    )
    notifications.form_requested(dossier, "01")
    return event


@transaction.atomic
def dossier_request_supplement(
    *, dossier: Dossier, actor: User, items: list[str], reason: str, expected_version: int | None = None
) -> DossierEvent:
    """One request listing everything missing (Mẫu 02); the clock stops until the applicant resubmits."""
    dossier = dossier_lock(dossier)
    _check(dossier, "request_supplement", actor, expected_version)
    items = [item.strip() for item in items if item.strip()]
    if not items:
        raise InvalidInput(_("Vui lòng liệt kê ít nhất một giấy tờ cần bổ sung."))
    now = timezone.now()
    SupplementRequest.objects.create(
        dossier=dossier, items=items, reason=reason, requested_by=actor, requested_at=now
    )
    agency = _user_agency(actor, dossier.receiving_agency, dossier.handling_agency)
    event = _apply(
        dossier,
        "request_supplement",
        actor,
        Step(note=reason.strip(), agency=agency, params={"items": items}),
        paused_at=now,
    )
    notifications.form_requested(dossier, "02")
    return event


@transaction.atomic
def dossier_refuse(
    *, dossier: Dossier, actor: User, reason: str, expected_version: int | None = None
) -> DossierEvent:
    dossier = dossier_lock(dossier)
    _check(dossier, "refuse", actor, expected_version)
    if not reason.strip():
        raise InvalidInput(_("Vui lòng nêu rõ lý do từ chối."))
    event = _apply(
        dossier,
        "refuse",
        actor,
        Step(note=reason.strip(), agency=dossier.receiving_agency),
        finished_at=timezone.now(),
    )
    notifications.form_requested(dossier, "03")
    return event


@transaction.atomic
def dossier_transfer(
    *, dossier: Dossier, actor: User, handling_agency: Agency, expected_version: int | None = None
) -> DossierEvent:
    """Hand over to the handling agency; paper dossiers received after the cut-off (15:00) count from the next
    working day (art. 18), which is the deadline of this step."""
    dossier = dossier_lock(dossier)
    _check(dossier, "transfer", actor, expected_version)
    if not handling_agency.is_active:
        raise InvalidInput(_("Cơ quan được chọn không còn hoạt động."))
    if dossier.channel in (Dossier.Channel.ONLINE, Dossier.Channel.NATIONAL_PORTAL):
        deadline = workdays.add_working_days(dossier.received_at, 0)  # electronic hand-over: within the day
    else:
        deadline = workdays.handover_due(dossier.received_at)
    return _apply(
        dossier,
        "transfer",
        actor,
        Step(
            agency=dossier.receiving_agency,
            step_deadline=deadline,
            params={"agency": handling_agency.pk},
        ),
        handling_agency=handling_agency,
    )


@transaction.atomic
def dossier_return_result(
    *, dossier: Dossier, actor: User, note: str = "", expected_version: int | None = None
) -> DossierEvent:
    """Hand the approved result to the applicant: from now on they see it, and it joins their vault."""
    dossier = dossier_lock(dossier)
    _check(dossier, "return_result", actor, expected_version)
    results_to_vault(dossier)
    event = _apply(
        dossier,
        "return_result",
        actor,
        Step(note=note.strip(), agency=dossier.receiving_agency, step_deadline=dossier.due_at),
        returned_at=timezone.now(),
    )
    notifications.form_requested(dossier, "05")
    return event


@transaction.atomic
def dossier_delivered_by_post(*, dossier: Dossier, tracking_number: str) -> DossierEvent | None:
    """The postal service delivered the result: the return is complete, as when the counter hands it over, with the
    tracking number on the history. None when the dossier is no longer waiting for its return."""
    dossier = dossier_lock(dossier)
    if dossier.state != S.AWAITING_RETURN:
        return None
    results_to_vault(dossier)
    step = Step(
        agency=dossier.receiving_agency, step_deadline=dossier.due_at, params={"post": tracking_number}
    )
    event = _apply(dossier, "return_result", None, step, returned_at=timezone.now())
    notifications.form_requested(dossier, "05")
    return event


@transaction.atomic
def dossier_paper_received(*, dossier: Dossier, tracking_number: str) -> DossierEvent | None:
    """The postal service delivered the applicant's paper dossier to the receiving agency: a step of the history
    within the current state (the national portal gets it as progress), once per shipment. None when it is
    already recorded."""
    dossier = dossier_lock(dossier)
    if dossier.events.filter(action="paper_received", params__post=tracking_number).exists():
        return None
    step = Step(agency=dossier.receiving_agency, params={"post": tracking_number})
    return _record(dossier, "paper_received", None, dossier.state, step, timezone.now())


# --- handling officer and leader ----------------------------------------------------------------------------------


def _handling_step(dossier: Dossier, note: str = "", **params) -> Step:
    return Step(
        note=note.strip(), agency=dossier.handling_agency, step_deadline=dossier.due_at, params=params
    )


@transaction.atomic
def dossier_consult(
    *,
    dossier: Dossier,
    actor: User,
    agency: Agency,
    question: str,
    reply_by: datetime,
    expected_version: int | None = None,
) -> DossierEvent:
    """Ask another agency (an inter-agency step with its own deadline). Its handling officers see the dossier and
    may answer until the question is closed."""
    dossier = dossier_lock(dossier)
    _check(dossier, "consult", actor, expected_version)
    if reply_by <= timezone.now():
        raise InvalidInput(_("Hạn trả lời phải ở tương lai."))
    if agency.pk == dossier.handling_agency_id:
        raise InvalidInput(_("Hãy chọn một cơ quan khác với cơ quan đang giải quyết hồ sơ."))
    if not agency.is_active:
        raise InvalidInput(_("Cơ quan này không còn hoạt động."))
    step = Step(
        note=question.strip(),
        agency=dossier.handling_agency,
        step_deadline=reply_by,
        params={"agency": agency.pk},
    )
    event = _apply(dossier, "consult", actor, step)
    Consultation.objects.create(
        dossier=dossier,
        agency=agency,
        question=question,
        reply_by=reply_by,
        asked_by=actor,
        asked_at=event.at,
    )
    notifications.consultation_asked(dossier, agency=agency, reply_by=reply_by)
    return event


@transaction.atomic
def dossier_consult_reply(
    *, dossier: Dossier, actor: User, reply: str, expected_version: int | None = None
) -> DossierEvent:
    """The consulted agency answers, or the handler records an answer that came on paper; the question closes and
    the dossier goes back to processing."""
    dossier = dossier_lock(dossier)
    _check(dossier, "consult_reply", actor, expected_version)
    open_questions = dossier.consultations.filter(closed_at__isnull=True).select_related("agency")
    consulted = Actor.CONSULTED in actors_for(actor, dossier)
    if consulted:
        open_questions = open_questions.filter(agency_id__in=actor.agency_ids())
    question = open_questions.order_by("-asked_at").first()
    if question is None:  # asked before consultations were recorded: the reply is on the history only
        asked = dossier.events.filter(action="consult").order_by("-at").first()
        deadline, agency = (asked.step_deadline if asked else None), dossier.handling_agency
    else:
        deadline, agency = question.reply_by, (question.agency if consulted else dossier.handling_agency)
        question.answer, question.answered_by = reply, actor
        question.answered_at = question.closed_at = timezone.now()
        question.save(update_fields=["answer", "answered_by", "answered_at", "closed_at"])
    return _apply(
        dossier, "consult_reply", actor, Step(note=reply.strip(), agency=agency, step_deadline=deadline)
    )


@transaction.atomic
def dossier_financial(
    *, dossier: Dossier, actor: User, note: str, expected_version: int | None = None
) -> DossierEvent:
    dossier = dossier_lock(dossier)
    _check(dossier, "financial", actor, expected_version)
    return _apply(dossier, "financial", actor, _handling_step(dossier, note), paused_at=timezone.now())


@transaction.atomic
def dossier_financial_done(
    *, dossier: Dossier, actor: User, expected_version: int | None = None
) -> DossierEvent:
    """The obligation is met: the paused working days are added to the due date."""
    dossier = dossier_lock(dossier)
    _check(dossier, "financial_done", actor, expected_version)
    changes = {"paused_at": None}
    if dossier.paused_at and dossier.due_at:
        changes["due_at"] = workdays.extend_for_pause(dossier.due_at, dossier.paused_at, timezone.now())
    return _apply(dossier, "financial_done", actor, _handling_step(dossier), **changes)


@transaction.atomic
def dossier_fee_paid(*, dossier: Dossier, payment_ref: str) -> DossierEvent | None:
    """The applicant paid the fees online (the payment platform's verified notification): a dossier waiting for its
    financial obligation goes back to processing, as when an officer records it, with the payment on the history.
    In any other state nothing changes here (the payment itself is kept by ``payments``); None then."""
    dossier = dossier_lock(dossier)
    if dossier.state != S.FINANCIAL:
        return None
    changes = {"paused_at": None}
    if dossier.paused_at and dossier.due_at:
        changes["due_at"] = workdays.extend_for_pause(dossier.due_at, dossier.paused_at, timezone.now())
    return _apply(dossier, "financial_done", None, _handling_step(dossier, payment=payment_ref), **changes)


@transaction.atomic
def dossier_propose(
    *,
    dossier: Dossier,
    actor: User,
    note: str,
    result: ResultDocument | None = None,
    expected_version: int | None = None,
) -> DossierEvent:
    """Put the result to the leader, with the result document when there is one (it replaces an earlier draft;
    both or neither are stored). The document stays a draft, unseen by the applicant, until approved."""
    dossier = dossier_lock(dossier)
    _check(dossier, "propose", actor, expected_version)
    if result is not None:
        result_store(dossier, actor, result)
    return _apply(dossier, "propose", actor, _handling_step(dossier, note))


@transaction.atomic
def dossier_send_back(
    *, dossier: Dossier, actor: User, reason: str, expected_version: int | None = None
) -> DossierEvent:
    dossier = dossier_lock(dossier)
    _check(dossier, "send_back", actor, expected_version)
    if not reason.strip():
        raise InvalidInput(_("Vui lòng ghi rõ nội dung cần xử lý lại."))
    return _apply(dossier, "send_back", actor, _handling_step(dossier, reason))


@transaction.atomic
def dossier_approve(
    *, dossier: Dossier, actor: User, note: str = "", expected_version: int | None = None
) -> DossierEvent:
    """Sign off: the draft result becomes the result, ready for return (the applicant sees it once returned)."""
    dossier = dossier_lock(dossier)
    _check(dossier, "approve", actor, expected_version)
    now = timezone.now()
    results_approve(dossier, now)
    return _apply(dossier, "approve", actor, _handling_step(dossier, note), finished_at=now)


@transaction.atomic
def dossier_apologise(
    *, dossier: Dossier, actor: User, reason: str, new_due_at: datetime, expected_version: int | None = None
) -> DossierEvent:
    """A written apology with a new date (Mẫu 04), at least one working day before the due date, only once."""
    dossier = dossier_lock(dossier)
    _check(dossier, "apologise", actor, expected_version)
    if dossier.due_reset:
        raise InvalidInput(_("Hồ sơ đã được hẹn lại ngày trả một lần; không được gia hạn thêm."))
    if not reason.strip():
        raise InvalidInput(_("Vui lòng nêu lý do chậm trễ."))
    if dossier.due_at is None or new_due_at <= dossier.due_at:
        raise InvalidInput(_("Ngày hẹn mới phải sau ngày hẹn trả hiện tại."))
    event = _apply(
        dossier,
        "apologise",
        actor,
        Step(
            note=reason.strip(),
            agency=dossier.handling_agency,
            step_deadline=apology_deadline(dossier.due_at),
            params={"new_due": new_due_at.isoformat(), "old_due": dossier.due_at.isoformat()},
        ),
        due_at=new_due_at,
        due_reset=True,
    )
    notifications.form_requested(dossier, "04")
    return event


@transaction.atomic
def dossier_stop(
    *, dossier: Dossier, actor: User, reason: str, expected_version: int | None = None
) -> DossierEvent:
    dossier = dossier_lock(dossier)
    _check(dossier, "stop", actor, expected_version)
    if not reason.strip():
        raise InvalidInput(_("Vui lòng nêu lý do dừng xử lý."))
    return _apply(dossier, "stop", actor, _handling_step(dossier, reason), finished_at=timezone.now())


# One service per row of the workflow table (``workflow.TRANSITIONS``; "register" is ``filing``'s counter registration):
# the officers' work page calls them by name with the arguments of the action's form.
SERVICES = {
    "submit": dossier_submit,
    "resubmit": dossier_resubmit,
    "withdraw": dossier_withdraw,
    "receive": dossier_receive,
    "request_supplement": dossier_request_supplement,
    "refuse": dossier_refuse,
    "transfer": dossier_transfer,
    "return_result": dossier_return_result,
    "consult": dossier_consult,
    "consult_reply": dossier_consult_reply,
    "financial": dossier_financial,
    "financial_done": dossier_financial_done,
    "propose": dossier_propose,
    "send_back": dossier_send_back,
    "approve": dossier_approve,
    "apologise": dossier_apologise,
    "stop": dossier_stop,
}
