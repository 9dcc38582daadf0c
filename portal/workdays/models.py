from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Holiday(models.Model):
    """A public holiday (ngày nghỉ lễ, Tết): no deadline counts it, whatever the weekday."""

    class Source(models.TextChoices):
        SEEDED = "seeded", "Nạp từ lịch nghỉ lễ quốc gia"
        ADMIN = "admin", "Quản trị viên nhập"

    date = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên ngày lễ"), max_length=200)
    # `seed_holidays` refreshes its own rows and never touches a row an administrator entered or edited.
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices, default=Source.ADMIN)

    class Meta:
        verbose_name = _("ngày nghỉ lễ")
        verbose_name_plural = _("ngày nghỉ lễ")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class CalendarException(models.Model):
    """A day the province works differently from the usual week; it overrides weekends and holidays alike."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", "Nghỉ bù (ngày thường không làm việc)"
        WORKING_DAY = "working_day", "Làm bù (thứ Bảy, Chủ nhật có làm việc)"

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ bù, làm bù")
        verbose_name_plural = _("ngày nghỉ bù, làm bù")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"

    def clean(self):
        if self.date is None:
            return
        weekend = self.date.weekday() >= 5
        if self.kind == self.Kind.DAY_OFF and weekend:
            raise ValidationError({"kind": "Thứ Bảy, Chủ nhật vốn là ngày nghỉ: không cần nghỉ bù."})
        # A make-up working day is a weekend day, or a holiday the province works after all (a seeded holiday
        # that is wrong is cancelled this way: deleting it would bring it back at the next seeding).
        if (
            self.kind == self.Kind.WORKING_DAY
            and not weekend
            and not Holiday.objects.filter(date=self.date).exists()
        ):
            raise ValidationError({"kind": "Ngày này vốn là ngày làm việc: không cần làm bù."})


class Outcome(models.TextChoices):
    """How a step or a dossier finished against its deadline (Mẫu 05, Mẫu 06). Not a table: a vocabulary."""

    EARLY = "early", "Trước hạn"
    ON_TIME = "on_time", "Đúng hạn"
    LATE = "late", "Quá hạn"
