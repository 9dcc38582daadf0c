"""Every change to a feedback item: one function per step, keyword-only, in one transaction that locks the item,
checks its state and the actor's right, writes, records the history event and sends ``feedback_changed`` (the
notifications listen). A refused step raises ``FeedbackError`` with a message for the person and writes nothing."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.errors import InvalidInput
from dossiers.selectors import dossier_routing_facts
from dossiers.uploads import max_file_bytes, storage_name, upload_check
from feedback import redaction, rules
from feedback.codes import feedback_code_issue
from feedback.errors import FeedbackError
from feedback.models import OPEN_STATES, Feedback, FeedbackAttachment, FeedbackEvent, FeedbackOutbox
from feedback.signals import feedback_changed
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Field, Procedure

S = Feedback.State
MAX_FILES = 5


@dataclass
class Submission:
    """What a sender (or an officer on their behalf) gives; validated by the form, checked again here."""

    kind: str
    subject: str
    content: str
    procedure: Procedure | None = None
    dossier_code: str = ""
    sender_name: str = ""
    sender_phone: str = ""
    sender_email: str = ""
    sender_address: str = ""
    consent_publish: bool = False
    reply_channel: str = Feedback.ReplyChannel.PORTAL
    uploads: list[UploadedFile] = field(default_factory=list)


def _record(feedback: Feedback, action: str, actor: User | None, *, note: str = "", visible: bool = True):
    event = FeedbackEvent.objects.create(
        feedback=feedback,
        action=action,
        actor=actor,
        agency=feedback.agency,
        note=note,
        visible_to_sender=visible,
    )
    feedback_changed.send(sender=Feedback, feedback=feedback, event=event, actor=actor)
    return event


def _locked(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().get(pk=feedback.pk)


def _expect(feedback: Feedback, states, allowed: bool) -> None:
    if not allowed:
        raise FeedbackError(
            _("Anh/chị không có quyền thực hiện bước này với phản ánh %(code)s.") % {"code": feedback.code}
        )
    if feedback.state not in states:
        raise FeedbackError(
            _("Phản ánh %(code)s đang ở trạng thái “%(state)s”, không thực hiện được bước này.")
            % {"code": feedback.code, "state": feedback.get_state_display()}
        )


def _checked_uploads(uploads: list[UploadedFile]):
    if len(uploads) > MAX_FILES:
        raise FeedbackError(_("Chỉ được đính kèm tối đa %(n)d tệp.") % {"n": MAX_FILES})
    checked, total = [], 0
    for upload in uploads:
        try:
            result = upload_check(upload, already_in_dossier=0)
        except InvalidInput as error:
            raise FeedbackError(str(error)) from None
        total += result.size
        if total > MAX_FILES * max_file_bytes():
            raise FeedbackError(_("Tổng dung lượng tệp đính kèm quá lớn."))
        checked.append((upload, result))
    return checked


def feedback_submit(
    *,
    submission: Submission,
    user: User | None = None,
    submit_token: uuid.UUID | None = None,
    channel: str = Feedback.Channel.PORTAL,
    recorded_by: User | None = None,
) -> tuple[Feedback, bool]:
    """Store a new item with its code and deadlines; ``(item, True)``. A second call with the same ``submit_token``
    (a double submit) stores nothing and returns ``(the first item, False)``. Attachments are checked by content
    before anything is written; a refused file refuses the whole submission."""
    if submit_token is not None:
        existing = Feedback.objects.filter(submit_token=submit_token).first()
        if existing is not None:
            return existing, False
    if recorded_by is not None and (not recorded_by.is_officer or not recorded_by.agency_ids()):
        raise FeedbackError(_("Chỉ cán bộ của một cơ quan mới ghi nhận phản ánh thay người gửi."))
    checked = _checked_uploads(submission.uploads)
    stored: list[str] = []
    try:
        with transaction.atomic():
            feedback = _create(submission, user, submit_token, channel, recorded_by)
            for upload, result in checked:
                upload.seek(0)
                name = default_storage.save(f"feedback/{storage_name(result)}", ContentFile(upload.read()))
                stored.append(name)
                FeedbackAttachment.objects.create(
                    feedback=feedback,
                    file=name,
                    display_name=result.display_name,
                    content_type=result.content_type,
                    size=result.size,
                    sha256=result.sha256,
                )
            _record(feedback, "received", recorded_by, visible=True)
    except IntegrityError:
        for name in stored:
            default_storage.delete(name)
        existing = Feedback.objects.filter(submit_token=submit_token).first() if submit_token else None
        if existing is None:
            raise
        return existing, False
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return feedback, True


def _create(submission, user, submit_token, channel, recorded_by) -> Feedback:
    now = timezone.now()
    if recorded_by is not None:
        receiving = Agency.objects.get(pk=recorded_by.agency_ids()[0])
    else:
        receiving = rules.office_agency()
    facts = dossier_routing_facts(submission.dossier_code) if submission.dossier_code else None
    procedure = submission.procedure
    if procedure is None and facts:
        procedure = Procedure.objects.filter(pk=facts["procedure_id"]).first()
    feedback = Feedback(
        code=feedback_code_issue(agency=receiving, day=timezone.localdate(now)),
        kind=submission.kind,
        subject=submission.subject,
        content=submission.content,
        procedure=procedure,
        dossier_code=submission.dossier_code,
        field_id=procedure.field_id if procedure else None,
        sender=user if user is not None and user.is_authenticated and recorded_by is None else None,
        sender_name=submission.sender_name,
        sender_phone=submission.sender_phone,
        sender_email=submission.sender_email,
        sender_address=submission.sender_address,
        consent_publish=submission.consent_publish,
        reply_channel=submission.reply_channel,
        channel=channel,
        recorded_by=recorded_by,
        receiving_agency=receiving,
        suggested_agency=rules.suggested_agency(procedure=procedure, dossier_facts=facts),
        received_at=now,
        routing_due_at=rules.routing_due(now),
        submit_token=submit_token,
    )
    feedback.save()
    return feedback


@transaction.atomic
def feedback_route(
    *,
    feedback: Feedback,
    actor: User,
    agency: Agency,
    kind: str | None = None,
    field: Field | None = None,
    note="",
) -> Feedback:
    """Classify and forward to the competent agency; the answer's deadline starts counting from here. Forwarding
    again (to correct a wrong agency) keeps the deadline the sender was given."""
    feedback = _locked(feedback)
    _expect(feedback, {S.RECEIVED, S.ROUTED}, rules.may_route(actor, feedback))
    if not agency.is_active:
        raise FeedbackError(_("Cơ quan được chọn không còn hoạt động."))
    now = timezone.now()
    first = feedback.state == S.RECEIVED
    feedback.agency = agency
    feedback.kind = kind or feedback.kind
    feedback.field = field or feedback.field
    feedback.state = S.ROUTED
    feedback.handler = None
    if first:
        feedback.routed_at = now
        feedback.answer_due_at = rules.answer_due(now)
    feedback.save()
    _record(feedback, "routed", actor, note=note)
    return feedback


@transaction.atomic
def feedback_assign(*, feedback: Feedback, actor: User, handler: User) -> Feedback:
    feedback = _locked(feedback)
    _expect(feedback, {S.ROUTED, S.ASSIGNED, S.REOPENED}, rules.may_assign(actor, feedback))
    if actor.role == User.Role.HANDLING_OFFICER and handler.pk != actor.pk:
        raise FeedbackError(
            _("Chuyên viên chỉ nhận phản ánh cho chính mình; lãnh đạo phân công cho người khác.")
        )
    if not (
        handler.is_active
        and handler.role in (User.Role.HANDLING_OFFICER, User.Role.LEADER)
        and feedback.agency_id in handler.agency_ids()
    ):
        raise FeedbackError(_("Người được phân công phải là chuyên viên hoặc lãnh đạo của cơ quan xử lý."))
    feedback.handler = handler
    if feedback.state == S.ROUTED:
        feedback.state = S.ASSIGNED
    feedback.save()
    _record(feedback, "assigned", actor, note=str(handler), visible=False)
    return feedback


@transaction.atomic
def feedback_draft(*, feedback: Feedback, actor: User, text: str) -> Feedback:
    feedback = _locked(feedback)
    _expect(feedback, {S.ASSIGNED, S.REOPENED, S.DRAFTED}, rules.may_draft(actor, feedback))
    if not text.strip():
        raise FeedbackError(_("Nhập nội dung dự thảo trả lời."))
    feedback.draft_answer = text.strip()
    feedback.state = S.DRAFTED
    feedback.save()
    _record(feedback, "drafted", actor, visible=False)
    return feedback


@transaction.atomic
def feedback_send_back(*, feedback: Feedback, actor: User, note: str) -> Feedback:
    """The leader returns the draft to the officer with what to change."""
    feedback = _locked(feedback)
    _expect(feedback, {S.DRAFTED, S.APPROVED}, rules.may_approve(actor, feedback))
    feedback.state = S.ASSIGNED
    feedback.save()
    _record(feedback, "sent_back", actor, note=note, visible=False)
    return feedback


@transaction.atomic
def feedback_approve(*, feedback: Feedback, actor: User) -> Feedback:
    feedback = _locked(feedback)
    _expect(feedback, {S.DRAFTED}, rules.may_approve(actor, feedback))
    feedback.approved_by = actor
    feedback.state = S.APPROVED
    feedback.save()
    _record(feedback, "approved", actor, visible=False)
    return feedback


def _answer(feedback: Feedback, text: str, now: datetime) -> None:
    feedback.answer = text
    feedback.answered_at = now
    feedback.state = S.ANSWERED
    feedback.satisfied = None
    feedback.rated_at = None
    known = (feedback.sender_name, feedback.sender_phone, feedback.sender_email, feedback.sender_address)
    feedback.public_question = redaction.redact(f"{feedback.subject}\n\n{feedback.content}", known=known)
    feedback.public_answer = redaction.redact(text, known=known)


@transaction.atomic
def feedback_send(*, feedback: Feedback, actor: User) -> Feedback:
    """Send the approved answer to the sender (and to every item merged into this one: answered once); the texts
    for publication are proposed with personal data removed, for an officer to check."""
    feedback = _locked(feedback)
    _expect(feedback, {S.APPROVED}, rules.may_send(actor, feedback))
    now = timezone.now()
    _answer(feedback, feedback.draft_answer, now)
    feedback.save()
    _record(feedback, "answered", actor, note=feedback.answer)
    for merged in Feedback.objects.select_for_update().filter(merged_into=feedback, state=S.MERGED):
        _answer(merged, feedback.answer, now)
        merged.save()
        _record(merged, "answered", actor, note=feedback.answer)
    return feedback


def publication_leftovers(feedback: Feedback, text: str) -> list[str]:
    """What still looks like personal data in a text about to be published: the sender's own details, e-mail
    addresses, phone and identity numbers (names and addresses are left to the officer's judgement)."""
    found = []
    lowered = text.lower()
    for value in (
        feedback.sender_name,
        feedback.sender_phone,
        feedback.sender_email,
        feedback.sender_address,
    ):
        if value and len(value.strip()) >= 4 and value.strip().lower() in lowered:
            found.append(_("thông tin của người gửi"))
            break
    for pattern, label in (
        (redaction._EMAIL, _("địa chỉ thư điện tử")),
        (redaction._PERSONAL_ID, _("số định danh")),
        (redaction._PHONE, _("số điện thoại")),
    ):
        if pattern.search(text):
            found.append(label)
    return found


@transaction.atomic
def feedback_publish(
    *, feedback: Feedback, actor: User, public_question: str, public_answer: str, checked: bool
) -> Feedback:
    """Publish the question and answer as the officer checked them, and queue them for the national portal."""
    feedback = _locked(feedback)
    _expect(feedback, {S.ANSWERED}, rules.may_send(actor, feedback))
    if not feedback.consent_publish:
        raise FeedbackError(_("Người gửi không đồng ý công khai nên phản ánh này không được công khai."))
    if not checked:
        raise FeedbackError(_("Xác nhận đã rà soát và xóa thông tin cá nhân trước khi công khai."))
    public_question, public_answer = public_question.strip(), public_answer.strip()
    if not public_question or not public_answer:
        raise FeedbackError(_("Nội dung công khai của câu hỏi và câu trả lời không được để trống."))
    left = publication_leftovers(feedback, f"{public_question}\n{public_answer}")
    if left:
        raise FeedbackError(
            _("Nội dung công khai vẫn còn %(what)s. Vui lòng xóa trước khi công khai.")
            % {"what": ", ".join(left)}
        )
    now = timezone.now()
    feedback.public_question, feedback.public_answer = public_question, public_answer
    feedback.state = S.PUBLISHED
    feedback.published_at = now
    feedback.save()
    _record(feedback, "published", actor)
    round_number = feedback.outbox.count() + 1
    FeedbackOutbox.objects.create(
        feedback=feedback,
        kind="published",
        idempotency_key=f"feedback:{feedback.code}:published:{round_number}",
        payload={
            "code": feedback.code,
            "kind": feedback.kind,
            "agency": feedback.agency.code if feedback.agency else "",
            "procedure": feedback.procedure.code if feedback.procedure else "",
            "field": feedback.field.name if feedback.field else "",
            "received_at": feedback.received_at.isoformat(),
            "answered_at": feedback.answered_at.isoformat() if feedback.answered_at else "",
            "published_at": now.isoformat(),
            "question": public_question,
            "answer": public_answer,
        },
    )
    return feedback


@transaction.atomic
def feedback_close_not_feedback(*, feedback: Feedback, actor: User, reason: str) -> Feedback:
    """Close an item that is not feedback (a complaint or a denunciation, governed by other laws), telling the sender
    why and where to turn."""
    feedback = _locked(feedback)
    _expect(feedback, OPEN_STATES, rules.may_close(actor, feedback))
    if not reason.strip():
        raise FeedbackError(_("Nhập lý do và hướng dẫn cho người gửi."))
    feedback.state = S.NOT_FEEDBACK
    feedback.closed_at = timezone.now()
    feedback.close_reason = reason.strip()
    feedback.save()
    _record(feedback, "not_feedback", actor, note=feedback.close_reason)
    return feedback


@transaction.atomic
def feedback_rate(*, feedback: Feedback, satisfied: bool, reason: str = "") -> Feedback:
    """The sender says whether the answer resolved the matter. "Not satisfied" with a reason reopens the item once
    (a new answer deadline counted from today); after that, it is recorded only."""
    feedback = _locked(feedback)
    if feedback.state not in (S.ANSWERED, S.PUBLISHED) or feedback.rated_at is not None:
        raise FeedbackError(_("Phản ánh này hiện không nhận đánh giá."))
    now = timezone.now()
    feedback.satisfied = satisfied
    feedback.rated_at = now
    if satisfied:
        feedback.save()
        _record(feedback, "satisfied", None)
        return feedback
    if not reason.strip():
        raise FeedbackError(_("Cho biết lý do chưa hài lòng để cơ quan xem xét lại."))
    if feedback.reopened_at is None and feedback.agency_id is not None:
        feedback.state = S.REOPENED
        feedback.reopened_at = now
        feedback.reopen_reason = reason.strip()
        feedback.answer_due_at = rules.answer_due(now)
        feedback.save()
        _record(feedback, "reopened", None, note=feedback.reopen_reason)
        return feedback
    feedback.save()
    _record(feedback, "not_satisfied", None, note=reason.strip())
    return feedback


@transaction.atomic
def feedback_link(*, feedback: Feedback, other: Feedback, actor: User) -> Feedback:
    """Mark two items as related (each shows the other); both must be the actor's to see."""
    from feedback.selectors import feedback_visible_to

    visible = feedback_visible_to(actor).filter(pk__in=[feedback.pk, other.pk]).count()
    if visible != 2 or feedback.pk == other.pk:
        raise FeedbackError(_("Không liên kết được hai phản ánh này."))
    feedback.related.add(other)
    _record(feedback, "linked", actor, note=other.code, visible=False)
    return feedback


@transaction.atomic
def feedback_merge(*, feedback: Feedback, into: Feedback, actor: User) -> Feedback:
    """Merge an open item into another one about the same matter: it is answered with it (at once if that one is
    already answered)."""
    from feedback.selectors import feedback_visible_to

    feedback = _locked(feedback)
    into = _locked(into)
    if (
        feedback_visible_to(actor).filter(pk__in=[feedback.pk, into.pk]).count() != 2
        or feedback.pk == into.pk
    ):
        raise FeedbackError(_("Không gộp được hai phản ánh này."))
    allowed = rules.may_route(actor, feedback) or rules.may_approve(actor, feedback)
    _expect(feedback, OPEN_STATES - {S.APPROVED}, allowed)
    if into.state in (S.MERGED, S.NOT_FEEDBACK):
        raise FeedbackError(_("Không gộp vào phản ánh đã đóng hoặc đã gộp."))
    feedback.merged_into = into
    feedback.agency = into.agency
    feedback.state = S.MERGED
    if into.state in (S.ANSWERED, S.PUBLISHED):
        _answer(feedback, into.answer, timezone.now())
    feedback.save()
    _record(feedback, "merged", actor, note=into.code)
    return feedback
