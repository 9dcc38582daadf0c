"""Summary tables of the public statistics (DOMAIN.md §8), kept up to date as dossiers change (``receivers.py``) and
rebuilt from scratch by ``manage.py rebuild_statistics``. Pages read only these, never the dossier table.

The grain is a calendar month. ``MonthFigure`` holds, per month and key (procedure, field, agency, commune-level unit,
channel), counts of what happened that month — received, resolved early / on time / late, closed otherwise (withdrawn,
stopped, refused after reception) — and ``overdue_change``: +1 in the month a still-unresolved dossier's due date
passes, −1 in the month it is finally resolved or closed. So, for the moment a month ends:

- pending = Σ over months up to it of (received − resolved − closed);
- pending past the deadline = Σ over months up to it of ``overdue_change``; within the deadline = the difference.

``DossierFact`` remembers what each dossier contributed, so a change (a transfer to another agency, a new due date)
removes the old contribution and adds the new one. Keys hold plain ids (0 when unknown), not foreign keys: the
statistics outlive a renamed or removed agency and need no join to be counted.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthFigure(models.Model):
    month = models.DateField(_("tháng"))  # the first day of the month
    procedure_id = models.IntegerField()
    field_id = models.IntegerField()
    agency_id = models.IntegerField()
    unit_id = models.IntegerField()
    channel = models.PositiveSmallIntegerField()
    received = models.IntegerField(default=0)
    early = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    overdue_change = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tháng")
        verbose_name_plural = _("số liệu tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "procedure_id", "field_id", "agency_id", "unit_id", "channel"],
                name="month_figure_key",
            )
        ]
        indexes = [
            models.Index(fields=["procedure_id", "month"], name="month_figure_procedure"),
            models.Index(fields=["agency_id", "month"], name="month_figure_agency"),
            models.Index(fields=["unit_id", "month"], name="month_figure_unit"),
            models.Index(fields=["field_id", "month"], name="month_figure_field"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.procedure_id}/{self.agency_id}/{self.unit_id}/{self.channel}"


class ProcessingTime(models.Model):
    """How many dossiers of a procedure resolved in a month took ``days`` working days (rounded up) from reception to
    result: a histogram, from which the median and the 90th percentile are read."""

    month = models.DateField()
    procedure_id = models.IntegerField()
    days = models.IntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["procedure_id", "month", "days"], name="processing_time_key")
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.month:%m/%Y} {self.days}: {self.count}"


class DossierFact(models.Model):
    """What one received dossier contributes to the tables above, as last counted."""

    dossier_id = models.BigIntegerField(primary_key=True)
    procedure_id = models.IntegerField()
    field_id = models.IntegerField()
    agency_id = models.IntegerField()
    unit_id = models.IntegerField()
    channel = models.PositiveSmallIntegerField()
    received_month = models.DateField()
    # The month it was resolved or closed, and how ("early", "on_time", "late" or "closed"); empty while pending.
    end_month = models.DateField(null=True)
    end_kind = models.CharField(max_length=8, blank=True)
    # The first month at whose end it is pending past its due date (null: never, as far as is known now).
    overdue_month = models.DateField(null=True)
    working_days = models.IntegerField(null=True)

    def __str__(self) -> str:
        return f"{self.dossier_id}"
