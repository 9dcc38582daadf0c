from django.db import models
from django.utils.translation import gettext_lazy as _


class AdministrativeUnit(models.Model):
    """A province, (former) district or commune-level unit, as a tree whose depth comes from the data."""

    class Kind(models.TextChoices):
        PROVINCE = "province", "Tỉnh/Thành phố"
        DISTRICT = "district", "Quận/Huyện (cũ)"
        COMMUNE = "commune", "Xã/Phường/Đặc khu"

    code = models.CharField(_("mã"), max_length=10, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    full_name = models.CharField(_("tên đầy đủ"), max_length=160)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=120, blank=True)
    full_name_en = models.CharField(_("tên đầy đủ tiếng Anh"), max_length=200, blank=True)
    kind = models.CharField(_("cấp"), max_length=10, choices=Kind.choices)
    unit_type = models.CharField(_("loại đơn vị"), max_length=60, help_text=_("Tỉnh, Phường, Xã, Đặc khu…"))
    unit_type_en = models.CharField(_("loại đơn vị (tiếng Anh)"), max_length=60, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "kind"])]

    def __str__(self) -> str:
        return self.full_name
