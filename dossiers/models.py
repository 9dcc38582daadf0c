"""Dossiers (hồ sơ) and everything recorded about them: files, history, codes, national statuses, the outbox.

The workflow's rules live in ``dossiers/workflow.py`` (which state may go where, by which role) and
``dossiers/services.py`` (one function per transition). These models only hold state.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Dossier(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        SUBMITTED = "submitted", _("Chờ tiếp nhận")
        RECEIVED = "received", _("Đã tiếp nhận")
        REFUSED = "refused", _("Từ chối tiếp nhận")
        SUPPLEMENT = "supplement", _("Yêu cầu bổ sung")
        PROCESSING = "processing", _("Đang xử lý")
        CONSULTING = "consulting", _("Đang lấy ý kiến cơ quan khác")
        AWAITING_APPROVAL = "awaiting_approval", _("Chờ lãnh đạo phê duyệt")
        FINANCIAL = "financial", _("Chờ thực hiện nghĩa vụ tài chính")
        AWAITING_RETURN = "awaiting_return", _("Có kết quả, chờ trả")
        RETURNED = "returned", _("Đã trả kết quả")
        WITHDRAWN = "withdrawn", _("Công dân đã rút hồ sơ")
        STOPPED = "stopped", _("Dừng xử lý")

    class Channel(models.IntegerChoices):
        DIRECT = 1, _("Trực tiếp")
        ONLINE = 2, _("Trực tuyến")
        POSTAL = 3, _("Bưu chính công ích")
        # Filed on the national public-service portal and pulled here (dossiers/national/incoming.py).
        NATIONAL_PORTAL = 4, _("Cổng DVCQG")

    class ApplicantKind(models.IntegerChoices):
        CITIZEN = 1, _("Công dân")
        BUSINESS = 2, _("Doanh nghiệp")
        STATE_BODY = 3, _("Cơ quan nhà nước")
        OTHER = 4, _("Tổ chức khác")

    class Delivery(models.TextChoices):
        OFFICE = "office", _("Nhận tại nơi nộp hồ sơ")
        POST = "post", _("Nhận qua bưu chính")

    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True, null=True, blank=True)
    procedure = models.ForeignKey("catalog.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT)
    # The composite indexes in Meta start with these columns, so the single-column ones would only cost writes.
    receiving_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("nơi tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    handling_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan giải quyết"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người nộp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        db_index=False,
    )
    applicant_kind = models.PositiveSmallIntegerField(
        _("loại chủ hồ sơ"), choices=ApplicantKind.choices, default=ApplicantKind.CITIZEN
    )
    applicant_name = models.CharField(_("chủ hồ sơ"), max_length=200)
    applicant_id_number = models.CharField(_("số định danh / mã số thuế"), max_length=20, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    channel = models.PositiveSmallIntegerField(_("kênh nộp"), choices=Channel.choices, default=Channel.ONLINE)
    state = models.CharField(_("trạng thái"), max_length=20, choices=State.choices, default=State.DRAFT)
    delivery = models.CharField(
        _("hình thức nhận kết quả"), max_length=10, choices=Delivery.choices, default=Delivery.OFFICE
    )
    delivery_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=300, blank=True)
    # Optimistic lock: every transition checks and increments it, so of two officers acting at once one wins and
    # the other is told the dossier changed under them.
    version = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(_("ngày nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("ngày hẹn trả ban đầu"), null=True, blank=True)
    due_reset = models.BooleanField(_("đã gia hạn (xin lỗi, hẹn lại)"), default=False)
    paused_at = models.DateTimeField(_("tạm dừng tính thời hạn từ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("ngày có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["applicant", "-created_at"]),
            models.Index(fields=["receiving_agency", "state", "due_at"]),
            models.Index(fields=["handling_agency", "state", "due_at"]),
            models.Index(fields=["state", "due_at"]),
            # The yearly tracking book (Mẫu 06) and the receipt's line number count a unit's receptions in order.
            models.Index(fields=["receiving_agency", "received_at", "id"]),
        ]

    def __str__(self) -> str:
        return self.code or f"Bản nháp #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("dossiers:citizen_detail", args=[self.pk])


class DossierFile(models.Model):
    """A stored file of a dossier: an application document, a supplement, a generated form or a result."""

    class Kind(models.TextChoices):
        APPLICATION = "application", _("Thành phần hồ sơ")
        SUPPLEMENT = "supplement", _("Hồ sơ bổ sung")
        FORM = "form", _("Biểu mẫu, phiếu")
        RESULT = "result", _("Kết quả giải quyết")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices, default=Kind.APPLICATION)
    requirement = models.ForeignKey(
        "catalog.RequiredDocument",
        verbose_name=_("thành phần"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    label = models.CharField(_("tên giấy tờ"), max_length=500)
    file = models.FileField(_("tệp"), upload_to="dossiers/%Y/%m/", max_length=300)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    form_code = models.CharField(_("mẫu"), max_length=10, blank=True, help_text="01–06 for generated forms")
    vault_document = models.ForeignKey(
        "dossiers.VaultDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="reuses"
    )
    # A result document is the officers' draft until the leader approves it; the applicant sees it only once it is
    # approved and the dossier is returned (``access.dossier_files_visible_to``).
    approved_at = models.DateTimeField(_("thời điểm phê duyệt"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = _("tệp hồ sơ")
        ordering = ["dossier", "created_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_draft_result(self) -> bool:
        return self.kind == self.Kind.RESULT and self.approved_at is None


class VaultDocument(models.Model):
    """A document in a citizen's store (kho dữ liệu điện tử, Decree 45/2020), reused instead of uploading again."""

    class Source(models.TextChoices):
        UPLOADED = "uploaded", _("Công dân tải lên")
        DIGITISED = "digitised", _("Số hóa tại bộ phận một cửa")
        RESULT = "result", _("Kết quả giải quyết TTHC")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vault_documents"
    )
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices, default=Source.UPLOADED)
    doc_type = models.CharField(_("loại giấy tờ"), max_length=300)
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    issuer = models.CharField(_("cơ quan cấp"), max_length=200, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    valid_until = models.DateField(_("có giá trị đến"), null=True, blank=True)
    file = models.FileField(_("tệp"), upload_to="vault/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giấy tờ trong kho dữ liệu")
        verbose_name_plural = _("kho dữ liệu công dân")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.doc_type


class DossierEvent(models.Model):
    """One step of the dossier's history: the process control slip (Mẫu 05) is printed from these rows."""

    class Outcome(models.TextChoices):
        EARLY = "early", _("Trước hạn")
        ON_TIME = "on_time", _("Đúng hạn")
        LATE = "late", _("Quá hạn")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=30)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    # Who acted, as a code ("applicant" or a User.Role value) rendered in the reader's language; the job title is
    # what an administrator typed for the officer, kept as typed for the printed slip (Mẫu 05).
    actor_role = models.CharField(_("vai trò người thực hiện"), max_length=20, blank=True)
    actor_title = models.CharField(_("chức danh"), max_length=120, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField("thời điểm")
    # Only what a person typed (a reason, a question, a note); what the system knows is in ``params`` (agency ids,
    # items, dates) and the sentence is rendered from the action and them (``dossiers/wording.py``).
    note = models.TextField(_("nội dung"), blank=True)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    step_deadline = models.DateTimeField(_("hạn xử lý bước"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices, blank=True)
    visible_to_applicant = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("quá trình xử lý")
        ordering = ["dossier", "at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class SupplementRequest(models.Model):
    """A request to the applicant listing everything missing (Mẫu 02); the clock stops until it is answered."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    items = models.JSONField(_("giấy tờ cần bổ sung"), default=list)
    reason = models.TextField("lý do")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        ordering = ["dossier", "requested_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.requested_at:%Y-%m-%d}"


class Consultation(models.Model):
    """The handling agency asks another agency's opinion (an inter-agency step with its own deadline).

    While it is open, the handling officers of the consulted agency see the dossier and its files and may answer;
    it closes when answered (by them, or recorded by the handler from a reply on paper) or when the dossier leaves
    the consulting state otherwise (withdrawn, stopped).
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="consultations")
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan được lấy ý kiến"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    question = models.TextField("nội dung xin ý kiến")
    reply_by = models.DateTimeField("hạn trả lời")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asked_at = models.DateTimeField("thời điểm xin ý kiến")
    answer = models.TextField(_("ý kiến trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lấy ý kiến phối hợp")
        verbose_name_plural = _("lấy ý kiến phối hợp")
        ordering = ["dossier", "asked_at"]
        indexes = [
            models.Index(
                fields=["agency", "dossier"],
                condition=models.Q(closed_at__isnull=True),
                name="consultation_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.agency_id} {self.asked_at:%Y-%m-%d}"


class ProcedureFilingRule(models.Model):
    """How online filing treats one procedure, set by an administrator: whether a dossier may be submitted with
    required documents missing (the applicant then completes it at reception). Without a rule, it may not."""

    procedure = models.OneToOneField(
        "catalog.Procedure", verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="+"
    )
    incomplete_allowed = models.BooleanField(
        _("cho phép nộp khi còn thiếu giấy tờ"),
        default=False,
        help_text=_(
            "Người nộp được cảnh báo và phải xác nhận; giấy tờ còn thiếu được bổ sung khi tiếp nhận."
        ),
    )
    required_documents = models.ManyToManyField(
        "catalog.RequiredDocument",
        verbose_name=_("giấy tờ bắt buộc"),
        blank=True,
        related_name="+",
        help_text=_(
            "Để trống: giấy tờ bắt buộc được xác định từ cách ghi của danh mục (“Trường hợp…”, “nếu có”, "
            "“Lưu ý”, “xuất trình”). Chọn khi cách ghi đó sai với thủ tục này."
        ),
    )
    note = models.TextField(_("ghi chú, căn cứ"), blank=True)

    class Meta:
        verbose_name = _("quy định nộp trực tuyến của thủ tục")
        verbose_name_plural = _("quy định nộp trực tuyến của thủ tục")

    def __str__(self) -> str:
        return str(self.procedure_id)


class FormRequest(models.Model):
    """A printed form (Mẫu 01–05) a step asked for, written in the same transaction as the step: a worker renders it
    and marks it done; one that is still not done after a while (the broker or the worker was down) is handed to the
    workers again by ``tasks.follow_up_sweep``."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="form_requests")
    form_code = models.CharField(_("mẫu"), max_length=2)
    requested_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("thời điểm lập"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("yêu cầu lập biểu mẫu")
        verbose_name_plural = _("yêu cầu lập biểu mẫu")
        indexes = [
            models.Index(
                fields=["requested_at"],
                condition=models.Q(rendered_at__isnull=True),
                name="form_request_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.form_code}"


class DailyCounter(models.Model):
    """The last sequence number used by a receiving unit on a day, locked while a code is issued."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="unique_counter_per_agency_day")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} {self.last}"


class NationalStatus(models.Model):
    """How a local state maps to the national portal's dossier status (1–10); a table, so it can be corrected."""

    state = models.CharField(
        _("trạng thái nội bộ"), max_length=20, unique=True, choices=Dossier.State.choices
    )
    code = models.PositiveSmallIntegerField("mã trạng thái DVCQG")
    name = models.CharField(_("tên trạng thái DVCQG"), max_length=120)

    class Meta:
        verbose_name = _("trạng thái DVCQG")
        verbose_name_plural = _("bảng ánh xạ trạng thái DVCQG")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OutboxEvent(models.Model):
    """A change that must reach the national portal, written in the same transaction as the change itself and sent
    by ``dossiers/national/outbox.py``: in order per dossier, once in effect (its idempotency key), retried with
    backoff while the failure is temporary, parked with its reason when the portal refuses it."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        PARKED = "parked", _("Bị từ chối, chờ xử lý")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="outbox")
    event = models.ForeignKey(DossierEvent, on_delete=models.CASCADE, related_name="+")
    national_status = models.PositiveSmallIntegerField()
    # What was last sent (or tried), kept for the staff page and for an inquiry from the national portal.
    payload = models.JSONField(default=dict)
    state = models.CharField(_("trạng thái gửi"), max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    parked_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A reason code ("timeout", "http_503", "validation"…), the field the portal named and its own message.
    last_error = models.CharField(_("lỗi gần nhất"), max_length=40, blank=True)
    error_field = models.CharField(_("trường bị từ chối"), max_length=60, blank=True)
    error_detail = models.CharField(_("chi tiết lỗi"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("sự kiện chờ đồng bộ")
        verbose_name_plural = _("hàng đợi đồng bộ DVCQG")
        indexes = [
            models.Index(fields=["state", "next_attempt_at", "id"], name="outbox_due"),
            models.Index(fields=["dossier", "state", "id"], name="outbox_dossier_order"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.national_status}"


class ProcedureNationalSync(models.Model):
    """That a procedure's online dossiers are synchronised with the national portal, since when: the coverage the
    plan counts (30 % in the first year, 20 points more each year). Kept by province admins."""

    procedure = models.OneToOneField(
        "catalog.Procedure", verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="national_sync"
    )
    synced_since = models.DateField(_("đồng bộ từ ngày"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thủ tục đồng bộ DVCQG")
        verbose_name_plural = _("thủ tục đồng bộ DVCQG")

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.synced_since}"


class IncomingDossier(models.Model):
    """A dossier filed on the national portal, as pulled: taken into a reception queue, refused with a reason, or
    waiting for another try (its documents could not be fetched). One row per national code."""

    class Outcome(models.TextChoices):
        TAKEN = "taken", _("Đã nhận vào hàng đợi")
        REFUSED = "refused", _("Không nhận")
        WAITING = "waiting", _("Chờ thử lại")

    class Reason(models.TextChoices):
        UNKNOWN_PROCEDURE = "unknown_procedure", _("Mã thủ tục không có trong danh mục của tỉnh")
        UNKNOWN_AGENCY = "unknown_agency", _("Không xác định được nơi tiếp nhận")
        MISSING = "missing", _("Thiếu thông tin bắt buộc")
        DOCUMENT = "document", _("Giấy tờ đính kèm không hợp lệ")
        UNREACHABLE = "unreachable", _("Không tải được giấy tờ đính kèm")

    national_code = models.CharField(_("mã hồ sơ trên Cổng DVCQG"), max_length=100, unique=True)
    dossier = models.OneToOneField(
        Dossier, on_delete=models.SET_NULL, null=True, blank=True, related_name="national_origin"
    )
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(_("lý do"), max_length=20, choices=Reason.choices, blank=True)
    # The field or file the reason is about, as the record named it (no personal data).
    detail = models.CharField(_("chi tiết"), max_length=300, blank=True)
    record = models.JSONField(default=dict)
    attempts = models.PositiveSmallIntegerField(default=0)
    filed_at = models.DateTimeField(_("ngày nộp trên Cổng DVCQG"), null=True, blank=True)
    pulled_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ nhận từ Cổng DVCQG")
        verbose_name_plural = _("hồ sơ nhận từ Cổng DVCQG")
        indexes = [models.Index(fields=["outcome", "updated_at"], name="incoming_outcome")]

    def __str__(self) -> str:
        return self.national_code


class Notification(models.Model):
    """A message to a user about one of their dossiers, shown in their inbox and sent by their chosen channels."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notifications", null=True)
    # What happened, as a code and its parameters, rendered in the reader's language (``dossiers/wording.py``).
    # ``title``/``body`` hold the text of notifications written before codes were stored, and stay empty after.
    kind = models.CharField(_("loại thông báo"), max_length=40, blank=True)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)  # handed to the mail outbox (portal/mail)
    sms_sent_at = models.DateTimeField(null=True, blank=True)
    # A channel that refused for good (an SMS gateway's permanent refusal): recorded, shown to staff, not retried.
    delivery_error = models.TextField(_("lỗi gửi"), blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            # The follow-up sweep looks at the notifications of the last days only.
            models.Index(fields=["created_at"], name="notification_created"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def subject(self) -> str:
        """The title in the active language."""
        from dossiers.wording import notification_subject

        return notification_subject(self)

    @property
    def message(self) -> str:
        """The body in the active language."""
        from dossiers.wording import notification_message

        return notification_message(self)

    @property
    def link(self) -> str:
        """Where the notification leads: an officer's work page for news of their queue, else the dossier's page."""
        if self.dossier_id is None:
            return ""
        name = "dossiers:officer_dossier" if self.kind.startswith("work:") else "dossiers:citizen_detail"
        return reverse(name, args=[self.dossier_id])


class PopulationCheck(models.Model):
    """What the national population database said about a dossier's applicant, asked with their consent for the
    personal id their sign-on gave: the registered record, which of the dossier's fields matched it, and where what
    the applicant typed differed (kept as typed, never replaced without their say)."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="population_check"
    )
    personal_id = models.CharField(_("số định danh đã tra cứu"), max_length=12)
    consent_at = models.DateTimeField(_("đồng ý tra cứu lúc"))
    checked_at = models.DateTimeField(_("xác thực lúc"))
    registered = models.JSONField(_("thông tin trong CSDL quốc gia về dân cư"), default=dict)
    verified_fields = models.JSONField(_("trường đã xác thực"), default=list)
    mismatches = models.JSONField(_("khác với CSDL"), default=list)

    class Meta:
        verbose_name = _("xác thực CSDL quốc gia về dân cư")
        verbose_name_plural = _("xác thực CSDL quốc gia về dân cư")

    def __str__(self) -> str:
        return f"{self.dossier} · {self.checked_at:%d/%m/%Y %H:%M}"
