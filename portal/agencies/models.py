from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.converters import code_url


class Agency(models.Model):
    """A state body that receives or handles dossiers, identified by its QCVN 102:2016 code."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("UBND tỉnh")
        SERVICE_CENTRE = "service_centre", _("Trung tâm Phục vụ hành chính công")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        CENTRAL = "central", _("Cơ quan ngành dọc")
        COMMUNE = "commune", _("UBND xã, phường, đặc khu")

    code = models.CharField(
        _("mã định danh"),
        max_length=20,
        unique=True,
        help_text=_("Theo QCVN 102:2016/BTTTT, ví dụ 000.00.00.H56."),
    )
    name = models.CharField(_("tên cơ quan"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        "territory.AdministrativeUnit",
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        related_name="agencies",
        null=True,
        blank=True,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    website = models.URLField(_("trang thông tin"), blank=True)
    # Routing rules for the procedure import (see agencies/data/<province>.json); plain lists of words.
    agency_keywords = models.JSONField(_("từ khóa cơ quan thực hiện"), default=list, blank=True)
    field_keywords = models.JSONField(_("từ khóa lĩnh vực"), default=list, blank=True)
    ministries = models.JSONField(_("bộ ngành chủ quản"), default=list, blank=True)
    needs_verification = models.BooleanField(
        _("cần xác minh"), default=False, help_text=_("Tên hoặc mã lấy từ nguồn thứ cấp, cần tỉnh xác nhận.")
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return code_url("catalog:agency_detail", self.code)
