"""Feedback and recommendations (phản ánh, kiến nghị — Decree 20/2008, DOMAIN.md §6) and what is recorded about
them: attachments, the history, the daily code counters and the outbox towards the national portal.

The workflow's rules live in ``feedback/services.py`` (one function per step); these models only hold state.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

CONTENT_MAX = 5000
SUBJECT_MAX = 200
ANSWER_MAX = 10000


class Feedback(models.Model):
    class Kind(models.TextChoices):
        REGULATION = "regulation", _("Quy định hành chính, thủ tục hành chính")
        DOSSIER = "dossier", _("Việc giải quyết hồ sơ")
        CONDUCT = "conduct", _("Hành vi, thái độ của cán bộ, công chức")
        OTHER = "other", _("Nội dung khác")

    class State(models.TextChoices):
        RECEIVED = "received", _("Đã tiếp nhận, chờ phân loại")
        ROUTED = "routed", _("Đã chuyển cơ quan có thẩm quyền")
        ASSIGNED = "assigned", _("Đang xử lý")
        DRAFTED = "drafted", _("Chờ lãnh đạo duyệt trả lời")
        APPROVED = "approved", _("Đã duyệt, chờ gửi trả lời")
        ANSWERED = "answered", _("Đã trả lời")
        PUBLISHED = "published", _("Đã trả lời và công khai")
        REOPENED = "reopened", _("Xử lý lại theo ý kiến người gửi")
        NOT_FEEDBACK = "not_feedback", _("Đóng: không thuộc phạm vi phản ánh, kiến nghị")
        MERGED = "merged", _("Gộp vào phản ánh khác")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Cổng dịch vụ công")
        PHONE = "phone", _("Điện thoại")
        LETTER = "letter", _("Thư, văn bản")
        COUNTER = "counter", _("Trực tiếp tại bộ phận một cửa")

    class ReplyChannel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        POST = "post", _("Thư bưu chính")
        PHONE = "phone", _("Điện thoại")
        PORTAL = "portal", _("Tra cứu trên Cổng")

    code = models.CharField(_("mã phản ánh"), max_length=50, unique=True)
    kind = models.CharField(_("nội dung phản ánh về"), max_length=12, choices=Kind.choices)
    subject = models.CharField(_("tiêu đề"), max_length=SUBJECT_MAX)
    content = models.TextField(_("nội dung"), max_length=CONTENT_MAX)
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=40, blank=True, db_index=True)
    field = models.ForeignKey(
        "catalog.Field",
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người gửi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    sender_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    sender_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    sender_email = models.EmailField(_("thư điện tử"), blank=True)
    sender_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    consent_publish = models.BooleanField(_("đồng ý công khai nội dung trả lời"), default=False)
    reply_channel = models.CharField(
        _("nhận trả lời qua"), max_length=10, choices=ReplyChannel.choices, default=ReplyChannel.PORTAL
    )
    channel = models.CharField(
        _("kênh tiếp nhận"), max_length=10, choices=Channel.choices, default=Channel.PORTAL
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ ghi nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Where it came in (the provincial office for the portal, the recording officer's agency otherwise) and which
    # agency is competent once routed; the suggestion comes from the procedure or dossier code.
    receiving_agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("nơi tiếp nhận"), on_delete=models.PROTECT, related_name="+"
    )
    suggested_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan gợi ý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan có thẩm quyền"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ xử lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(_("trạng thái"), max_length=14, choices=State.choices, default=State.RECEIVED)
    received_at = models.DateTimeField(_("ngày tiếp nhận"))
    routing_due_at = models.DateTimeField(_("hạn phân loại, chuyển"))
    routed_at = models.DateTimeField(_("ngày chuyển"), null=True, blank=True)
    answer_due_at = models.DateTimeField(_("hạn trả lời"), null=True, blank=True)
    answered_at = models.DateTimeField(_("ngày trả lời"), null=True, blank=True)
    published_at = models.DateTimeField(_("ngày công khai"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ngày đóng"), null=True, blank=True)
    close_reason = models.TextField(_("lý do đóng"), max_length=2000, blank=True)
    draft_answer = models.TextField(_("dự thảo trả lời"), max_length=ANSWER_MAX, blank=True)
    answer = models.TextField(_("nội dung trả lời"), max_length=ANSWER_MAX, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lãnh đạo duyệt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the public sees: the question and the answer with personal data removed, checked by an officer.
    public_question = models.TextField(_("nội dung phản ánh công khai"), blank=True)
    public_answer = models.TextField(_("nội dung trả lời công khai"), blank=True)
    satisfied = models.BooleanField(_("hài lòng với trả lời"), null=True, blank=True)
    rated_at = models.DateTimeField(_("ngày đánh giá"), null=True, blank=True)
    reopen_reason = models.TextField(_("lý do chưa hài lòng"), max_length=2000, blank=True)
    reopened_at = models.DateTimeField(_("ngày mở lại"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("gộp vào"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
    )
    related = models.ManyToManyField(
        "self", verbose_name=_("phản ánh liên quan"), blank=True, symmetrical=True
    )
    # The token of the form the sender filled in: a second submit of the same form finds the first item.
    submit_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The last day a reminder about this item went out (the reminder task claims the day with a conditional update).
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "routing_due_at"]),
            models.Index(fields=["agency", "state", "answer_due_at"]),
            models.Index(fields=["procedure", "state"]),
            models.Index(fields=["sender", "-received_at"]),
            # The public list: published answers, newest first (in the list's own order), by agency or by field.
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(state="published"),
                name="feedback_published",
            ),
            models.Index(
                fields=["agency", "-published_at"],
                condition=models.Q(state="published"),
                name="feedback_published_agency",
            ),
            models.Index(
                fields=["field", "-published_at"],
                condition=models.Q(state="published"),
                name="feedback_published_field",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def due_at(self):
        """The deadline that runs now: routing before the item is routed, the answer after."""
        if self.state == self.State.RECEIVED:
            return self.routing_due_at
        if self.state in OPEN_STATES:
            return self.answer_due_at
        return None


S = Feedback.State
OPEN_STATES = frozenset({S.RECEIVED, S.ROUTED, S.ASSIGNED, S.DRAFTED, S.APPROVED, S.REOPENED})
ANSWERED_STATES = frozenset({S.ANSWERED, S.PUBLISHED})


class FeedbackAttachment(models.Model):
    """A file the sender attached, checked by content (PDF, JPEG, PNG) and stored under a random name."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to="feedback/%Y/%m/")
    display_name = models.CharField(_("tên tệp"), max_length=130)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.display_name


class FeedbackEvent(models.Model):
    """One step of an item's history: who, when, what; the sender sees the steps marked for them."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("bước"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    visible_to_sender = models.BooleanField(default=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bước xử lý phản ánh")
        verbose_name_plural = _("các bước xử lý phản ánh")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.feedback_id}: {self.action}"


class FeedbackDailyCounter(models.Model):
    """The last sequence number of an agency's feedback codes on one day (locked while a code is issued)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="unique_feedback_counter")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"


class FeedbackOutbox(models.Model):
    """A published answer owed to the national portal's feedback system, written in the same transaction as the
    publication; a worker drains it (``sent_at``), the idempotency key lets the receiver ignore a repeat."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="outbox")
    kind = models.CharField(max_length=20, default="published")
    payload = models.JSONField()
    idempotency_key = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Refused by the national portal (the reason in last_error): not sent again until someone looks at it.
    parked_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("phản ánh chờ gửi Cổng quốc gia")
        verbose_name_plural = _("phản ánh chờ gửi Cổng quốc gia")
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return self.idempotency_key
