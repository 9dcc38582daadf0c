"""What each printable form (Mẫu 01–05, Circular 01/2018) says about a dossier: one context builder per form.

Every date printed comes from the dossier and its history, never from the clock, so rendering the same dossier
twice gives the same document.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation

from dossiers import wording
from dossiers.deadlines import channel_kind, processing_time, time_limit_unclear
from dossiers.errors import DossierError
from dossiers.models import Dossier, DossierEvent, DossierFile
from dossiers.pdf.dates import vn_date, vn_datetime
from dossiers.pdf.qr import qr_svg, tracking_url
from dossiers.tracking_book import tracking_book_line
from dossiers.workflow import TRANSITIONS
from portal.agencies.models import Agency
from portal.catalog.models import Channel


class FormNotApplicable(DossierError):
    message = "Hồ sơ chưa có thông tin để lập biểu mẫu này."


@dataclass(frozen=True)
class ReceivedDocument:
    name: str
    originals: int | None
    copies: int | None
    pages: int | None = None  # not recorded for scans: the column stays blank


@dataclass(frozen=True)
class ControlStep:
    agency: str
    at: str
    giver: str
    receiver: str
    outcome: str
    action: str
    note: str


def _person(user, title: str = "") -> str:
    if user is None:
        return ""
    name = user.full_name or user.get_username()
    return f"{name} ({title})" if title else name


def _actor(event: DossierEvent) -> str:
    """The officer who took a step, "Name (job title)", or "Name (role)" when no job title is recorded."""
    with translation.override("vi"):  # the forms are Vietnamese documents, whoever asked for them
        return _person(event.actor, event.actor_title or wording.role_label(event.actor_role))


def _latest_event(dossier: Dossier, action: str) -> DossierEvent | None:
    events = dossier.events.filter(action=action).select_related("actor", "agency")
    return events.order_by("-at", "-id").first()


def _common(dossier: Dossier, agency: Agency, issued_at: datetime | None, form_code: str) -> dict:
    agency = Agency.objects.select_related("parent", "unit").get(pk=agency.pk)
    return {
        "form_code": form_code,
        "title": FORMS[form_code].title,
        "dossier": dossier,
        "procedure": dossier.procedure,
        "agency": agency,
        "receiving_agency": dossier.receiving_agency,
        "handling_agency": dossier.handling_agency,
        "place": agency.unit.name if agency.unit else "",
        "issued": vn_date(issued_at or timezone.now()),
        "track_url": tracking_url(dossier.code) if dossier.code else "",
        "qr_svg": qr_svg(tracking_url(dossier.code)) if dossier.code else "",
    }


# --- Mẫu 01 ---------------------------------------------------------------------------------------------------------


def _channel(dossier: Dossier) -> Channel | None:
    wanted = channel_kind(dossier.channel)
    return next((c for c in dossier.procedure.channels.all() if c.kind == wanted), None)


def _number(amount: Decimal) -> str:
    return f"{amount.normalize():f}".replace(".", ",")


def _duration(dossier: Dossier) -> str:
    time = processing_time(dossier)
    if time is None:
        return ""
    amount, unit = time
    if not unit:  # the catalogue's bare number: shown as written; the officer set the due date
        return time_limit_unclear(dossier) or _number(amount)
    return f"{_number(amount)} {Channel.DurationUnit(unit).label}"


def _fee(channel: Channel | None) -> str:
    if channel is None:
        return ""
    if channel.fee_text.strip():
        return channel.fee_text.strip()
    if channel.fee_free:
        return "Miễn phí"
    return f"{channel.fee_amount:,} đồng".replace(",", ".") if channel.fee_amount else ""


def _return_place(dossier: Dossier) -> str:
    if dossier.delivery == Dossier.Delivery.POST:
        return f"Nhận qua dịch vụ bưu chính, địa chỉ: {dossier.delivery_address}"
    agency = dossier.receiving_agency
    return f"{agency.name}{f', {agency.address}' if agency.address else ''}"


def received_documents(dossier: Dossier) -> list[ReceivedDocument]:
    """The papers filed (application and supplement files), with the originals/copies their requirement asks."""
    files = dossier.files.filter(kind__in=[DossierFile.Kind.APPLICATION, DossierFile.Kind.SUPPLEMENT])
    return [
        ReceivedDocument(
            name=f.label or (f.requirement.name if f.requirement else f.original_name),
            originals=f.requirement.originals if f.requirement else None,
            copies=f.requirement.copies if f.requirement else None,
        )
        for f in files.select_related("requirement").order_by("created_at", "id")
    ]


def receipt_context(dossier: Dossier) -> dict:
    """Mẫu 01: receipt and appointment, with the dossier's line in the receiving agency's tracking book."""
    received = _latest_event(dossier, "receive")
    return {
        **_common(dossier, dossier.receiving_agency, dossier.received_at or dossier.submitted_at, "01"),
        "documents": received_documents(dossier),
        "duration": _duration(dossier),
        "received": vn_datetime(dossier.received_at or dossier.submitted_at),
        "due": vn_datetime(dossier.due_at),
        "return_place": _return_place(dossier),
        "fee": _fee(_channel(dossier)),
        "book": str(timezone.localtime(dossier.received_at).year) if dossier.received_at else "",
        "line": tracking_book_line(dossier),
        "officer": _person(received.actor) if received else "",
    }


# --- Mẫu 02, 03, 04 -------------------------------------------------------------------------------------------------


def supplement_context(dossier: Dossier) -> dict:
    """Mẫu 02: everything the latest supplement request lists as missing, and why."""
    request = (
        dossier.supplement_requests.select_related("requested_by").order_by("-requested_at", "-id").first()
    )
    if request is None:
        raise FormNotApplicable("Hồ sơ chưa có yêu cầu bổ sung.")
    event = _latest_event(dossier, "request_supplement")
    agency = (event.agency if event else None) or dossier.receiving_agency
    return {
        **_common(dossier, agency, request.requested_at, "02"),
        "items": request.items,
        "reason": request.reason,
        "requested_short": f"{timezone.localtime(request.requested_at):%d/%m/%Y}",
        "officer": _person(request.requested_by),
        "contact_phone": agency.phone.strip() or settings.PORTAL_HOTLINE,
    }


def refusal_context(dossier: Dossier) -> dict:
    """Mẫu 03: the refusal and its reason (the latest "refuse" step)."""
    event = _latest_event(dossier, "refuse")
    if event is None:
        raise FormNotApplicable("Hồ sơ chưa bị từ chối tiếp nhận.")
    return {
        **_common(dossier, event.agency or dossier.receiving_agency, event.at, "03"),
        "reason": event.note,
        "officer": _person(event.actor),
    }


def apology_context(dossier: Dossier) -> dict:
    """Mẫu 04: the apology (the latest "apologise" step) with the first and the new due date."""
    event = _latest_event(dossier, "apologise")
    if event is None:
        raise FormNotApplicable("Hồ sơ chưa có văn bản xin lỗi, hẹn lại ngày trả.")
    agency = event.agency or dossier.handling_agency or dossier.receiving_agency
    return {
        **_common(dossier, agency, event.at, "04"),
        "reason": event.note,
        "received": vn_date(dossier.received_at),
        "old_due": vn_datetime(dossier.original_due_at),
        "new_due": vn_datetime(dossier.due_at),
    }


# --- Mẫu 05 ---------------------------------------------------------------------------------------------------------


# Who hands what to whom at each step. The applicant hands the dossier in (online, or to the officer who takes it at
# the counter), the agencies hand it on among themselves, and what the agency sends out (a refusal, a request, an
# apology, the result) goes to the applicant.
# Recorded by the applicant (or, for paper sent by post, the postal service): received by whoever acts next.
_APPLICANT_HANDS_IN = {"submit", "resubmit", "paper_received"}
_OFFICER_TAKES_IN = {
    "register",
    "receive",
    "financial_done",
}  # recorded by the officer who takes it from them
_TO_APPLICANT = {"refuse", "request_supplement", "financial", "apologise", "return_result", "stop"}


@dataclass(frozen=True)
class _History:
    dossier: Dossier
    events: list[DossierEvent]
    consulted: dict  # the consulted agency's name by the moment the question was asked

    @property
    def applicant(self) -> str:
        return f"{self.dossier.applicant_name} (Chủ hồ sơ)"

    def next_officer(self, index: int) -> str:
        """The first person after step ``index`` who acted for an agency (not the applicant's own steps)."""
        for event in self.events[index + 1 :]:
            if event.actor is not None and event.action not in _APPLICANT_HANDS_IN | {"withdraw"}:
                return _actor(event)
        return ""

    def last_before(self, index: int, action: str) -> DossierEvent | None:
        return next((e for e in reversed(self.events[:index]) if e.action == action), None)


def _agency_name(agency: Agency | None) -> str:
    return agency.name if agency else ""


def _hand_over(history: _History, index: int) -> tuple[str, str]:
    """Giver and receiver of step ``index``, each a person "Name (title)" or, where no person is recorded yet, the
    agency expected to take it."""
    event, dossier = history.events[index], history.dossier
    actor = _actor(event)
    if event.action in _APPLICANT_HANDS_IN:
        return history.applicant, history.next_officer(index) or _agency_name(event.agency)
    if event.action in _OFFICER_TAKES_IN:
        return history.applicant, actor
    if event.action in _TO_APPLICANT:
        return actor, history.applicant
    if event.action == "withdraw":  # the applicant takes the dossier back from the agency holding it
        return _agency_name(event.agency), history.applicant
    if event.action == "consult":
        return actor, history.consulted.get(event.at) or history.next_officer(index)
    if event.action == "consult_reply":
        asked = history.last_before(index, "consult")
        if (
            asked is not None and asked.actor_id == event.actor_id
        ):  # the asker recorded an answer that came on paper
            return history.consulted.get(asked.at, ""), actor
        if asked is not None:
            return actor, _actor(asked)
    if event.action == "send_back":
        proposed = history.last_before(index, "propose")
        if proposed is not None:
            return actor, _actor(proposed)
    expected = {"approve": dossier.receiving_agency}.get(event.action, dossier.handling_agency)
    return actor, history.next_officer(index) or _agency_name(expected)


def control_steps(dossier: Dossier) -> list[ControlStep]:
    """The history as hand-overs: who gave the dossier (or what the step produced) and who received it. Notes the
    applicant may not see are left out; the step itself stays."""
    events = list(dossier.events.select_related("actor", "agency").order_by("at", "id"))
    consulted = {c.asked_at: c.agency.name for c in dossier.consultations.select_related("agency")}
    history = _History(dossier, events, consulted)
    steps = []
    for index, event in enumerate(events):
        giver, receiver = _hand_over(history, index)
        steps.append(
            ControlStep(
                agency=_agency_name(event.agency),
                at=vn_datetime(event.at),
                giver=giver,
                receiver=receiver,
                outcome=event.get_outcome_display() if event.outcome else "",
                action=_action_label(event.action),
                note=_step_note(event) if event.visible_to_applicant else "",
            )
        )
    return steps


def _step_note(event: DossierEvent) -> str:
    with translation.override("vi"):
        return wording.step_text(event)


def _action_label(action: str) -> str:
    """The step's name as the workflow table words it (the forms are Vietnamese documents)."""
    return TRANSITIONS[action].label if action in TRANSITIONS else wording.OTHER_STEPS.get(action, action)


def control_slip_context(dossier: Dossier) -> dict:
    """Mẫu 05: the process control slip, one row per recorded step."""
    steps = control_steps(dossier)
    last = dossier.events.order_by("-at", "-id").values_list("at", flat=True).first()
    return {
        **_common(dossier, dossier.receiving_agency, last, "05"),
        "steps": steps,
        "due": vn_datetime(dossier.due_at),
    }


@dataclass(frozen=True)
class FormSpec:
    code: str
    title: str
    build: Callable[[Dossier], dict]

    @property
    def label(self) -> str:
        return f"Mẫu {self.code} – {self.title}"

    @property
    def template(self) -> str:
        return f"dossiers/pdf/form_{self.code}.html"


FORMS = {
    spec.code: spec
    for spec in [
        FormSpec("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", receipt_context),
        FormSpec("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", supplement_context),
        FormSpec("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", refusal_context),
        FormSpec("04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", apology_context),
        FormSpec("05", "Phiếu kiểm soát quá trình giải quyết hồ sơ", control_slip_context),
    ]
}
