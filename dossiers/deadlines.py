"""Deadlines of a dossier, from its procedure's processing time for the channel it came through."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from dossiers.models import Dossier
from portal.catalog.models import Channel
from portal.workdays import calendar as workdays

CHANNEL_KIND = {
    Dossier.Channel.DIRECT: Channel.Kind.DIRECT,
    Dossier.Channel.ONLINE: Channel.Kind.ONLINE,
    Dossier.Channel.POSTAL: Channel.Kind.POSTAL,
}


def channel_kind(channel: int) -> str:
    """The catalogue's channel for a dossier's: one filed on the national portal was filed online."""
    return CHANNEL_KIND.get(channel, Channel.Kind.ONLINE)


def _time_channel(dossier: Dossier) -> Channel | None:
    """The channel whose processing time applies: the dossier's own, else any channel that states a time."""
    channels = [c for c in dossier.procedure.channels.all() if c.duration is not None]
    wanted = channel_kind(dossier.channel)
    return min(channels, key=lambda c: (c.kind != wanted, c.position), default=None)


def processing_time(dossier: Dossier) -> tuple[Decimal, str] | None:
    """(amount, unit) for the dossier's channel, falling back to any channel with a time; None when unknown."""
    channel = _time_channel(dossier)
    return (channel.duration, channel.duration_unit) if channel else None


def time_limit_unclear(dossier: Dossier) -> str | None:
    """The catalogue's own words when its time limit is a bare number without a unit ("1"): the due date cannot be
    counted from it, an officer sets it. None when the time limit is clear (or absent)."""
    channel = _time_channel(dossier)
    if channel is None or channel.time_limit_known():
        return None
    return (channel.duration_text or f"{channel.duration.normalize():f}").strip()


def due_date(start: datetime, amount: Decimal, unit: str) -> datetime:
    """The due moment for ``amount`` of ``unit`` from ``start``. "Ngày" without "làm việc" counts as working days,
    as the national catalogue mostly means; months are calendar months, ending on a working day."""
    if unit == Channel.DurationUnit.HOUR:
        return workdays.add_working_hours(start, amount)
    if unit == Channel.DurationUnit.MONTH:
        return workdays.add_working_days(start + relativedelta(months=int(amount)), 0)
    # Half days are the finest the calendar counts; 0.3 days would be an unreadable deadline.
    return workdays.add_working_days(start, (amount * 2).to_integral_value() / 2)


def dossier_due_date(dossier: Dossier, start: datetime) -> datetime | None:
    """The due date counted from ``start``; None when the catalogue gives no time, or a time without a unit."""
    time = processing_time(dossier)
    if time is None or time[1] == Channel.DurationUnit.UNKNOWN:
        return None
    return due_date(start, *time)


def apology_deadline(due_at: datetime) -> datetime:
    """The apology (Mẫu 04) must go out at least one working day before the due date: the close of the last
    working day before it."""
    day = timezone.localtime(due_at).date() - timedelta(days=1)
    while not workdays.is_working_day(day):
        day -= timedelta(days=1)
    # 0 working days from any moment of a working day is the close of that day.
    return workdays.add_working_days(timezone.make_aware(datetime.combine(day, time(0))), 0)
