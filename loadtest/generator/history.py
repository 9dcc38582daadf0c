"""One dossier's life, simulated on the office clock: the actions of ``dossiers.workflow.TRANSITIONS`` in an order the
services allow, with the fields and history rows the services would have written (state, dates, deadlines, the
step deadline and outcome of each event). A step that would happen after the reference moment (the start of the
generation day) does not happen: the dossier stays in the state it had then, so recent dossiers are in progress.
"""

from __future__ import annotations

import contextlib
import json
import random
from dataclasses import dataclass

from dossiers.models import Dossier
from loadtest.generator.people import Person
from loadtest.generator.world import AgencyInfo, OfficeClock, ProcedureInfo, World, spread

S = Dossier.State

# Fates, as shares of all dossiers (the rest are returned in time). "late" finishes days after its due date,
# "very_late" months after: together about 1.4 % overdue, as reported for a ward of Rạch Giá in its first 11 days after the 2025 merger. A
# supplement request left unanswered is closed (stopped) after one to three months, so no backlog grows forever.
FATES = [
    ("refuse", 0.012),
    ("withdraw", 0.008),
    ("stop", 0.003),
    ("unanswered_supplement", 0.008),
    ("late", 0.0095),
    ("very_late", 0.003),
]
# At most one detour per dossier that goes on to a result (so a history has 2 to 8 rows).
DETOURS = [
    ("reception_supplement", 0.04),
    ("consult", 0.015),
    ("financial", 0.02),
    ("handling_supplement", 0.015),
    ("apology", 0.015),
    ("send_back", 0.02),
]
LATE_TRANSFER = 0.02

APPLICANT_TITLE = "Chủ hồ sơ"  # stands for the applicant; recorded as the role "applicant", with no title
RECEIVER_TITLE = "Cán bộ một cửa"  # a one-stop officer without a job title of their own
LEADER_TITLES = {"Chủ tịch UBND", "Phó Chủ tịch UBND", "Phó Giám đốc Sở", "Lãnh đạo"}
COMMUNE_HANDLERS = [
    (("hộ tịch", "chứng thực", "nuôi con nuôi"), "Công chức Tư pháp - Hộ tịch"),
    (("đất", "xây dựng", "môi trường", "nhà ở"), "Công chức Địa chính - Xây dựng"),
    (("xã hội", "người có công", "giảm nghèo", "lao động"), "Công chức Văn hóa - Xã hội"),
]
REFUSALS = [
    "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan",
    "Người yêu cầu không đủ điều kiện theo quy định",
    "Giấy tờ trong hồ sơ không hợp lệ",
    "Yêu cầu đã được giải quyết trước đó",
]
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
STOPS = [
    "Người yêu cầu không thực hiện nghĩa vụ tài chính đúng hạn",
    "Có tranh chấp liên quan, chờ giải quyết của cơ quan có thẩm quyền",
    "Phát hiện giấy tờ không hợp lệ trong quá trình thẩm định",
]
APOLOGIES = [
    "Cần xác minh thêm thông tin tại địa phương",
    "Chờ ý kiến của cơ quan phối hợp",
    "Số lượng hồ sơ tăng cao trong kỳ",
    "Cần thêm thời gian thẩm định hồ sơ",
]
SEND_BACKS = ["Đề nghị kiểm tra lại nội dung dự thảo kết quả", "Bổ sung căn cứ pháp lý trong tờ trình"]
QUESTIONS = ["đề nghị cho ý kiến về nội dung hồ sơ", "đề nghị xác minh thông tin người nộp"]

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


