"""Shipments with the public postal service: a result sent to the applicant (or a paper dossier collected), its
tracking number, fee and the statuses the service reported."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Shipment(models.Model):
    class Kind(models.TextChoices):
        RESULT = "result", _("Gửi kết quả cho người nộp")
        COLLECTION = "collection", _("Thu gom hồ sơ giấy")

    class Status(models.TextChoices):
        CREATED = "created", _("Đã tạo vận đơn, chờ bưu tá đến lấy")
        PICKED_UP = "picked_up", _("Bưu điện đã nhận")
        IN_TRANSIT = "in_transit", _("Đang vận chuyển")
        DELIVERED = "delivered", _("Đã phát thành công")
        RETURNED = "returned", _("Chuyển hoàn (không phát được)")

    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="shipments"
    )
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices, default=Kind.RESULT)
    tracking_number = models.CharField(_("số hiệu bưu gửi"), max_length=40, unique=True)
    fee = models.PositiveBigIntegerField(_("cước phí (đồng)"), default=0)
    address = models.CharField(_("địa chỉ nhận"), max_length=300)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.CREATED)
    history = models.JSONField(_("hành trình"), default=list)  # [[status, yyyyMMddHHmmss], ...] as reported
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(_("cập nhật lúc"), null=True, blank=True)

    FINAL = frozenset({Status.DELIVERED, Status.RETURNED})

    class Meta:
        verbose_name = _("bưu gửi")
        verbose_name_plural = _("bưu gửi")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "kind"], name="one_shipment_per_dossier_kind")
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.tracking_number


class Collection(models.Model):
    """A citizen's request that the postal service fetch the paper dossier from their address for the receiving
    agency (thu gom hồ sơ giấy). Chosen on the draft with the fee the service quoted, it becomes a collection
    shipment when the dossier is filed; while the service is down it waits and is tried again with growing delays
    (``postal/collections.py``), and a refusal of the request itself is kept with its reason for the staff."""

    class State(models.TextChoices):
        CHOSEN = "chosen", _("Đã chọn, chờ nộp hồ sơ")
        WAITING = "waiting", _("Chờ gửi yêu cầu tới bưu điện")
        MADE = "made", _("Bưu điện đã nhận yêu cầu thu gom")
        REFUSED = "refused", _("Bưu điện từ chối yêu cầu thu gom")
        CANCELLED = "cancelled", _("Không thu gom (hồ sơ đã kết thúc)")

    dossier = models.OneToOneField(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="collection"
    )
    address = models.CharField(_("địa chỉ lấy hồ sơ"), max_length=300)
    fee_quoted = models.PositiveBigIntegerField(_("cước phí báo trước (đồng)"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.CHOSEN)
    shipment = models.OneToOneField(
        Shipment,
        verbose_name=_("bưu gửi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collection",
    )
    chosen_at = models.DateTimeField(_("chọn lúc"), auto_now_add=True)
    filed_at = models.DateTimeField(_("nộp hồ sơ lúc"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần đã gửi"), default=0)
    # A reason code ("timeout", "http_503", "refused_100"…), the field the service named and its own message.
    last_error = models.CharField(_("lỗi gần nhất"), max_length=40, blank=True)
    error_field = models.CharField(_("trường bị từ chối"), max_length=60, blank=True)
    error_detail = models.CharField(_("chi tiết lỗi"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("yêu cầu thu gom hồ sơ giấy")
        verbose_name_plural = _("yêu cầu thu gom hồ sơ giấy")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="collection_due")]

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.state}"
