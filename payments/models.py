"""Online payments of a dossier's fees through the national payment platform, every notification the portal got
(accepted or refused, with why), and what the nightly reconciliation found different."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Payment(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Chờ thanh toán")
        PAID = "paid", _("Đã thanh toán")

    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="payments"
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thanh toán"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    order_id = models.CharField(_("mã đơn thanh toán"), max_length=40, unique=True)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    description = models.CharField(_("nội dung"), max_length=300)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.PENDING)
    transaction_id = models.CharField(_("mã giao dịch"), max_length=60, blank=True)
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thanh toán trực tuyến")
        verbose_name_plural = _("thanh toán trực tuyến")
        indexes = [models.Index(fields=["dossier", "-created_at"]), models.Index(fields=["paid_at"])]

    def __str__(self) -> str:
        return self.order_id


class PaymentNotice(models.Model):
    """One notification received from the platform, kept whatever its fate: a forged or replayed one is evidence."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Đã ghi nhận")
        DUPLICATE = "duplicate", _("Trùng, đã ghi nhận trước đó")
        REFUSED = "refused", _("Từ chối")

    class Reason(models.TextChoices):
        NONE = "", "—"
        SIGNATURE = "signature", _("Chữ ký không hợp lệ")
        MALFORMED = "malformed", _("Nội dung không đọc được")
        UNKNOWN_ORDER = "unknown_order", _("Không có đơn thanh toán này")
        WRONG_AMOUNT = "wrong_amount", _("Số tiền không khớp")
        OTHER_DOSSIER = "other_dossier", _("Đơn thanh toán thuộc hồ sơ khác")
        MERCHANT = "merchant", _("Sai mã đơn vị thanh toán")
        NOT_PAID = "not_paid", _("Giao dịch không thành công")

    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)
    order_id = models.CharField(_("mã đơn (như nhận được)"), max_length=100, blank=True, db_index=True)
    payment = models.ForeignKey(
        Payment,
        verbose_name=_("thanh toán"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
    )
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(_("lý do"), max_length=20, choices=Reason.choices, blank=True)
    body = models.JSONField(_("nội dung nhận được"), default=dict)
    remote_addr = models.GenericIPAddressField(_("địa chỉ gửi"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo thanh toán")
        verbose_name_plural = _("thông báo thanh toán")
        indexes = [models.Index(fields=["-received_at"])]

    def __str__(self) -> str:
        return f"{self.order_id or '?'} · {self.outcome}"


class PaymentDiscrepancy(models.Model):
    """A difference between the portal's payments and the platform's list for one day, for staff to look into."""

    class Kind(models.TextChoices):
        MISSING_HERE = "missing_here", _("Nền tảng có giao dịch, Cổng chưa ghi nhận")
        MISSING_THERE = "missing_there", _("Cổng ghi nhận, nền tảng không có giao dịch")
        AMOUNT = "amount", _("Số tiền khác nhau")

    day = models.DateField(_("ngày đối soát"))
    order_id = models.CharField(_("mã đơn thanh toán"), max_length=100)
    kind = models.CharField(_("loại chênh lệch"), max_length=15, choices=Kind.choices)
    portal_amount = models.PositiveBigIntegerField(_("số tiền trên Cổng"), null=True, blank=True)
    platform_amount = models.PositiveBigIntegerField(_("số tiền trên nền tảng"), null=True, blank=True)
    found_at = models.DateTimeField(_("phát hiện lúc"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("đã xử lý lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("chênh lệch đối soát")
        verbose_name_plural = _("chênh lệch đối soát")
        constraints = [
            models.UniqueConstraint(fields=["day", "order_id", "kind"], name="unique_payment_discrepancy")
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.order_id} {self.kind}"


class RefusedPaymentRequest(models.Model):
    """A signed-in person's request to pay a dossier that is not theirs to pay (another person's, or one that does
    not exist), or to come back from the platform with another person's order. They are answered as if it did not
    exist; it is kept here for the staff, as the refused notifications are: who, which dossier, when, from where."""

    class Reason(models.TextChoices):
        ABSENT = "absent", _("Không có hồ sơ này")
        OTHERS = "others", _("Hồ sơ của người khác")
        OTHERS_ORDER = "others_order", _("Đơn thanh toán của người khác")

    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reason = models.CharField(_("lý do"), max_length=15, choices=Reason.choices)
    # The number in the address as asked (None when it is past any dossier's), and the code of that dossier if any.
    dossier_pk = models.PositiveBigIntegerField(_("số hồ sơ trong đường dẫn"), null=True, blank=True)
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=40, blank=True)
    order_id = models.CharField(_("mã đơn thanh toán"), max_length=100, blank=True)
    remote_addr = models.GenericIPAddressField(_("địa chỉ gửi"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu thanh toán bị từ chối")
        verbose_name_plural = _("yêu cầu thanh toán bị từ chối")
        indexes = [models.Index(fields=["-at"], name="refused_payment_request_at")]

    def __str__(self) -> str:
        return f"{self.dossier_code or self.dossier_pk or self.order_id} · {self.reason}"