class Simulator:
    def __init__(self, *, world: World, clock: OfficeClock, rng: random.Random, reference_lin: int):
        self.world = world
        self.clock = clock
        self.rng = rng
        self.reference = reference_lin
        self.fate_cum = _cumulative(FATES)
        self.detour_cum = _cumulative(DETOURS)

    def run(self, plan: Plan, event_id: int, supplement_id: int) -> Outcome:
        life = _Life(self, plan, event_id, supplement_id)
        life.duration = plan.procedure.duration(plan.channel)
        life.handler, life.leader = self._handler_title(plan), self._leader_title(plan)
        with contextlib.suppress(Cutoff):  # later steps have not happened yet
            self._live(life)
        return life.outcome()

    # --- the path ------------------------------------------------------------------------------------------------

    def _live(self, life: _Life) -> None:
        fate, detour = self._fate(life.plan)
        lin = self._file(life)
        lin = self._reception(life, lin, fate, detour)
        if lin is None:
            return
        lin = self._transfer(life, lin)
        if self._ends_in_handling(life, lin, fate):
            return
        lin = self._detour(life, lin, detour)
        if detour == "apology" or (fate in ("late", "very_late") and self.rng.random() < 0.4):
            lin = self._apologise(life, lin)
        self._result(life, lin, fate, detour)

    def _fate(self, plan: Plan) -> tuple[str | None, str | None]:
        rng = self.rng
        fate = _draw(rng, self.fate_cum, FATES)
        detour = _draw(rng, self.detour_cum, DETOURS) if fate in (None, "late", "very_late") else None
        if detour == "consult" and plan.receiving.kind == "commune" and rng.random() < 0.7:
            detour = None  # communes rarely consult
        land = "đất" in plan.procedure.field_name.lower()
        if detour is None and fate is None and land and rng.random() < 0.05:
            detour = "financial"  # land procedures often wait for taxes and fees
        return fate, detour

    def _file(self, life: _Life) -> int:
        """Online submission or registration at the counter; returns when reception can start."""
        rng, plan, day = self.rng, life.plan, self.clock.DAY
        if plan.channel == Dossier.Channel.ONLINE:
            life.citizen("submit", S.DRAFT, S.SUBMITTED, plan.submitted_text, agency=plan.receiving.id)
            lin = plan.submitted_lin + min(int(rng.expovariate(1 / 200)), 3 * day) + 1
            if day - lin % day < 20:  # a dossier that arrives at closing time is looked at the next morning
                lin = (lin // day + 1) * day + rng.randint(1, 60)
            return lin
        life.office("register", "", S.SUBMITTED, plan.submitted_lin, RECEIVER_TITLE, plan.receiving.id, "",
                    params={"channel": int(plan.channel)})  # fmt: skip
        wait = rng.randint(3, 25) if plan.channel == Dossier.Channel.DIRECT else rng.randint(5, 120)
        return plan.submitted_lin + wait

    def _reception(self, life: _Life, lin: int, fate: str | None, detour: str | None) -> int | None:
        """Art. 17: complete (received, with its due date), incomplete (one supplement request) or refused.
        Returns the moment of reception, or None when the dossier ends here."""
        rng, clock, plan = self.rng, self.clock, life.plan
        stuck = fate == "unanswered_supplement" and rng.random() < 0.5
        if detour == "reception_supplement" or stuck:
            life.request_supplement(lin, RECEIVER_TITLE, plan.receiving.id)
            if stuck:
                self._close_unanswered(life)
                return None
            lin += rng.randint(clock.DAY // 2, 8 * clock.DAY)
            life.resubmit(lin, S.SUBMITTED)
            lin += rng.randint(10, 300)
        if fate == "refuse":
            life.office("refuse", S.SUBMITTED, S.REFUSED, lin, RECEIVER_TITLE, plan.receiving.id,
                        rng.choice(REFUSALS), finished=True)  # fmt: skip
            return None
        if fate == "withdraw" and rng.random() < 0.6:
            life.withdraw(lin + rng.randint(30, 3 * clock.DAY))
            return None
        lin = life.moment(lin)
        due = clock.due(lin, clock.days[lin // clock.DAY], *life.duration)
        life.office(
            "receive", S.SUBMITTED, S.RECEIVED, lin, RECEIVER_TITLE, plan.receiving.id, "", deadline=due
        )
        life.received = lin
        life.due = life.original_due = due
        return lin

    def _transfer(self, life: _Life, lin: int) -> int:
        """Art. 18: to the handling agency the same day, or the next working day after the cut-off for paper;
        within the day for an online dossier (as ``services.dossier_transfer``)."""
        rng, clock, plan, day = self.rng, self.clock, life.plan, self.clock.DAY
        online = plan.channel == Dossier.Channel.ONLINE
        handover = (lin // day) * day + day if online else clock.handover_due(lin)
        same_day = online or clock.deadline_day(life.due) == lin // day
        if same_day:
            lin += rng.randint(1, 5)
        elif lin % day >= clock.cutoff:
            lin = (lin // day + 1) * day + rng.randint(1, 120)
        else:
            lin += rng.randint(5, 90)
        if not same_day and rng.random() < LATE_TRANSFER:
            lin = handover + rng.randint(1, 2 * day)
        life.office("transfer", S.RECEIVED, S.PROCESSING, lin, RECEIVER_TITLE, plan.receiving.id, "",
                    deadline=handover, params={"agency": plan.handling.id})  # fmt: skip
        life.handling = plan.handling.id
        return life.last_lin

    def _ends_in_handling(self, life: _Life, lin: int, fate: str | None) -> bool:
        rng = self.rng
        if fate == "withdraw":
            life.withdraw(lin + rng.randint(30, 5 * self.clock.DAY))
        elif fate == "stop":
            life.office("stop", S.PROCESSING, S.STOPPED, _towards(rng, lin, life.due, 0.2, 0.9), life.leader,
                        life.plan.handling.id, rng.choice(STOPS), deadline=life.due, finished=True)  # fmt: skip
        elif fate == "unanswered_supplement":
            agency = life.plan.handling.id
            life.request_supplement(_towards(rng, lin, life.due, 0.05, 0.5), life.handler, agency)
            self._close_unanswered(life)
        else:
            return False
        return True

    def _close_unanswered(self, life: _Life) -> None:
        """A supplement request nobody answers: a leader stops the dossier after one to three months (the step's
        agency is the handling one, none before the transfer, as ``services.dossier_stop`` records it)."""
        lin = life.last_lin + self.rng.randint(20, 60) * self.clock.DAY
        life.office("stop", S.SUPPLEMENT, S.STOPPED, lin, life.leader, life.handling,
                    "Quá thời hạn bổ sung hồ sơ, dừng xử lý", deadline=life.due, finished=True)  # fmt: skip

    def _detour(self, life: _Life, lin: int, detour: str | None) -> int:
        """A consultation, a financial obligation or a supplement request during handling."""
        rng, clock, day = self.rng, self.clock, self.clock.DAY
        handler, agency = life.handler, life.plan.handling.id
        if detour == "consult" and life.due - lin > 2 * day:
            lin = _towards(rng, lin, life.due, 0.05, 0.25)
            reply_by = max(lin + 60, _close_before(lin + int((life.due - lin) * 0.6), day))
            other = {"agency": rng.choice(self.world.departments).id} if self.world.departments else {}
            life.office("consult", S.PROCESSING, S.CONSULTING, lin, handler, agency, rng.choice(QUESTIONS),
                        deadline=reply_by, params=other)  # fmt: skip
            lin = _towards(rng, lin, reply_by, 0.2, 0.95)
            life.office("consult_reply", S.CONSULTING, S.PROCESSING, lin, handler, agency,
                        "Đã nhận ý kiến của cơ quan phối hợp", deadline=reply_by)  # fmt: skip
        elif detour == "financial":
            lin = _towards(rng, lin, life.due, 0.1, 0.4)
            due = life.due
            life.office("financial", S.PROCESSING, S.FINANCIAL, lin, handler, agency,
                        "Thông báo thực hiện nghĩa vụ tài chính theo quy định", deadline=due, pause=True)  # fmt: skip
            paid = lin + rng.randint(day // 2, 10 * day)
            life.office("financial_done", S.FINANCIAL, S.PROCESSING, paid, handler, agency, "", deadline=due,
                        pause=False)  # fmt: skip
            life.due = due + (paid - lin)  # the paused office time is added to the due date
            lin = paid
        elif detour == "handling_supplement":
            lin = _towards(rng, lin, life.due, 0.1, 0.4)
            life.request_supplement(lin, handler, agency)
            lin += rng.randint(day // 2, 10 * day)
            life.resubmit(lin, S.PROCESSING)
            # The clock restarts on the complete dossier (art. 19): the new appointment replaces the receipt's.
            life.due = life.original_due = clock.due(lin, clock.days[lin // day], *life.duration)
        return lin

    def _apologise(self, life: _Life, lin: int) -> int:
        """Mẫu 04: at least one working day before the due date, a new date, once."""
        rng = self.rng
        apology_by = self.clock.apology_deadline(life.due)
        if apology_by - lin <= 30:
            return lin
        at = rng.randint(max(lin + 1, apology_by - 300), apology_by - 1)
        new_due = life.due + rng.randint(3, 10) * self.clock.DAY
        life.office("apologise", S.PROCESSING, S.PROCESSING, at, life.handler, life.plan.handling.id,
                    rng.choice(APOLOGIES), deadline=apology_by)  # fmt: skip
        life.due, life.due_reset = new_due, True
        return at

    def _result(self, life: _Life, lin: int, fate: str | None, detour: str | None) -> None:
        """Proposal, approval and return: in time, or days or months late."""
        rng, day = self.rng, self.clock.DAY
        handler, leader, agency = life.handler, life.leader, life.plan.handling.id
        late = fate in ("late", "very_late")
        if late:
            delay = rng.randint(day // 4, 12 * day) if fate == "late" else rng.randint(20 * day, 120 * day)
            lin = max(lin, life.due) + delay
        else:
            lin = _towards(rng, lin, life.due, 0.3, 0.85)
        life.office("propose", S.PROCESSING, S.AWAITING_APPROVAL, lin, handler, agency, "", deadline=life.due)
        if detour == "send_back":
            lin = _towards(rng, lin, life.due, 0.05, 0.3)
            life.office("send_back", S.AWAITING_APPROVAL, S.PROCESSING, lin, leader, agency,
                        rng.choice(SEND_BACKS), deadline=life.due)  # fmt: skip
            lin = _towards(rng, lin, life.due, 0.1, 0.5)
            life.office(
                "propose", S.PROCESSING, S.AWAITING_APPROVAL, lin, handler, agency, "", deadline=life.due
            )
        lin = lin + rng.randint(10, day) if late else _towards(rng, lin, life.due, 0.05, 0.5)
        life.office("approve", S.AWAITING_APPROVAL, S.AWAITING_RETURN, lin, leader, agency, "",
                    deadline=life.due, finished=True)  # fmt: skip
        lin = lin + rng.randint(5, 2 * day) if late else _towards(rng, lin, life.due, 0.0, 0.9)
        life.office("return_result", S.AWAITING_RETURN, S.RETURNED, lin, RECEIVER_TITLE, life.plan.receiving.id,
                    "", deadline=life.due, returned=True)  # fmt: skip

    def _handler_title(self, plan: Plan) -> str:
        if plan.handling.kind != "commune":
            return "Chuyên viên xử lý"
        field = plan.procedure.field_name.lower()
        return next(
            (title for words, title in COMMUNE_HANDLERS if any(w in field for w in words)),
            "Chuyên viên xử lý",
        )

    def _leader_title(self, plan: Plan) -> str:
        kind = plan.handling.kind
        if kind == "commune":
            return "Chủ tịch UBND" if self.rng.random() < 0.3 else "Phó Chủ tịch UBND"
        if kind == "department":
            return "Phó Giám đốc Sở"
        return "Lãnh đạo"


def _role_and_title(title: str) -> tuple[str, str]:
    """The role recorded for a generated step, and the job title kept beside it (as ``services._record``)."""
    if title == APPLICANT_TITLE:
        return "applicant", ""
    if title == RECEIVER_TITLE:
        return "onestop_officer", ""
    return ("leader" if title in LEADER_TITLES else "handling_officer"), title


class _Life:
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

    def _add(self, action, from_state, to_state, at_text, actor_id, title, agency, note, deadline, outcome,
             params=None):  # fmt: skip
        if self.state != from_state:
            raise AssertionError(f"{action} from {self.state!r}, expected {from_state!r}")
        role, job_title = _role_and_title(title)
        self.events.append(
            (self.next_event, self.plan.id, action, from_state, to_state, actor_id, role, job_title, agency, at_text,
             note, json.dumps(params or {}), deadline, outcome, True)
        )  # fmt: skip
        self.next_event += 1
        self.state = to_state
        self.last_text = at_text

    def office(self, action, from_state, to_state, lin, title, agency, note, *, deadline=None, finished=False,
               returned=False, pause=None, params=None):  # fmt: skip
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
        self._add(action, from_state, to_state, at_text, self.plan.applicant_id, APPLICANT_TITLE, agency, note,
                  None, "")  # fmt: skip

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
        self.office("request_supplement", from_state, S.SUPPLEMENT, lin, title, agency, reason, pause=True,
                    params={"items": items})  # fmt: skip
        self.supplements.append(
            [self.next_supplement, self.plan.id, json.dumps(items, ensure_ascii=False), reason, None,
             self.last_text, None]
        )  # fmt: skip
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
            plan.id, plan.code, plan.procedure.id, plan.receiving.id, self.handling, plan.applicant_id,
            Dossier.ApplicantKind.BUSINESS if person.business else Dossier.ApplicantKind.CITIZEN,
            person.name, person.id_number, person.phone, plan.email, person.address, plan.channel, state,
            Dossier.Delivery.POST if plan.delivery_post else Dossier.Delivery.OFFICE,
            person.address if plan.delivery_post else "", version, plan.submitted_text,
            clock.text(self.received) if self.received is not None else None,
            clock.deadline_text(self.due) if self.due is not None else None,
            clock.deadline_text(self.original_due) if self.original_due is not None else None,
            self.due_reset, paused, self.finished_text, self.returned_text, plan.created_text, self.last_text,
        )  # fmt: skip
        return Outcome(dossier, self.events, [tuple(s) for s in self.supplements], state, overdue)


def _cumulative(table: list[tuple[str, float]]) -> list[float]:
    total, cum = 0.0, []
    for _, share in table:
        total += share
        cum.append(total)
    return cum


def _draw(rng: random.Random, cum: list[float], table: list[tuple[str, float]]) -> str | None:
    x = rng.random()
    for (name, _), c in zip(table, cum, strict=True):
        if x < c:
            return name
    return None


def _towards(rng: random.Random, start: int, end: int, low: float, high: float) -> int:
    """A moment between ``start`` and ``end`` (a share ``low``–``high`` of the way), at least a minute later."""
    if end <= start + 1:
        return start + 1
    return start + max(1, int((end - start) * spread(rng, low, high)))


def _close_before(lin: int, day: int) -> int:
    """The close of the working day before the one ``lin`` falls in (a deadline at a day's end)."""
    return (lin // day) * day
