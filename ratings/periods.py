"""Quarters and years: the period a returned dossier counts in (by its local return date) and the period in a URL
(``2026`` or ``2026-q3``)."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int  # 1–4, or 0 for the whole year

    @property
    def start(self) -> date:
        return date(self.year, 1 if not self.quarter else 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        month = 3 * self.quarter if self.quarter else 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def slug(self) -> str:
        return f"{self.year}-q{self.quarter}" if self.quarter else str(self.year)

    @property
    def label(self) -> str:
        if self.quarter:
            return _("Quý %(quarter)s/%(year)s") % {"quarter": self.quarter, "year": self.year}
        return _("Năm %(year)s") % {"year": self.year}

    def year_period(self) -> "Period":
        return Period(self.year, 0)


def period_of(moment: datetime) -> Period:
    local = timezone.localtime(moment).date()
    return Period(local.year, (local.month - 1) // 3 + 1)


def period_parse(slug: str) -> Period | None:
    match = re.fullmatch(r"(20\d\d)(?:-q([1-4]))?", slug or "")
    if not match:
        return None
    return Period(int(match[1]), int(match[2] or 0))
