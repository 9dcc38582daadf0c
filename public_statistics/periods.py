"""The period and filters of a statistics page, read from its URL (so every view can be shared and bookmarked).

Periods are whole months: ``ky=2026-11`` (a month), ``ky=2026-Q4`` (a quarter), ``ky=2026`` (a year), or
``tu=2026-01&den=2026-06`` (from one month to another, both included). Without any, the current year to date.
Filters: ``linh-vuc``, ``co-quan``, ``xa``, ``thu-tuc`` (ids) and ``kenh`` (truc-tiep, truc-tuyen, buu-chinh).
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

FIRST_YEAR = 2000
CHANNELS = {"truc-tiep": (1,), "truc-tuyen": (2, 4), "buu-chinh": (3,)}
FILTER_PARAMS = {"linh-vuc": "field_id", "co-quan": "agency_id", "xa": "unit_id", "thu-tuc": "procedure_id"}


class BadQuery(ValueError):
    """A period or filter that cannot be read; the message says why, in words for a person."""


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    first: date  # first day of the first month
    last: date  # first day of the last month

    @property
    def months(self) -> list[date]:
        out, month = [], self.first
        while month <= self.last:
            out.append(month)
            month = add_months(month, 1)
        return out

    @property
    def end_day(self) -> date:
        return date.fromordinal(add_months(self.last, 1).toordinal() - 1)

    def label(self) -> str:
        if self.first == self.last:
            return _("tháng %(m)02d/%(y)d") % {"m": self.first.month, "y": self.first.year}
        if self.first.month == 1 and self.last == date(self.first.year, 12, 1):
            return _("năm %(y)d") % {"y": self.first.year}
        if (self.first.month - 1) % 3 == 0 and self.last == add_months(self.first, 2):
            return _("quý %(q)d/%(y)d") % {"q": (self.first.month - 1) // 3 + 1, "y": self.first.year}
        return _("từ tháng %(a)s đến tháng %(b)s") % {
            "a": self.first.strftime("%m/%Y"),
            "b": self.last.strftime("%m/%Y"),
        }

    def query(self) -> dict[str, str]:
        return {"tu": self.first.strftime("%Y-%m"), "den": self.last.strftime("%Y-%m")}


@dataclass(frozen=True)
class Filters:
    field_id: int | None = None
    agency_id: int | None = None
    unit_id: int | None = None
    procedure_id: int | None = None
    channel: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    def query(self) -> dict[str, str]:
        out = {
            param: str(getattr(self, attr)) for param, attr in FILTER_PARAMS.items() if getattr(self, attr)
        }
        if self.channel:
            out["kenh"] = self.channel
        return out

    def cache_key(self) -> str:
        return "|".join(f"{k}={v}" for k, v in sorted(self.query().items()))


def _month(text: str) -> date:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < FIRST_YEAR:
        raise BadQuery(_("Tháng “%(value)s” không hợp lệ; hãy viết dạng 2026-11.") % {"value": text[:20]})
    return date(int(match[1]), int(match[2]), 1)


def period_from(params, *, today: date | None = None) -> Period:
    today = today or timezone.localdate()
    this_month = date(today.year, today.month, 1)
    ky, tu, den = params.get("ky", "").strip(), params.get("tu", "").strip(), params.get("den", "").strip()
    if ky:
        if re.fullmatch(r"\d{4}", ky):
            first, last = date(int(ky), 1, 1), date(int(ky), 12, 1)
        elif match := re.fullmatch(r"(\d{4})-[Qq]([1-4])", ky):
            first = date(int(match[1]), 3 * int(match[2]) - 2, 1)
            last = add_months(first, 2)
        else:
            first = last = _month(ky)
        if first.year < FIRST_YEAR:
            raise BadQuery(_("Năm phải từ %(y)d trở đi.") % {"y": FIRST_YEAR})
    elif tu or den:
        first = _month(tu) if tu else date(today.year, 1, 1)
        last = _month(den) if den else this_month
    else:
        first, last = date(today.year, 1, 1), this_month
    if last < first:
        raise BadQuery(_("Tháng bắt đầu phải trước hoặc bằng tháng kết thúc."))
    if (last.year - first.year) * 12 + last.month - first.month >= 120:
        raise BadQuery(_("Khoảng thời gian tối đa là 10 năm."))
    return Period(first, last)


def filters_from(params) -> Filters:
    values = {}
    for param, attr in FILTER_PARAMS.items():
        raw = params.get(param, "").strip()
        if raw:
            if not raw.isdigit() or len(raw) > 9:
                raise BadQuery(_("Giá trị “%(value)s” của bộ lọc không hợp lệ.") % {"value": raw[:20]})
            values[attr] = int(raw)
    channel = params.get("kenh", "").strip()
    if channel and channel not in CHANNELS:
        raise BadQuery(_("Kênh nộp “%(value)s” không hợp lệ.") % {"value": channel[:20]})
    return Filters(channel=channel, **values)
