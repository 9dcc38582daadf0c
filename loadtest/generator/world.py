"""What the generator draws from: the real catalogue and agencies, weighted by how often people use them, and a
working-day table read once so a million deadlines cost no database query.

Deadlines follow ``portal.workdays.calendar``'s rules (the reception day never counts; N working days end at the
close of the N-th; half days at the close of the morning session; working hours run on the office clock), but on
an in-memory "office clock": minutes of office time numbered from the first working day of the table, so adding
working time is an addition. Working days come from ``portal.workdays.calendar.is_working_day`` (weekends,
holidays, exceptions: as seeded in the database), asked once per calendar day of the range, not per dossier.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone as dj_timezone

from dossiers.deadlines import CHANNEL_KIND
from portal.agencies.models import Agency
from portal.catalog.models import Channel, Procedure, ProcedureAgency
from portal.workdays import calendar as workdays

# Share of dossiers by field of administration (lĩnh vực), matched on the field's name: commune-level certification
# and civil status dominate a one-stop counter, then land and residence. Fields not listed share DEFAULT_FIELD_WEIGHT
# each. Figures are relative, not percentages; the first matching entry wins.
FIELD_WEIGHTS = [
    ("tài chính đất đai", 1.0),
    ("chứng thực", 30.0),
    ("hộ tịch", 16.0),
    ("đất đai", 10.0),
    ("cư trú", 5.0),
    ("căn cước", 3.0),
    ("hộ kinh doanh", 3.0),
    ("doanh nghiệp", 2.0),
    ("lý lịch tư pháp", 2.0),
    ("hoạt động xây dựng", 2.5),
    ("đường bộ", 2.0),
    ("phương tiện giao thông", 1.5),
    ("bảo trợ xã hội", 2.0),
    ("người có công", 1.5),
    ("bhxh", 1.5),
    ("giảm nghèo", 1.0),
    ("việc làm", 1.0),
    ("lao động", 1.0),
    ("nhà ở", 0.8),
    ("giáo dục", 0.8),
    ("thuế", 0.3),
    ("hải quan", 0.1),
]
DEFAULT_FIELD_WEIGHT = 0.15
# Within a field, some procedures are far more common than others (matched on the procedure's name).
NAME_BOOSTS = [
    ("bản sao từ bản chính", 40.0),
    ("chứng thực chữ ký", 8.0),
    ("khai sinh", 12.0),
    ("tình trạng hôn nhân", 8.0),
    ("kết hôn", 5.0),
    ("khai tử", 4.0),
    ("thường trú", 6.0),
    ("tạm trú", 6.0),
    ("lý lịch tư pháp", 6.0),
    ("giấy phép lái xe", 6.0),
    ("biến động", 5.0),
    ("giấy phép xây dựng", 4.0),
    ("hộ kinh doanh", 3.0),
]
COMMUNE_LEVEL_FACTOR = 3.0  # commune offices see most of the traffic
BOTH_LEVELS_COMMUNE_SHARE = 0.7  # a procedure offered at both levels is mostly filed at the commune
SERVICE_CENTRE_SHARE = {Agency.Kind.DEPARTMENT: 0.85, Agency.Kind.CENTRAL: 0.3}
# Processing time when the catalogue gives none (the officer would type a date): working days.
DEFAULT_DAYS = {True: 3, False: 10}
MAX_DAYS = 120


@dataclass
class ProcedureInfo:
    id: int
    code: str
    field_name: str
    commune_level: bool
    province_level: bool
    online: bool
    durations: dict[int, tuple[float, str]]  # Dossier.Channel -> (amount, unit)
    commune_share: float = 0.0
    province_options: list[tuple[int, int]] = field(default_factory=list)  # (receiving id, handling id)
    province_cum: list[float] = field(default_factory=list)
    weight: float = 0.0

    def duration(self, channel: int) -> tuple[float, str]:
        if channel in self.durations:
            return self.durations[channel]
        if self.durations:  # any channel with a time, as dossiers.deadlines does
            return next(iter(self.durations.values()))
        return float(DEFAULT_DAYS[self.commune_level and not self.province_level]), ""


@dataclass
class AgencyInfo:
    id: int
    code: str
    name: str
    kind: str
    place: str  # the commune or province it serves, for synthetic addresses


class World:
    """The catalogue and agencies, with cumulative weights for fast, seeded draws."""

    def __init__(self, rng: random.Random, agency_codes: list[str] | None = None):
        self.agencies: dict[int, AgencyInfo] = {}
        for agency in Agency.objects.filter(is_active=True).select_related("unit").order_by("id"):
            place = agency.unit.full_name if agency.unit_id else ""
            self.agencies[agency.id] = AgencyInfo(agency.id, agency.code, agency.name, agency.kind, place)
        if agency_codes:
            known = {a.code for a in self.agencies.values()}
            unknown = sorted(set(agency_codes) - known)
            if unknown:
                raise ValueError(f"unknown or inactive agency codes: {', '.join(unknown)}")
        allowed = {a.id for a in self.agencies.values() if not agency_codes or a.code in agency_codes}
        centre = next((a for a in self.agencies.values() if a.kind == Agency.Kind.SERVICE_CENTRE), None)
        province = next((a for a in self.agencies.values() if a.kind == Agency.Kind.PROVINCE), None)
        self.province_name = province.place if province and province.place else "tỉnh"
        self.departments = [a for a in self.agencies.values() if a.kind == Agency.Kind.DEPARTMENT]

        # Communes: a seeded weight each (some wards are much busier than remote communes).
        communes = sorted(
            (a for a in self.agencies.values() if a.kind == Agency.Kind.COMMUNE and a.id in allowed),
            key=lambda a: a.id,
        )
        self.communes = [a.id for a in communes]
        self.commune_cum = list(itertools.accumulate(rng.lognormvariate(0, 0.6) for _ in communes))
        commune_ids = set(self.communes)

        links: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for procedure_id, agency_id, role in ProcedureAgency.objects.values_list(
            "procedure_id", "agency_id", "role"
        ).order_by("procedure_id", "id"):
            if agency_id in self.agencies:
                links[procedure_id].append((role, agency_id))
        durations: dict[int, dict[int, tuple[float, str]]] = defaultdict(dict)
        kind_to_channel = {v: k for k, v in CHANNEL_KIND.items()}
        for procedure_id, kind, amount, unit in (
            Channel.objects.filter(duration__isnull=False)
            .values_list("procedure_id", "kind", "duration", "duration_unit")
            .order_by("procedure_id", "position")
        ):
            channel = kind_to_channel.get(kind)
            if channel is not None:
                durations[procedure_id].setdefault(channel, (float(amount), unit))

        self.procedures: list[ProcedureInfo] = []
        rows = (
            Procedure.objects.filter(is_active=True)
            .order_by("id")
            .values_list(
                "id", "code", "name", "field__name", "is_commune_level", "is_province_level", "online_level"
            )
        )
        for pid, code, name, field_name, commune_level, province_level, online_level in rows:
            info = ProcedureInfo(
                pid,
                code,
                field_name or "",
                commune_level,
                province_level,
                online_level >= Procedure.OnlineLevel.SUBMISSION,
                durations.get(pid, {}),
                # The boost of a well-known common procedure; multiplied by its field's share in _weigh().
                weight=next((b for word, b in NAME_BOOSTS if word in name.lower()), 1.0),
            )
            linked_communes = commune_level and any(
                role == ProcedureAgency.Role.IMPLEMENTING and a in commune_ids for role, a in links[pid]
            )
            competent = [
                a
                for role, a in links[pid]
                if role == ProcedureAgency.Role.COMPETENT and self.agencies[a].kind != Agency.Kind.COMMUNE
            ]
            options: list[tuple[int, int, float]] = []
            if province_level or not linked_communes:
                handler = competent[0] if competent else (province.id if province else None)
                if handler is not None:
                    share = SERVICE_CENTRE_SHARE.get(self.agencies[handler].kind, 0.8)
                    if centre and centre.id in allowed:
                        options.append((centre.id, handler, share))
                    if handler in allowed and handler != (centre.id if centre else None):
                        options.append((handler, handler, 1 - share))
            if linked_communes:
                info.commune_share = BOTH_LEVELS_COMMUNE_SHARE if options else 1.0
            elif not options:
                continue  # no allowed agency receives it
            if options:
                info.province_options = [(r, h) for r, h, _ in options]
                info.province_cum = list(itertools.accumulate(w for _, _, w in options))
            self.procedures.append(info)
        if not self.procedures:
            raise ValueError("no procedure can be received by the chosen agencies (is the catalogue loaded?)")
        self._weigh(rng)
        self.all_cum = list(itertools.accumulate(p.weight for p in self.procedures))
        self.online_procedures = [p for p in self.procedures if p.online] or self.procedures
        self.online_cum = list(itertools.accumulate(p.weight for p in self.online_procedures))

    def _weigh(self, rng: random.Random) -> None:
        """Each field gets its share; inside it, procedures get seeded shares (commune-level ones larger), then
        the well-known common procedures their boost."""
        by_field: dict[str, list[ProcedureInfo]] = defaultdict(list)
        for p in self.procedures:
            by_field[p.field_name.lower()].append(p)
        for key, members in by_field.items():
            field_weight = next((w for word, w in FIELD_WEIGHTS if word in key), DEFAULT_FIELD_WEIGHT)
            raw = [
                rng.lognormvariate(0, 0.8) * (COMMUNE_LEVEL_FACTOR if p.commune_level else 1.0)
                for p in members
            ]
            total = sum(raw)
            for p, r in zip(members, raw, strict=True):
                p.weight = field_weight * r / total * p.weight

    def procedure(self, rng: random.Random, online: bool) -> ProcedureInfo:
        if online:
            return self.online_procedures[_pick(rng, self.online_cum)]
        return self.procedures[_pick(rng, self.all_cum)]

    def receiving(self, rng: random.Random, p: ProcedureInfo) -> tuple[int, int]:
        """(receiving agency, handling agency) for a dossier of ``p``."""
        if p.commune_share and (p.commune_share >= 1 or rng.random() < p.commune_share):
            commune = self.communes[_pick(rng, self.commune_cum)]
            return commune, commune
        return p.province_options[_pick(rng, p.province_cum)]


def _pick(rng: random.Random, cum: list[float]) -> int:
    return bisect.bisect_right(cum, rng.random() * cum[-1], 0, len(cum) - 1)


class OfficeClock:
    """Working days between two dates and office time as integer minutes ("lin"): ``lin = index * DAY + m`` where
    ``index`` numbers the working days of the table and ``m`` is the minute of office time within the day. A
    deadline at the close of day ``i`` is ``i * DAY + DAY``; events never sit exactly on a day boundary."""

    def __init__(self, first: date, last: date):
        sessions = workdays.office_hours()
        self.sessions = [(_minutes(o), _minutes(c)) for o, c in sessions]
        self.DAY = sum(c - o for o, c in self.sessions)
        self.MORNING = self.sessions[0][1] - self.sessions[0][0]
        self.cutoff = self._office_minute(_minutes(workdays.transfer_cutoff()))
        now = dj_timezone.now()
        offset = dj_timezone.localtime(now).utcoffset() or timedelta()
        # Asia/Ho_Chi_Minh has had no daylight saving time since 1975: one fixed offset is exact.
        self.tz = timezone(offset)
        sign = "+" if offset >= timedelta() else "-"
        hours, rest = divmod(abs(int(offset.total_seconds())) // 60, 60)
        self.tz_suffix = f"{sign}{hours:02d}:{rest:02d}"
        self.first = first
        calendar_days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
        flags = [workdays.is_working_day(day) for day in calendar_days]
        self.days = [day for day, working in zip(calendar_days, flags, strict=True) if working]
        # Per calendar day from ``first``: the index of the first working day on or after it.
        self.ge_index = [0] * len(calendar_days)
        following = len(self.days)
        for k in range(len(calendar_days) - 1, -1, -1):
            if flags[k]:
                following -= 1
            self.ge_index[k] = following
        if len(self.days) < 10:
            raise ValueError("the working-day calendar has almost no working days in range")
        self.day_str = [f"{d:%Y-%m-%d} " for d in self.days]
        self.minute_str = [self._clock(m) + self.tz_suffix for m in range(self.DAY + 1)]

    def _office_minute(self, clock_minute: int) -> int:
        """Office minutes elapsed in a day at a wall-clock minute of the day."""
        total = 0
        for opens, closes in self.sessions:
            if clock_minute <= opens:
                return total
            if clock_minute < closes:
                return total + clock_minute - opens
            total += closes - opens
        return total

    def _clock(self, m: int) -> str:
        for opens, closes in self.sessions:
            if m <= closes - opens:
                minute = opens + m
                return f"{minute // 60:02d}:{minute % 60:02d}:00"
            m -= closes - opens
        raise AssertionError("minute beyond the office day")

    # --- conversions ----------------------------------------------------------------------------------------------

    def index_on_or_after(self, day: date) -> int:
        k = (day - self.first).days
        if k < 0:
            raise ValueError(f"{day} is before the calendar table")
        if k >= len(self.ge_index):
            raise ValueError(f"{day} is after the calendar table")
        return self.ge_index[k]

    def lin_of(self, moment: datetime) -> int:
        """The office clock at ``moment`` (outside office hours: the next opening)."""
        local = moment.astimezone(self.tz)
        i = self.index_on_or_after(local.date())
        if self.days[i] != local.date():
            return i * self.DAY
        m = self._office_minute(local.hour * 60 + local.minute)
        return i * self.DAY + m if m < self.DAY else (i + 1) * self.DAY

    def text(self, lin: int) -> str:
        """COPY text of an event moment (never exactly on a day boundary: see the class docstring)."""
        i, m = divmod(lin, self.DAY)
        return self.day_str[i] + self.minute_str[m]

    def deadline_text(self, lin: int) -> str:
        i, m = divmod(lin, self.DAY)
        if m == 0:  # the close of the previous working day, not the next opening
            i, m = i - 1, self.DAY
        return self.day_str[i] + self.minute_str[m]

    def deadline_day(self, lin: int) -> int:
        return (lin - 1) // self.DAY

    def datetime_text(self, moment: datetime) -> str:
        return moment.astimezone(self.tz).strftime("%Y-%m-%d %H:%M:%S") + self.tz_suffix

    def at(self, day: date, clock_minute: int, second: int = 0) -> datetime:
        return datetime.combine(day, time(clock_minute // 60, clock_minute % 60, second), tzinfo=self.tz)

    # --- deadlines ------------------------------------------------------------------------------------------------

    def due(self, received_lin: int, received_day: date, amount: float, unit: str) -> int:
        """The due moment (lin) for ``amount`` ``unit`` from a reception at ``received_lin`` on ``received_day``;
        the same rules as ``dossiers.deadlines.due_date``."""
        if unit == Channel.DurationUnit.HOUR:
            return received_lin + max(1, round(amount * 60))
        if unit == Channel.DurationUnit.MONTH:
            target = received_day + relativedelta(months=int(amount))
            return self.index_on_or_after(target) * self.DAY + self.DAY
        halves = int((Decimal(str(amount)) * 2).to_integral_value())
        halves = min(max(halves, 0), MAX_DAYS * 2)
        if halves == 0:
            return self.index_on_or_after(received_day) * self.DAY + self.DAY
        whole, half = divmod(halves, 2)
        i = self.index_on_or_after(received_day + timedelta(days=1)) + whole + half - 1
        return i * self.DAY + (self.MORNING if half and len(self.sessions) > 1 else self.DAY)

    def handover_due(self, received_lin: int) -> int:
        """Art. 18: the close of the reception day, or of the next working day after the cut-off (15:00)."""
        i, m = divmod(received_lin, self.DAY)
        return (i + (1 if m >= self.cutoff else 0)) * self.DAY + self.DAY

    def apology_deadline(self, due_lin: int) -> int:
        """The close of the last working day before the due day (at least one working day before it)."""
        return self.deadline_day(due_lin) * self.DAY

    def outcome(self, at_lin: int, deadline_lin: int) -> str:
        if at_lin > deadline_lin:
            return "late"
        return "early" if at_lin // self.DAY < self.deadline_day(deadline_lin) else "on_time"


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def trend(position: float, start: float, end: float) -> float:
    return start + (end - start) * min(max(position, 0.0), 1.0)


def spread(rng: random.Random, low: float, high: float) -> float:
    """A value between ``low`` and ``high`` leaning towards ``low`` (most work is done early)."""
    return low + (high - low) * (1 - math.sqrt(1 - rng.random()))
