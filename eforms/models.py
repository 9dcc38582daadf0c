"""Electronic declaration forms (tờ khai điện tử): a procedure's form as versioned data, and the answers a citizen
types into it for one dossier draft."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormDefinition(models.Model):
    """One version of a procedure's declaration form. A version is never edited once saved: a change is a new
    version, so an answer set keeps the exact form it was started (and filed) with."""

    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.PROTECT,
        related_name="eform_definitions",
    )
    version = models.PositiveIntegerField(_("phiên bản"))
    title = models.CharField(_("tên tờ khai"), max_length=300)
    schema = models.JSONField(_("định nghĩa (JSON)"))
    is_current = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("tờ khai điện tử")
        verbose_name_plural = _("tờ khai điện tử")
        ordering = ["procedure__code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "version"], name="eform_one_row_per_version"),
            models.UniqueConstraint(
                fields=["procedure"], condition=models.Q(is_current=True), name="eform_one_current_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class AnswerSet(models.Model):
    """What the applicant typed into the declaration of one dossier, saved section by section on the server (so it
    resumes on another device), tied to the definition version they started with."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="eform_answers"
    )
    definition = models.ForeignKey(
        FormDefinition,
        verbose_name=_("phiên bản tờ khai"),
        on_delete=models.PROTECT,
        related_name="answer_sets",
    )
    answers = models.JSONField(_("câu trả lời"), default=dict)
    sections_done = models.JSONField(_("các phần đã hoàn thành"), default=list)
    completed_at = models.DateTimeField(_("hoàn tất lúc"), null=True, blank=True)
    file_id = models.BigIntegerField(_("tệp tờ khai trong hồ sơ"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    # The shown answers folded for the officers' queue search (eforms/search.py); trigram-indexed on PostgreSQL.
    search_text = models.TextField(_("nội dung để tìm kiếm"), blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("câu trả lời tờ khai")
        verbose_name_plural = _("câu trả lời tờ khai")

    def __str__(self) -> str:
        return f"{self.definition} – {self.dossier_id}"
