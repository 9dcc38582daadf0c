"""The national portal's date format: ``yyyyMMddHHmmss`` in Vietnam's time (Asia/Ho_Chi_Minh, no offset written).

An aware datetime is converted to Vietnam's time; a naive one is taken to be Vietnam's time already; a ``date``
is that day at 00:00. Parsing gives an aware datetime in Asia/Ho_Chi_Minh. ``None`` stays ``None``.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FORMAT = "%Y%m%d%H%M%S"


def format_datetime(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=VIETNAM)
    return value.astimezone(VIETNAM).strftime(FORMAT)


def parse_datetime(value: str | None) -> datetime | None:
    """``"20261125143000"`` → 25/11/2026 14:30:00 in Vietnam. Anything but 14 digits of a real moment raises
    ``ValueError``."""
    if value is None:
        return None
    if len(value) != 14 or not value.isdigit():
        raise ValueError(f"not a yyyyMMddHHmmss date: {value!r}")
    return datetime.strptime(value, FORMAT).replace(tzinfo=VIETNAM)
