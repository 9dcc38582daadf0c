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
