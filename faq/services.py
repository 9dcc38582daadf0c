"""Changes to the FAQ: state changes, the queue of questions waiting for an answer."""

import hashlib

from django.db import IntegrityError, transaction
from django.db.models import F

from faq.models import FaqEntry, PendingQuestion
from faq.versioning import faq_version_bump
from portal.accounts.models import User
from portal.catalog.search import normalize

PENDING_TEXT_MAX = 2000


def entries_set_state(*, entries, state: str) -> int:
    """Move ``entries`` (a queryset the caller may edit) to ``state``; the number changed."""
    with transaction.atomic():
        count = entries.exclude(state=state).update(state=state)
        if count:
            faq_version_bump()
    return count


def _folded_key(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8", "surrogatepass")).hexdigest()


def pending_record(*, text: str, reason: str, shown_entry: FaqEntry | None = None) -> PendingQuestion | None:
    """Queue a question for admins, or count it once more if the same question (folded) is already waiting.

    Blank questions are not queued (None).
    """
    text = text.replace("\x00", "").strip()[:PENDING_TEXT_MAX]
    if not normalize(text):
        return None
    key = _folded_key(text)
    open_ = PendingQuestion.objects.filter(folded=key, reason=reason, status=PendingQuestion.Status.OPEN)
    if open_.update(times_asked=F("times_asked") + 1):
        return open_.first()
    try:
        with transaction.atomic():
            return PendingQuestion.objects.create(
                text=text, folded=key, reason=reason, shown_entry=shown_entry
            )
    except IntegrityError:  # a concurrent request queued the same question first
        open_.update(times_asked=F("times_asked") + 1)
        return open_.first()


@transaction.atomic
def pending_to_entry(*, pending: PendingQuestion, user: User) -> FaqEntry:
    """A draft entry with the waiting question as its question; the admin writes the answer and publishes it.

    A department admin's draft belongs to their first agency, a province admin's to the whole province.
    """
    agency_ids = [] if user.is_province_admin else user.agency_ids()
    entry = FaqEntry.objects.create(
        question=pending.text[: FaqEntry._meta.get_field("question").max_length],
        answer="",
        agency_id=agency_ids[0] if agency_ids else None,
        state=FaqEntry.State.DRAFT,
    )
    pending.status = PendingQuestion.Status.ANSWERED
    pending.entry = entry
    pending.save(update_fields=["status", "entry", "updated_at"])
    return entry


class QuestionRefused(Exception):
    """A question the service does not read: blank, too long, with a NUL, or one too many from this address."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


MESSAGES = {
    "unknown": (
        "Xin lỗi, tôi chưa tìm được câu trả lời chắc chắn cho câu hỏi này nên không đoán. Câu hỏi đã được chuyển cho "
        "cán bộ để bổ sung câu trả lời. Bạn có thể tìm trong danh mục thủ tục hoặc gọi tổng đài hỗ trợ."
    ),
    "complaint": (
        "Nội dung này là phản ánh, kiến nghị. Trợ lý hỏi đáp không tiếp nhận phản ánh; vui lòng gửi qua mục phản "
        "ánh, kiến nghị để được xem xét và trả lời."
    ),
    "empty": "Câu hỏi chưa có chữ nào. Vui lòng nhập câu hỏi bằng chữ, ví dụ: “Đăng ký khai sinh cần giấy tờ gì?”",
}


def _ask_limit():
    from faq import conf
    from portal.ratelimit import Limit

    return Limit("faq-ask", conf.asks_per_address(), conf.ask_window_seconds())


def ask_counted(*, address: str) -> None:
    """Count one question (or one "not helpful") from ``address``; :class:`QuestionRefused` (429) over the limit."""
    limit = _ask_limit()
    if limit.hit(address) > limit.limit:
        raise QuestionRefused(
            "Bạn đã hỏi quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau ít phút.", 429
        )


def question_ask(*, question, address: str):
    """Answer ``question`` for a visitor at ``address``: checks it, counts it against the address's limit, queues it
    for admins when it cannot be answered. Raises :class:`QuestionRefused` (400, or 429 over the limit)."""
    from faq.answering import answer
    from portal.catalog.questions import MAX_QUESTION_CHARS

    if not isinstance(question, str):
        raise QuestionRefused("Câu hỏi phải là một đoạn chữ.")
    if "\x00" in question:
        raise QuestionRefused("Câu hỏi không được chứa ký tự rỗng (NUL).")
    text = question.strip()
    if not text:
        raise QuestionRefused("Vui lòng nhập câu hỏi.")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionRefused(f"Câu hỏi quá dài (tối đa {MAX_QUESTION_CHARS:,} ký tự).".replace(",", "."))
    limit = _ask_limit()
    if limit.hit(address) > limit.limit:
        raise QuestionRefused(
            "Bạn đã hỏi quá nhiều câu trong thời gian ngắn. Vui lòng thử lại sau ít phút.", 429
        )
    reply = answer(text)
    if not reply.answered and reply.reason == "unknown":
        shown = None
        if reply.best is not None and reply.best.id.startswith("faq-"):
            shown = FaqEntry.objects.filter(pk=int(reply.best.id.removeprefix("faq-"))).first()
        pending_record(text=text, reason=PendingQuestion.Reason.UNANSWERED, shown_entry=shown)
    return reply


def answer_not_helpful(*, question: str, answer_id: str = "") -> PendingQuestion | None:
    """A visitor found the answer shown not helpful: the question waits for an admin."""
    shown = None
    if answer_id.startswith("faq-") and answer_id.removeprefix("faq-").isdigit():
        shown = FaqEntry.objects.filter(pk=int(answer_id.removeprefix("faq-"))).first()
    return pending_record(text=question, reason=PendingQuestion.Reason.NOT_HELPFUL, shown_entry=shown)
