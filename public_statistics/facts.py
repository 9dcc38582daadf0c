"""What one dossier contributes to the summary tables (``models.py``), as a pure function of its fields, so the live
receiver counts the way the rebuild's SQL does (``rebuild.py``; a test holds them equal).

A dossier counts once it is received (``received_at``). It ends when it has a result (``finished_at`` in the states
awaiting return or returned: early, on time or late against its due date, ``portal.workdays.calendar.outcome``) or
is closed otherwise (withdrawn, stopped, refused). Months are local calendar months; "pending at the end of a month"
means received before the next month begins and not ended by then; "past the deadline" means its due date is
before that moment as well (for a moment still to come, "now": ``selectors``). The due date is the dossier's current
one (after an apology, the new date).

Beside the handling, in the month it was received: whether a fee was due (the catalogue's fee for the channel it was
filed through, or a fee paid online), whether it was paid online, whether its documents were digitised (a document
held in the applicant's electronic store: digitised at the counter or reused from it, the vault flags of the
national sync). And, in the month its applicant rated it, the four answers of the rating (Circular 01/2018
indicators 1, 3, 4 and 7, each 0, 1 or 2): how many scored 2 and how many 1.
"""

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from portal.workdays import calendar as workdays

RESOLVED_STATES = frozenset({"awaiting_return", "returned"})
CLOSED_STATES = frozenset({"withdrawn", "stopped", "refused"})
RESOLVED_KINDS = ("early", "on_time", "late")
# The dossier's channel (dossiers.Dossier.Channel) as the catalogue names the way it was filed: the national
# portal's dossiers were filed online.
CHANNEL_KINDS = {1: "direct", 2: "online", 3: "postal", 4: "online"}


@dataclass(frozen=True)
class Fact:
    dossier_id: int
    procedure_id: int
    field_id: int
    agency_id: int
    unit_id: int
    channel: int
    received_month: date
    end_month: date | None
    end_kind: str
    overdue_month: date | None
    working_days: int | None
    due_at: datetime | None = None
    with_fee: bool = False
    paid_online: bool = False
    digitised: bool = False
    rated_month: date | None = None
    rated_good: int = 0
    rated_fair: int = 0

    @property
    def key(self) -> tuple:
        return (self.procedure_id, self.field_id, self.agency_id, self.unit_id, self.channel)

    @property
    def pending(self) -> bool:
        return self.end_month is None


@dataclass(frozen=True)
class Extras:
    """What other apps know of the dossier (read through their selectors by ``services``)."""

    fee_in_catalogue: bool = False
    paid_online: bool = False
    digitised: bool = False
    rated_at: datetime | None = None
    answers: tuple[int, ...] = ()  # the rating's four applicant answers, each 0, 1 or 2


def month_of(moment: datetime) -> date:
    local = timezone.localtime(moment)
    return date(local.year, local.month, 1)


def fact_of(
    *,
    dossier_id: int,
    procedure_id: int,
    field_id: int | None,
    agency_id: int | None,
    unit_id: int | None,
    channel: int,
    state: str,
    received_at: datetime | None,
    due_at: datetime | None,
    finished_at: datetime | None,
    extras: Extras = Extras(),  # noqa: B008 (frozen)
) -> Fact | None:
    """The dossier's contribution, or None when it does not count (not received)."""
    if received_at is None:
        return None
    end_month, end_kind, days = None, "", None
    if finished_at is not None and state in RESOLVED_STATES:
        end_month = month_of(finished_at)
        end_kind = workdays.outcome(finished_at, due_at).value if due_at else "on_time"
        days = max(0, math.ceil(workdays.working_days_between(received_at, finished_at)))
    elif finished_at is not None and state in CLOSED_STATES:
        end_month, end_kind = month_of(finished_at), "closed"
    received_month = month_of(received_at)
    overdue_month = None
    if due_at is not None and (finished_at is None or end_month is None or finished_at > due_at):
        # Pending at the end of month M and overdue: due_at < start of M+1, i.e. from the due date's month on.
        overdue_month = max(month_of(due_at), received_month)
        if end_month is not None and end_month <= overdue_month:
            overdue_month = None
    rated = extras.rated_at is not None
    return Fact(
        dossier_id=dossier_id,
        procedure_id=procedure_id,
        field_id=field_id or 0,
        agency_id=agency_id or 0,
        unit_id=unit_id or 0,
        channel=channel,
        received_month=received_month,
        end_month=end_month,
        end_kind=end_kind,
        overdue_month=overdue_month,
        working_days=days,
        due_at=due_at,
        with_fee=extras.fee_in_catalogue or extras.paid_online,
        paid_online=extras.paid_online,
        digitised=extras.digitised,
        rated_month=month_of(extras.rated_at) if rated else None,
        rated_good=sum(1 for a in extras.answers if a == 2) if rated else 0,
        rated_fair=sum(1 for a in extras.answers if a == 1) if rated else 0,
    )


def contribution(fact: Fact | None, sign: int = 1) -> tuple[Counter, Counter, Counter]:
    """(month figures, processing times, pending dues) this fact adds: ``{(month, *key, column): n}``,
    ``{(procedure_id, month, days): n}`` and ``{(due day, *key): n}`` (a dossier pending now, by its due date's local
    day); ``sign=-1`` for what it takes back."""
    figures, times, dues = Counter(), Counter(), Counter()
    if fact is None:
        return figures, times, dues
    key = fact.key
    figures[(fact.received_month, *key, "received")] += sign
    for column in ("with_fee", "paid_online", "digitised"):
        if getattr(fact, column):
            figures[(fact.received_month, *key, column)] += sign
    if fact.rated_month is not None:
        figures[(fact.rated_month, *key, "rated")] += sign
        figures[(fact.rated_month, *key, "rated_good")] += sign * fact.rated_good
        figures[(fact.rated_month, *key, "rated_fair")] += sign * fact.rated_fair
    if fact.end_month is not None:
        figures[(fact.end_month, *key, fact.end_kind)] += sign
    if fact.overdue_month is not None:
        figures[(fact.overdue_month, *key, "overdue_change")] += sign
        if fact.end_month is not None:
            figures[(fact.end_month, *key, "overdue_change")] -= sign
    if fact.working_days is not None:
        times[(fact.procedure_id, fact.end_month, fact.working_days)] += sign
    if fact.pending and fact.due_at is not None:
        dues[(timezone.localdate(fact.due_at), *key)] += sign
    return figures, times, dues
