"""Summary tables of the public statistics (DOMAIN.md §8), kept up to date as dossiers change (``receivers.py``) and
rebuilt from scratch by ``manage.py rebuild_statistics``. Pages read only these, never the dossier table.

The grain is a calendar month. ``MonthFigure`` holds, per month and key (procedure, field, agency, commune-level unit,
channel), counts of what happened that month — received, resolved early / on time / late, closed otherwise (withdrawn,
stopped, refused after reception) — and ``overdue_change``: +1 in the month a still-unresolved dossier's due date
passes, −1 in the month it is finally resolved or closed. So, for the moment a month ends:

- pending = Σ over months up to it of (received − resolved − closed);
- pending past the deadline = Σ over months up to it of ``overdue_change``; within the deadline = the difference
  (for a moment still to come, the dossiers pending now and not yet due, ``PendingDue``, are taken off: overdue is
  judged as of now).

Also per month and key: dossiers with a fee, paid online, digitised (in the month received), and ratings with their
answers (in the month rated); see ``facts.py``.

``Rollup`` holds the same columns summed per field, agency, commune-level unit, procedure or the whole province
(``dim``), per channel, by month and by calendar year: a page filtered by at most one of them reads a few hundred of
its rows instead of the detailed table's history. ``PendingDue`` counts the dossiers pending now by the day they are
due, with the same ``dim`` keys.

``DossierFact`` remembers what each dossier contributed, so a change (a transfer to another agency, a new due date)
removes the old contribution and adds the new one. Keys hold plain ids (0 when unknown), not foreign keys: the
statistics outlive a renamed or removed agency and need no join to be counted.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureColumns(models.Model):
    """The counts a month or a rollup holds (``rollups.COLUMNS`` reads their names, in this order, from here)."""

    received = models.IntegerField(default=0)
    early = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    overdue_change = models.IntegerField(default=0)
    with_fee = models.IntegerField(default=0)
    paid_online = models.IntegerField(default=0)
    digitised = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    rated_good = models.IntegerField(default=0)  # answers scored 2 (of four per rating)
    rated_fair = models.IntegerField(default=0)  # answers scored 1

    class Meta:
        abstract = True


class MonthFigure(FigureColumns):
    month = models.DateField(_("tháng"))  # the first day of the month
    procedure_id = models.IntegerField()
    field_id = models.IntegerField()
    agency_id = models.IntegerField()
    unit_id = models.IntegerField()
    channel = models.PositiveSmallIntegerField()

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
    due_at = models.DateTimeField(null=True)
    with_fee = models.BooleanField(default=False)
    paid_online = models.BooleanField(default=False)
    digitised = models.BooleanField(default=False)
    rated_month = models.DateField(null=True)
    rated_good = models.SmallIntegerField(default=0)
    rated_fair = models.SmallIntegerField(default=0)

    class Meta:
        indexes = [
            # The dossiers pending now and due soon, for overdue "as of now" under filters no rollup answers.
            models.Index(
                fields=["due_at"],
                name="dossier_fact_pending_due",
                condition=models.Q(end_month__isnull=True, due_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}"


class Dim(models.IntegerChoices):
    PROVINCE = 0, "province"
    FIELD = 1, "field"
    AGENCY = 2, "agency"
    UNIT = 3, "unit"
    PROCEDURE = 4, "procedure"


class Rollup(FigureColumns):
    """``MonthFigure`` summed per ``dim`` key (0 for the province), channel and month (``months`` 1, ``start`` the
    month) or calendar year (``months`` 12, ``start`` 1 January)."""

    dim = models.PositiveSmallIntegerField(choices=Dim.choices)
    key = models.IntegerField()
    months = models.PositiveSmallIntegerField()
    start = models.DateField()
    channel = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dim", "key", "months", "start", "channel"], name="rollup_key")
        ]
        indexes = [models.Index(fields=["dim", "months", "start"], name="rollup_dim_start")]

    def __str__(self) -> str:
        return f"{self.dim}:{self.key} {self.start}/{self.months} {self.channel}"


class PendingDue(models.Model):
    """How many dossiers pending now are due on ``day`` (local), per ``dim`` key and channel."""

    dim = models.PositiveSmallIntegerField(choices=Dim.choices)
    key = models.IntegerField()
    day = models.DateField()
    channel = models.PositiveSmallIntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dim", "key", "day", "channel"], name="pending_due_key")
        ]
        indexes = [models.Index(fields=["dim", "day"], name="pending_due_dim_day")]

    def __str__(self) -> str:
        return f"{self.dim}:{self.key} {self.day} {self.channel}: {self.count}"
