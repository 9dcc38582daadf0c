from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class FaqEntry(models.Model):
    """One question and its answer (câu hỏi thường gặp), kept by an agency or, without one, for the whole province."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        REVIEW = "review", _("Chờ duyệt")
        PUBLISHED = "published", _("Đã đăng")

    question = models.CharField(_("câu hỏi"), max_length=500)
    answer = models.TextField(_("trả lời"))
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="faq_entries",
        null=True,
        blank=True,
        help_text=_("Để trống: áp dụng cho toàn tỉnh."),
    )
    field = models.ForeignKey(
        "catalog.Field",
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        related_name="faq_entries",
        null=True,
        blank=True,
    )
    procedures = models.ManyToManyField(
        "catalog.Procedure", verbose_name=_("thủ tục liên quan"), related_name="faq_entries", blank=True
    )
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT)
    external_id = models.CharField(
        _("mã ngoài"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Cột id của tệp nhập: nhập lại cùng mã thì cập nhật, không tạo bản trùng."),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lần cuối"), auto_now=True)

    class Meta:
        verbose_name = _("câu hỏi thường gặp")
        verbose_name_plural = _("câu hỏi thường gặp")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["state", "agency"]),
            models.Index(fields=["state", "field"]),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("faq:entry", args=[self.pk])


class PendingQuestion(models.Model):
    """A question the service could not answer, or whose answer a visitor found not helpful: waits for an admin."""

    class Reason(models.TextChoices):
        UNANSWERED = "unanswered", _("Chưa trả lời được")
        NOT_HELPFUL = "not_helpful", _("Trả lời chưa hữu ích")

    class Status(models.TextChoices):
        OPEN = "open", _("Chờ xử lý")
        ANSWERED = "answered", _("Đã thành câu hỏi thường gặp")
        DISMISSED = "dismissed", _("Bỏ qua")

    text = models.TextField(_("câu hỏi"))
    folded = models.CharField(_("dạng so khớp"), max_length=64, db_index=True)
    reason = models.CharField(_("lý do"), max_length=12, choices=Reason.choices)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.OPEN)
    times_asked = models.PositiveIntegerField(_("số lần hỏi"), default=1)
    shown_entry = models.ForeignKey(
        FaqEntry,
        verbose_name=_("câu trả lời đã hiện"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entry = models.ForeignKey(
        FaqEntry,
        verbose_name=_("câu hỏi thường gặp đã tạo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pending_sources",
    )
    created_at = models.DateTimeField(_("lần hỏi đầu"), auto_now_add=True)
    updated_at = models.DateTimeField(_("lần hỏi gần nhất"), auto_now=True)

    class Meta:
        verbose_name = _("câu hỏi chờ trả lời")
        verbose_name_plural = _("câu hỏi chờ trả lời")
        ordering = ["-times_asked", "-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["folded", "reason"],
                condition=models.Q(status="open"),
                name="faq_pending_one_open_per_question",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]
