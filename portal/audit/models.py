from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One security event (sign-in, role change, identity link…): who, whom, when, from where, in which request.

    Written only through ``portal.audit.log``, which scrubs personal id numbers from ``username`` and ``details``.
    Rows are never edited; the Django admin shows them read-only to province administrators.
    """

    class Event(models.TextChoices):
        SIGN_IN = "sign_in", "Đăng nhập"
        SIGN_IN_FAILED = "sign_in_failed", "Đăng nhập không thành công"
        SIGN_IN_THROTTLED = "sign_in_throttled", "Tạm chặn đăng nhập vì thử quá nhiều lần"
        SIGN_OUT = "sign_out", "Đăng xuất"
        MFA_ENROLLED = "mfa_enrolled", "Đăng ký xác thực hai lớp"
        MFA_RESET = "mfa_reset", "Tạo lại mã khôi phục"
        MFA_REMOVED = "mfa_removed", "Gỡ xác thực hai lớp"
        MFA_FAILED = "mfa_failed", "Xác thực hai lớp không thành công"
        ROLE_CHANGED = "role_changed", "Đổi vai trò"
        MEMBERSHIP_CHANGED = "membership_changed", "Đổi cơ quan công tác"
        SSO_LINKED = "sso_linked", "Liên kết tài khoản định danh quốc gia"
        SSO_UNLINKED = "sso_unlinked", "Gỡ liên kết tài khoản định danh quốc gia"
        PASSWORD_CHANGED = "password_changed", "Đổi mật khẩu"
        PASSWORD_RESET = "password_reset", "Đặt lại mật khẩu"
        ACCOUNT_EXPORT = "account_export", "Xuất dữ liệu cá nhân"
        ACCOUNT_DELETION_REQUESTED = "account_deletion_requested", "Yêu cầu xóa tài khoản"
        STAFF_CREATED = "staff_created", "Tạo tài khoản cán bộ"

    time = models.DateTimeField(_("thời điểm"), default=timezone.now)
    event = models.CharField(_("sự kiện"), max_length=40, choices=Event.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_actions",
        help_text=_("Người đã làm thay đổi (ví dụ quản trị viên đổi vai trò), khi khác người dùng."),
    )
    # The name typed at a failed sign-in, when no account matched it (scrubbed like the details).
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    request_id = models.CharField(_("mã yêu cầu"), max_length=64, blank=True)
    details = models.JSONField(_("chi tiết"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("sự kiện bảo mật")
        verbose_name_plural = _("nhật ký bảo mật")
        ordering = ["-time", "-pk"]
        indexes = [
            models.Index(fields=["user", "time"], name="audit_user_time"),
            models.Index(fields=["event", "time"], name="audit_event_time"),
            models.Index(fields=["time"], name="audit_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} · {self.time:%d/%m/%Y %H:%M:%S}"
