"""A draft result sent to the province's document-management system for the leader's signature, and what came back."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SigningRequest(models.Model):
    class State(models.TextChoices):
        SENT = "sent", _("Đã trình ký, chờ lãnh đạo ký")
        SIGNED = "signed", _("Đã ký, đã đính kèm làm kết quả")

    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="signing_requests"
    )
    reference = models.CharField(_("mã yêu cầu"), max_length=60, unique=True)
    document_id = models.CharField(_("mã văn bản trên hệ thống QLVB"), max_length=60, unique=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.SENT)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    signer = models.CharField(_("người ký"), max_length=200, blank=True)
    signed_at = models.DateTimeField(_("ký lúc"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người trình"), on_delete=models.PROTECT, related_name="+"
    )
    result_file = models.ForeignKey(
        "dossiers.DossierFile",
        verbose_name=_("kết quả đã ký"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trình ký")
        verbose_name_plural = _("trình ký")
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return self.document_id
