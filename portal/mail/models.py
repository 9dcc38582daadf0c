"""Mail waiting to go out, sent by a worker with retries, so that a mail server that is down loses nothing and makes
no page fail (``portal/mail/backends.py`` puts every message here)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingMail(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không được")

    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.QUEUED)
    # What the message is made of, to build it again for each try. The content (which may hold a sign-in or password
    # link) is emptied once the message is sent.
    subject = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    alternatives = models.JSONField(_("nội dung khác (HTML)"), default=list, blank=True)
    from_email = models.CharField(_("người gửi"), max_length=320)
    to = models.JSONField(_("người nhận"), default=list)
    cc = models.JSONField(default=list, blank=True)
    bcc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("thư đi")
        verbose_name_plural = _("thư đi")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=models.Q(state="queued"), name="outgoing_mail_due"
            ),
        ]

    def __str__(self) -> str:
        return self.subject
