"""Dates and times the way Vietnamese administrative documents write them (Decree 30/2020, appendix I): a day
below 10 and the months 1 and 2 take a leading zero, "ngày 05 tháng 02 năm 2026"; times read "14 giờ 30 phút"."""

from datetime import date, datetime

from django.utils import timezone


def _local(moment: datetime | date) -> datetime | date:
    if isinstance(moment, datetime) and timezone.is_aware(moment):
        return timezone.localtime(moment)
    return moment


def vn_date(moment: datetime | date | None) -> str:
    """``ngày 05 tháng 02 năm 2026`` in local time; an empty string for ``None``."""
    if moment is None:
        return ""
    day = _local(moment)
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def vn_time(moment: datetime | None) -> str:
    """``14 giờ 30 phút`` in local time; an empty string for ``None``."""
    if moment is None:
        return ""
    local = _local(moment)
    return f"{local.hour:02d} giờ {local.minute:02d} phút"


def vn_datetime(moment: datetime | None) -> str:
    """``14 giờ 30 phút, ngày 25 tháng 11 năm 2026``; an empty string for ``None``."""
    if moment is None:
        return ""
    return f"{vn_time(moment)}, {vn_date(moment)}"


def short_datetime(moment: datetime | None) -> str:
    """``25/11/2026 14:30`` in local time, for table cells; an empty string for ``None``."""
    if moment is None:
        return ""
    return f"{_local(moment):%d/%m/%Y %H:%M}"
