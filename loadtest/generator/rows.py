"""What one generated dossier becomes: the plan it is filed with, the rows its life writes (``Life``: the dossier, its
history events and supplement requests, as the services would have written them) and the columns they fill."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dossiers.models import Dossier
from loadtest.generator.people import Person
from loadtest.generator.world import AgencyInfo, ProcedureInfo

if TYPE_CHECKING:
    from loadtest.generator.history import Simulator

S = Dossier.State

APPLICANT_TITLE = "Chủ hồ sơ"  # stands for the applicant; recorded as the role "applicant", with no title
RECEIVER_TITLE = "Cán bộ một cửa"  # a one-stop officer without a job title of their own
LEADER_TITLES = {"Chủ tịch UBND", "Phó Chủ tịch UBND", "Phó Giám đốc Sở", "Lãnh đạo"}
MISSING_ITEMS = [
    "Bản sao Căn cước công dân",
    "Giấy khai sinh (bản sao)",
    "Tờ khai theo mẫu (bản chính)",
    "Giấy xác nhận tình trạng hôn nhân",
    "Giấy tờ chứng minh nơi cư trú",
    "Bản vẽ sơ đồ thửa đất",
    "Hợp đồng chuyển nhượng đã công chứng",
    "Văn bản ủy quyền",
    "Ảnh 4x6",
    "Biên lai nộp lệ phí",
]
SUPPLEMENT_REASONS = [
    "Hồ sơ còn thiếu giấy tờ theo quy định.",
    "Thông tin trên tờ khai chưa khớp với giấy tờ kèm theo.",
    "Bản sao chưa được chứng thực.",
    "Bản chụp không rõ, đề nghị nộp lại.",
]
WITHDRAWALS = ["Không còn nhu cầu giải quyết", "Nộp nhầm thủ tục", "Rút hồ sơ để bổ sung thông tin"]

DOSSIER_COLUMNS = [
    "id", "code", "procedure_id", "receiving_agency_id", "handling_agency_id", "applicant_id", "applicant_kind",
    "applicant_name", "applicant_id_number", "applicant_phone", "applicant_email", "applicant_address", "channel",
    "state", "delivery", "delivery_address", "version", "submitted_at", "received_at", "due_at",
    "original_due_at", "due_reset", "paused_at", "finished_at", "returned_at", "created_at", "updated_at",
]  # fmt: skip
EVENT_COLUMNS = [
    "id", "dossier_id", "action", "from_state", "to_state", "actor_id", "actor_role", "actor_title", "agency_id",
    "at", "note", "params", "step_deadline", "outcome", "visible_to_applicant",
]  # fmt: skip
SUPPLEMENT_COLUMNS = ["id", "dossier_id", "items", "reason", "requested_by_id", "requested_at", "answered_at"]
DATETIME_COLUMNS = {
    "submitted_at", "received_at", "due_at", "original_due_at", "paused_at", "finished_at", "returned_at",
    "created_at", "updated_at", "at", "step_deadline", "requested_at", "answered_at",
}  # fmt: skip


class Cutoff(Exception):
    """The next step would happen after the reference moment."""


@dataclass
class Plan:
    """A dossier as filed: everything decided before its history is simulated."""

    id: int
    code: str
    procedure: ProcedureInfo
    receiving: AgencyInfo
    handling: AgencyInfo
    channel: int
    submitted_lin: int  # office clock: for an online filing, the next office minute after submission
    submitted_text: str
    created_text: str
    applicant_id: int | None
    person: Person
    email: str
    delivery_post: bool


@dataclass
class Outcome:
    dossier: tuple
    events: list[tuple]
    supplements: list[tuple]
    state: str
    overdue: bool


def role_and_title(title: str) -> tuple[str, str]:
    """The role recorded for a generated step, and the job title kept beside it (as ``services._record``)."""
    if title == APPLICANT_TITLE:
        return "applicant", ""
    if title == RECEIVER_TITLE:
        return "onestop_officer", ""
    return ("leader" if title in LEADER_TITLES else "handling_officer"), title


class Life:
    """The rows of one dossier as its steps happen."""

    def __init__(self, sim: Simulator, plan: Plan, event_id: int, supplement_id: int):
        self.sim = sim
        self.clock = sim.clock
        self.plan = plan
        self.events: list[tuple] = []
        self.supplements: list[list] = []
        self.next_event = event_id
        self.next_supplement = supplement_id
        self.state = S.DRAFT if plan.channel == Dossier.Channel.ONLINE else ""
        self.last_text = plan.submitted_text
        self.last_lin = plan.submitted_lin
        self.received: int | None = None
        self.due: int | None = None
        self.original_due: int | None = None
        self.due_reset = False
        self.handling: int | None = None
        self.paused_text: str | None = None
        self.finished: int | None = None
        self.finished_text: str | None = None
        self.returned_text: str | None = None
        self.duration: tuple[float, str] = (0.0, "")
        self.handler = self.leader = ""

    def _add(
        self,
        action,
        from_state,
        to_state,
        at_text,
        actor_id,
        title,
        agency,
        note,
        deadline,
        outcome,
        params=None,
    ):
        if self.state != from_state:
            raise AssertionError(f"{action} from {self.state!r}, expected {from_state!r}")
        role, job_title = role_and_title(title)
        self.events.append(
            (
                self.next_event,
                self.plan.id,
                action,
                from_state,
                to_state,
                actor_id,
                role,
                job_title,
                agency,
                at_text,
                note,
                json.dumps(params or {}),
                deadline,
                outcome,
                True,
            )
        )
        self.next_event += 1
        self.state = to_state
        self.last_text = at_text

    def office(
        self,
        action,
        from_state,
        to_state,
        lin,
        title,
        agency,
        note,
        *,
        deadline=None,
        finished=False,
        returned=False,
        pause=None,
        params=None,
    ):
        """A step taken by staff at office-clock moment ``lin``."""
        lin = self.moment(lin)
        text = self.clock.text(lin)
        deadline_text = self.clock.deadline_text(deadline) if deadline is not None else None
        outcome = self.clock.outcome(lin, deadline) if deadline is not None else ""
        self._add(
            action, from_state, to_state, text, None, title, agency, note, deadline_text, outcome, params
        )
        self.last_lin = lin
        if pause is True:
            self.paused_text = text
        elif pause is False:
            self.paused_text = None
        if finished:
            self.finished, self.finished_text = lin, text
        if returned:
            self.returned_text = text

    def citizen(self, action, from_state, to_state, at_text, *, agency=None, note=""):
        self._add(
            action,
            from_state,
            to_state,
            at_text,
            self.plan.applicant_id,
            APPLICANT_TITLE,
            agency,
            note,
            None,
            "",
        )

    def moment(self, lin: int) -> int:
        """``lin`` made a valid next step: after the previous one, off a day boundary, before the reference."""
        if lin % self.clock.DAY == 0:
            lin += 1
        lin = max(lin, self.last_lin + 1)
        if lin >= self.sim.reference:
            raise Cutoff
        return lin

    def citizen_at(self, action, from_state, to_state, lin, note) -> None:
        lin = self.moment(lin)
        self.citizen(action, from_state, to_state, self.clock.text(lin), note=note)
        self.last_lin = lin

    def request_supplement(self, lin: int, title: str, agency: int) -> None:
        rng = self.sim.rng
        items = rng.sample(MISSING_ITEMS, rng.randint(1, 3))
        reason = rng.choice(SUPPLEMENT_REASONS)
        from_state = self.state
        self.office(
            "request_supplement",
            from_state,
            S.SUPPLEMENT,
            lin,
            title,
            agency,
            reason,
            pause=True,
            params={"items": items},
        )
        self.supplements.append(
            [
                self.next_supplement,
                self.plan.id,
                json.dumps(items, ensure_ascii=False),
                reason,
                None,
                self.last_text,
                None,
            ]
        )
        self.next_supplement += 1

    def resubmit(self, lin: int, back_to: str) -> None:
        self.citizen_at("resubmit", S.SUPPLEMENT, back_to, lin, "Công dân nộp bổ sung hồ sơ")
        self.supplements[-1][6] = self.last_text
        self.paused_text = None

    def withdraw(self, lin: int) -> None:
        rng = self.sim.rng
        self.citizen_at(
            "withdraw", self.state, S.WITHDRAWN, lin, f"Công dân rút hồ sơ: {rng.choice(WITHDRAWALS)}"
        )
        self.finished, self.finished_text = self.last_lin, self.last_text

    def outcome(self) -> Outcome:
        plan, clock = self.plan, self.clock
        state = self.state
        paused = self.paused_text if state in (S.SUPPLEMENT, S.FINANCIAL) else None
        if state in (S.RETURNED, S.AWAITING_RETURN):
            overdue = self.finished is not None and self.due is not None and self.finished > self.due
        elif state in (S.RECEIVED, S.PROCESSING, S.CONSULTING, S.AWAITING_APPROVAL):
            overdue = self.due is not None and self.due < self.sim.reference
        else:
            overdue = False
        version = len(self.events) - (0 if plan.channel == Dossier.Channel.ONLINE else 1)
        person = plan.person
        dossier = (
            plan.id,
            plan.code,
            plan.procedure.id,
            plan.receiving.id,
            self.handling,
            plan.applicant_id,
            Dossier.ApplicantKind.BUSINESS if person.business else Dossier.ApplicantKind.CITIZEN,
            person.name,
            person.id_number,
            person.phone,
            plan.email,
            person.address,
            plan.channel,
            state,
            Dossier.Delivery.POST if plan.delivery_post else Dossier.Delivery.OFFICE,
            person.address if plan.delivery_post else "",
            version,
            plan.submitted_text,
            clock.text(self.received) if self.received is not None else None,
            clock.deadline_text(self.due) if self.due is not None else None,
            clock.deadline_text(self.original_due) if self.original_due is not None else None,
            self.due_reset,
            paused,
            self.finished_text,
            self.returned_text,
            plan.created_text,
            self.last_text,
        )
        return Outcome(dossier, self.events, [tuple(s) for s in self.supplements], state, overdue)
