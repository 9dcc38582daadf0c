"""One dossier's life, simulated on the office clock: the actions of ``dossiers.workflow.TRANSITIONS`` in an order the
services allow, with the fields and history rows the services would have written (state, dates, deadlines, the
step deadline and outcome of each event). A step that would happen after the reference moment (the start of the
generation day) does not happen: the dossier stays in the state it had then, so recent dossiers are in progress.
"""

from __future__ import annotations

import contextlib
import random

from dossiers.models import Dossier
from loadtest.generator.rows import RECEIVER_TITLE, Cutoff, Life, Outcome, Plan
from loadtest.generator.world import OfficeClock, World, spread

S = Dossier.State

# Fates, as shares of all dossiers (the rest are returned in time). "late" finishes days after its due date,
# "very_late" months after: together about 1.4 % overdue, as reported for a ward of Rạch Giá in its first 11 days
# after the 2025 merger. A supplement request left unanswered is closed (stopped) after one to three months, so no
# backlog grows forever.
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


class Simulator:
    def __init__(self, *, world: World, clock: OfficeClock, rng: random.Random, reference_lin: int):
        self.world = world
        self.clock = clock
        self.rng = rng
        self.reference = reference_lin
        self.fate_cum = _cumulative(FATES)
        self.detour_cum = _cumulative(DETOURS)

    def run(self, plan: Plan, event_id: int, supplement_id: int) -> Outcome:
        life = Life(self, plan, event_id, supplement_id)
        life.duration = plan.procedure.duration(plan.channel)
        life.handler, life.leader = self._handler_title(plan), self._leader_title(plan)
        with contextlib.suppress(Cutoff):  # later steps have not happened yet
            self._live(life)
        return life.outcome()

    # --- the path ------------------------------------------------------------------------------------------------

    def _live(self, life: Life) -> None:
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

    def _file(self, life: Life) -> int:
        """Online submission or registration at the counter; returns when reception can start."""
        rng, plan, day = self.rng, life.plan, self.clock.DAY
        if plan.channel == Dossier.Channel.ONLINE:
            life.citizen("submit", S.DRAFT, S.SUBMITTED, plan.submitted_text, agency=plan.receiving.id)
            lin = plan.submitted_lin + min(int(rng.expovariate(1 / 200)), 3 * day) + 1
            if day - lin % day < 20:  # a dossier that arrives at closing time is looked at the next morning
                lin = (lin // day + 1) * day + rng.randint(1, 60)
            return lin
        life.office(
            "register",
            "",
            S.SUBMITTED,
            plan.submitted_lin,
            RECEIVER_TITLE,
            plan.receiving.id,
            "",
            params={"channel": int(plan.channel)},
        )
        wait = rng.randint(3, 25) if plan.channel == Dossier.Channel.DIRECT else rng.randint(5, 120)
        return plan.submitted_lin + wait

    def _reception(self, life: Life, lin: int, fate: str | None, detour: str | None) -> int | None:
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
            life.office(
                "refuse",
                S.SUBMITTED,
                S.REFUSED,
                lin,
                RECEIVER_TITLE,
                plan.receiving.id,
                rng.choice(REFUSALS),
                finished=True,
            )
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

    def _transfer(self, life: Life, lin: int) -> int:
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
        life.office(
            "transfer",
            S.RECEIVED,
            S.PROCESSING,
            lin,
            RECEIVER_TITLE,
            plan.receiving.id,
            "",
            deadline=handover,
            params={"agency": plan.handling.id},
        )
        life.handling = plan.handling.id
        return life.last_lin

    def _ends_in_handling(self, life: Life, lin: int, fate: str | None) -> bool:
        rng = self.rng
        if fate == "withdraw":
            life.withdraw(lin + rng.randint(30, 5 * self.clock.DAY))
        elif fate == "stop":
            life.office(
                "stop",
                S.PROCESSING,
                S.STOPPED,
                _towards(rng, lin, life.due, 0.2, 0.9),
                life.leader,
                life.plan.handling.id,
                rng.choice(STOPS),
                deadline=life.due,
                finished=True,
            )
        elif fate == "unanswered_supplement":
            agency = life.plan.handling.id
            life.request_supplement(_towards(rng, lin, life.due, 0.05, 0.5), life.handler, agency)
            self._close_unanswered(life)
        else:
            return False
        return True

    def _close_unanswered(self, life: Life) -> None:
        """A supplement request nobody answers: a leader stops the dossier after one to three months (the step's
        agency is the handling one, none before the transfer, as ``services.dossier_stop`` records it)."""
        lin = life.last_lin + self.rng.randint(20, 60) * self.clock.DAY
        life.office(
            "stop",
            S.SUPPLEMENT,
            S.STOPPED,
            lin,
            life.leader,
            life.handling,
            "Quá thời hạn bổ sung hồ sơ, dừng xử lý",
            deadline=life.due,
            finished=True,
        )

    def _detour(self, life: Life, lin: int, detour: str | None) -> int:
        """A consultation, a financial obligation or a supplement request during handling."""
        rng, clock, day = self.rng, self.clock, self.clock.DAY
        handler, agency = life.handler, life.plan.handling.id
        if detour == "consult" and life.due - lin > 2 * day:
            lin = _towards(rng, lin, life.due, 0.05, 0.25)
            reply_by = max(lin + 60, _close_before(lin + int((life.due - lin) * 0.6), day))
            other = {"agency": rng.choice(self.world.departments).id} if self.world.departments else {}
            life.office(
                "consult",
                S.PROCESSING,
                S.CONSULTING,
                lin,
                handler,
                agency,
                rng.choice(QUESTIONS),
                deadline=reply_by,
                params=other,
            )
            lin = _towards(rng, lin, reply_by, 0.2, 0.95)
            life.office(
                "consult_reply",
                S.CONSULTING,
                S.PROCESSING,
                lin,
                handler,
                agency,
                "Đã nhận ý kiến của cơ quan phối hợp",
                deadline=reply_by,
            )
        elif detour == "financial":
            lin = _towards(rng, lin, life.due, 0.1, 0.4)
            due = life.due
            life.office(
                "financial",
                S.PROCESSING,
                S.FINANCIAL,
                lin,
                handler,
                agency,
                "Thông báo thực hiện nghĩa vụ tài chính theo quy định",
                deadline=due,
                pause=True,
            )
            paid = lin + rng.randint(day // 2, 10 * day)
            life.office(
                "financial_done",
                S.FINANCIAL,
                S.PROCESSING,
                paid,
                handler,
                agency,
                "",
                deadline=due,
                pause=False,
            )
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

    def _apologise(self, life: Life, lin: int) -> int:
        """Mẫu 04: at least one working day before the due date, a new date, once."""
        rng = self.rng
        apology_by = self.clock.apology_deadline(life.due)
        if apology_by - lin <= 30:
            return lin
        at = rng.randint(max(lin + 1, apology_by - 300), apology_by - 1)
        new_due = life.due + rng.randint(3, 10) * self.clock.DAY
        life.office(
            "apologise",
            S.PROCESSING,
            S.PROCESSING,
            at,
            life.handler,
            life.plan.handling.id,
            rng.choice(APOLOGIES),
            deadline=apology_by,
        )
        life.due, life.due_reset = new_due, True
        return at

    def _result(self, life: Life, lin: int, fate: str | None, detour: str | None) -> None:
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
            life.office(
                "send_back",
                S.AWAITING_APPROVAL,
                S.PROCESSING,
                lin,
                leader,
                agency,
                rng.choice(SEND_BACKS),
                deadline=life.due,
            )
            lin = _towards(rng, lin, life.due, 0.1, 0.5)
            life.office(
                "propose", S.PROCESSING, S.AWAITING_APPROVAL, lin, handler, agency, "", deadline=life.due
            )
        lin = lin + rng.randint(10, day) if late else _towards(rng, lin, life.due, 0.05, 0.5)
        life.office(
            "approve",
            S.AWAITING_APPROVAL,
            S.AWAITING_RETURN,
            lin,
            leader,
            agency,
            "",
            deadline=life.due,
            finished=True,
        )
        lin = lin + rng.randint(5, 2 * day) if late else _towards(rng, lin, life.due, 0.0, 0.9)
        life.office(
            "return_result",
            S.AWAITING_RETURN,
            S.RETURNED,
            lin,
            RECEIVER_TITLE,
            life.plan.receiving.id,
            "",
            deadline=life.due,
            returned=True,
        )

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
