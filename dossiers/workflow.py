"""The dossier state machine: which action moves a dossier from which state to which, and who may take it.

Decree 61/2018 arts. 15–22 (as amended), Circular 01/2018. Each action here is one row of ``TRANSITIONS``, one service
function in ``dossiers/services.py`` (``SERVICES``) that checks this table and writes the change, the history row and
the outbox row together, and, for the officers' actions, one form in ``dossiers/forms/actions.py`` whose fields are the
service's arguments.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_noop as _

from dossiers.models import Dossier

S = Dossier.State


class Actor:
    """Who takes an action, relative to the dossier (not a global role)."""

    APPLICANT = "applicant"  # the dossier's own applicant account
    RECEIVER = "receiver"  # a one-stop officer of the receiving agency
    HANDLER = "handler"  # a handling officer of the handling agency
    LEADER = "leader"  # a leader of the handling agency
    CONSULTED = (
        "consulted"  # a handling officer of an agency whose opinion is asked, while the question is open
    )


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (e.g. an apology with a new date)
    actors: frozenset[str]


def _t(action, label, sources, target, *actors) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(actors))


ACTIVE_HANDLING = {S.PROCESSING, S.CONSULTING, S.AWAITING_APPROVAL}
NEW = ""  # the "state" of a dossier that does not exist yet

TRANSITIONS = {
    t.action: t
    for t in [
        _t("submit", _("Nộp hồ sơ"), {S.DRAFT}, S.SUBMITTED, Actor.APPLICANT),
        # A dossier brought to the counter or sent by post comes into being here, waiting for reception.
        _t("register", _("Đăng ký hồ sơ tại bộ phận một cửa"), {NEW}, S.SUBMITTED, Actor.RECEIVER),
        _t("receive", _("Tiếp nhận hồ sơ"), {S.SUBMITTED}, S.RECEIVED, Actor.RECEIVER),
        _t(
            "request_supplement",
            _("Yêu cầu bổ sung hồ sơ"),
            {S.SUBMITTED, S.PROCESSING},
            S.SUPPLEMENT,
            Actor.RECEIVER,
            Actor.HANDLER,
        ),
        _t("refuse", _("Từ chối tiếp nhận"), {S.SUBMITTED}, S.REFUSED, Actor.RECEIVER),
        _t(
            "resubmit", _("Nộp bổ sung hồ sơ"), {S.SUPPLEMENT}, None, Actor.APPLICANT
        ),  # back where it was asked
        _t("transfer", _("Chuyển cơ quan giải quyết"), {S.RECEIVED}, S.PROCESSING, Actor.RECEIVER),
        _t("consult", _("Lấy ý kiến cơ quan khác"), {S.PROCESSING}, S.CONSULTING, Actor.HANDLER),
        _t(
            "consult_reply",
            _("Nhận ý kiến phối hợp"),
            {S.CONSULTING},
            S.PROCESSING,
            Actor.HANDLER,  # recording an answer that came on paper
            Actor.CONSULTED,
        ),
        _t(
            "financial", _("Yêu cầu thực hiện nghĩa vụ tài chính"), {S.PROCESSING}, S.FINANCIAL, Actor.HANDLER
        ),
        _t(
            "financial_done",
            _("Đã thực hiện nghĩa vụ tài chính"),
            {S.FINANCIAL},
            S.PROCESSING,
            Actor.HANDLER,
            Actor.RECEIVER,
        ),
        _t("propose", _("Trình kết quả"), {S.PROCESSING}, S.AWAITING_APPROVAL, Actor.HANDLER),
        _t("send_back", _("Trả lại chuyên viên"), {S.AWAITING_APPROVAL}, S.PROCESSING, Actor.LEADER),
        _t("approve", _("Phê duyệt, ký kết quả"), {S.AWAITING_APPROVAL}, S.AWAITING_RETURN, Actor.LEADER),
        _t(
            "apologise",
            _("Xin lỗi, hẹn lại ngày trả"),
            ACTIVE_HANDLING | {S.FINANCIAL},
            None,
            Actor.HANDLER,
            Actor.LEADER,
        ),
        _t("return_result", _("Trả kết quả"), {S.AWAITING_RETURN}, S.RETURNED, Actor.RECEIVER),
        _t(
            "withdraw",
            _("Rút hồ sơ"),
            {S.SUBMITTED, S.RECEIVED, S.SUPPLEMENT, *ACTIVE_HANDLING},
            S.WITHDRAWN,
            Actor.APPLICANT,
        ),
        _t(
            "stop",
            _("Dừng xử lý hồ sơ"),
            {S.RECEIVED, S.SUPPLEMENT, S.FINANCIAL, *ACTIVE_HANDLING},
            S.STOPPED,
            Actor.LEADER,
        ),
    ]
}

# The dossier statuses 1–10 the national public-service portal (DVCQG) exchanges. The live mapping is the NationalStatus table, seeded from
# this by a migration and correctable by an administrator without a release.
NATIONAL_STATUS_SEED = {
    S.SUBMITTED: (1, "Mới đăng ký, chờ tiếp nhận"),
    S.RECEIVED: (2, "Đã tiếp nhận"),
    S.REFUSED: (3, "Không được tiếp nhận"),
    S.PROCESSING: (4, "Đang xử lý"),
    S.CONSULTING: (4, "Đang xử lý"),
    S.AWAITING_APPROVAL: (4, "Đang xử lý"),
    S.SUPPLEMENT: (5, "Yêu cầu bổ sung giấy tờ"),
    S.FINANCIAL: (6, "Yêu cầu thực hiện nghĩa vụ tài chính"),
    S.WITHDRAWN: (7, "Công dân yêu cầu rút hồ sơ"),
    S.STOPPED: (8, "Dừng xử lý"),
    S.AWAITING_RETURN: (9, "Đã xử lý xong, chờ trả kết quả"),
    S.RETURNED: (10, "Đã trả kết quả"),
}

# States in which the clock is stopped: the applicant (or another body) owes something.
PAUSED_STATES = {S.SUPPLEMENT, S.FINANCIAL}
FINAL_STATES = {S.REFUSED, S.RETURNED, S.WITHDRAWN, S.STOPPED}


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]
