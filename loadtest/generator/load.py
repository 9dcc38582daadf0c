"""Generate a realistic history of dossiers (``manage.py generate_dossiers``): over the two years before today, across
the real catalogue and agencies, with codes, deadlines, history events, supplement requests and the daily code
counters that live submissions continue from. Deterministic for a given seed, catalogue and day.

Rows are produced day by day in submission order (so ids and per-day code numbers follow the clock) and written in
chunks of whole days, one transaction per chunk: COPY on PostgreSQL, executemany elsewhere.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from dossiers.codes import dossier_code_format
from dossiers.models import DailyCounter, Dossier, DossierEvent, SupplementRequest
from loadtest.generator.history import Simulator
from loadtest.generator.people import Person, person
from loadtest.generator.rows import DATETIME_COLUMNS, DOSSIER_COLUMNS, EVENT_COLUMNS, SUPPLEMENT_COLUMNS, Plan
from loadtest.generator.world import OfficeClock, World, trend
from loadtest.generator.writers import writer_for_connection
from portal.accounts.models import User

HISTORY_DAYS = 730
ONLINE_SHARE = 0.31  # 31 % online, as reported for a ward of Rạch Giá after the 2025 merger
ONLINE_TREND = 0.12  # online filing grows: the working-day share rises by this much over the two years
POSTAL_SHARE = 0.015
DAY_OFF_WEIGHT = 0.06  # a day off gets this fraction of a working day's dossiers (online only)
GROWTH = 0.3  # the last day sees this much more than the first
LINKED_IN_PERSON = 0.08  # in-person dossiers whose applicant has an account
DOSSIERS_PER_ACCOUNT = 4.0
BUSINESS_ACCOUNT_SHARE = 0.08
BUSINESS_FIELDS = ("doanh nghiệp", "thuế", "hải quan", "hợp tác xã", "đầu tư")
# Heavy users (a service agent, a notary's clerk): "my dossiers" with tens to hundreds of rows. Scaled down when
# the run is small, so they never hold more than a fifth of it.
HEAVY_USER_QUOTAS = [100, 20, 50, 150, 200]
# Online filing hours (share of the day's online dossiers per hour, 0–23).
ONLINE_HOURS = [1, 0.5, 0.3, 0.3, 0.5, 1, 3, 6, 9, 10, 9, 7, 4, 5, 8, 9, 8, 6, 5, 6, 6, 5, 3, 2]
USERNAME = "congdan-s{seed}-{index:06d}"


@dataclass
class Summary:
    count: int = 0
    events: int = 0
    supplements: int = 0
    accounts_created: int = 0
    accounts_reused: int = 0
    counters: int = 0
    overdue: int = 0
    states: Counter = field(default_factory=Counter)
    channels: Counter = field(default_factory=Counter)
    heavy_users: list[tuple[str, int]] = field(default_factory=list)
    first_day: date | None = None
    last_day: date | None = None
    seconds: float = 0.0
    backend: str = ""


@dataclass
class _Account:
    id: int
    person: Person
    email: str


def generate_dossiers(
    *,
    count: int,
    seed: int = 0,
    agency_codes: list[str] | None = None,
    today: date | None = None,
    chunk_size: int = 20_000,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    """Create ``count`` dossiers submitted over the ``HISTORY_DAYS`` days before ``today`` (default: today)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    _check_columns()
    started = time.monotonic()
    rng = random.Random(seed)
    today = today or timezone.localdate()
    first_day, last_day = today - timedelta(days=HISTORY_DAYS), today - timedelta(days=1)
    world = World(rng, agency_codes)
    clock = OfficeClock(first_day - timedelta(days=7), today + timedelta(days=1200))
    writer = writer_for_connection(DATETIME_COLUMNS)
    summary = Summary(first_day=first_day, last_day=last_day, backend=writer.label)

    accounts, heavy = _accounts(rng, world, seed, count, first_day, summary)
    heavy_slots = _heavy_slots(rng, count, heavy)
    per_day = _per_day_counts(rng, count, first_day, last_day, clock)
    counters = _existing_counters(first_day, last_day)
    reference = clock.index_on_or_after(today) * clock.DAY
    sim = Simulator(world=world, clock=clock, rng=rng, reference_lin=reference)

    tables = {
        "dossier": Dossier._meta.db_table,
        "event": DossierEvent._meta.db_table,
        "supplement": SupplementRequest._meta.db_table,
        "counter": DailyCounter._meta.db_table,
    }
    next_dossier = writer.max_id(tables["dossier"]) + 1
    next_event = writer.max_id(tables["event"]) + 1
    next_supplement = writer.max_id(tables["supplement"]) + 1
    ordinal = 0
    dossiers: list[tuple] = []
    events: list[tuple] = []
    supplements: list[tuple] = []
    touched: dict[tuple[int, date], int] = {}

    def flush() -> None:
        with transaction.atomic():
            writer.insert(tables["dossier"], DOSSIER_COLUMNS, dossiers)
            writer.insert(tables["event"], EVENT_COLUMNS, events)
            writer.insert(tables["supplement"], SUPPLEMENT_COLUMNS, supplements)
            writer.counters_raise(tables["counter"], [(a, d, n) for (a, d), n in touched.items()])
            for name in ("dossier", "event", "supplement"):
                writer.sequence_past_max(tables[name])
        summary.counters += len(touched)
        dossiers.clear()
        events.clear()
        supplements.clear()
        touched.clear()

    for day, n in per_day:
        if not n:
            continue
        plans = _day_plans(rng, world, clock, day, n, first_day, last_day)
        plans.sort(key=lambda p: p[0])
        for _, channel, procedure, receiving, handling, submitted_lin, submitted_text, created_text in plans:
            key = (receiving.id, day)
            sequence = counters.get(key, 0) + 1
            counters[key] = touched[key] = sequence
            heavy_index = heavy_slots.get(ordinal)
            ordinal += 1
            if heavy_index is not None:
                account = heavy[heavy_index]
            elif accounts and (channel == Dossier.Channel.ONLINE or rng.random() < LINKED_IN_PERSON):
                account = accounts[rng.randrange(len(accounts))]
            else:
                account = None
            if account is not None:
                applicant_id, who, email = account.id, account.person, account.email
            else:
                business = rng.random() < (
                    0.6 if any(w in procedure.field_name.lower() for w in BUSINESS_FIELDS) else 0.03
                )
                place = receiving.place if receiving.kind == "commune" else _random_place(rng, world)
                applicant_id, who, email = (
                    None,
                    person(rng, place, world.province_name, business=business),
                    "",
                )
            post_share = {Dossier.Channel.ONLINE: 0.1, Dossier.Channel.POSTAL: 0.6}.get(channel, 0.03)
            plan = Plan(
                id=next_dossier,
                code=dossier_code_format(receiving.code, day, sequence),
                procedure=procedure,
                receiving=receiving,
                handling=handling,
                channel=channel,
                submitted_lin=submitted_lin,
                submitted_text=submitted_text,
                created_text=created_text,
                applicant_id=applicant_id,
                person=who,
                email=email,
                delivery_post=rng.random() < post_share,
            )
            result = sim.run(plan, next_event, next_supplement)
            next_dossier += 1
            next_event += len(result.events)
            next_supplement += len(result.supplements)
            dossiers.append(result.dossier)
            events.extend(result.events)
            supplements.extend(result.supplements)
            summary.count += 1
            summary.events += len(result.events)
            summary.supplements += len(result.supplements)
            summary.states[str(result.state)] += 1
            summary.channels[int(channel)] += 1
            summary.overdue += result.overdue
        if len(dossiers) >= chunk_size:
            flush()
            if progress:
                progress(summary.count, count)
    if dossiers:
        flush()
    if progress:
        progress(summary.count, count)
    writer.analyze([tables["dossier"], tables["event"], tables["supplement"], tables["counter"]])
    summary.heavy_users = [
        (USERNAME.format(seed=seed, index=i), n) for i, n in enumerate(_heavy_quotas(count)) if n
    ]
    summary.seconds = time.monotonic() - started
    return summary


def _check_columns() -> None:
    for model, columns in (
        (Dossier, DOSSIER_COLUMNS),
        (DossierEvent, EVENT_COLUMNS),
        (SupplementRequest, SUPPLEMENT_COLUMNS),
    ):
        expected = {f.column for f in model._meta.concrete_fields}
        if expected != set(columns):
            raise RuntimeError(
                f"the generator's columns for {model.__name__} no longer match the model: "
                f"missing {sorted(expected - set(columns))}, extra {sorted(set(columns) - expected)}"
            )


def _per_day_counts(rng, count, first_day, last_day, clock) -> list[tuple[date, int]]:
    """Exactly ``count`` dossiers spread over the days: working days full, days off a trickle, slow growth."""
    days = [first_day + timedelta(days=k) for k in range((last_day - first_day).days + 1)]
    weights = []
    for k, day in enumerate(days):
        base = 1.0 if clock.days[clock.index_on_or_after(day)] == day else DAY_OFF_WEIGHT
        weights.append(base * (1 + GROWTH * k / max(1, len(days) - 1)) * rng.uniform(0.8, 1.2))
    total = sum(weights)
    exact = [count * w / total for w in weights]
    counts = [int(x) for x in exact]
    remainder = count - sum(counts)
    for k in sorted(range(len(days)), key=lambda k: counts[k] - exact[k])[:remainder]:
        counts[k] += 1
    return list(zip(days, counts, strict=True))


def _day_plans(rng, world: World, clock: OfficeClock, day: date, n: int, first_day: date, last_day: date):
    """The dossiers filed on ``day``: (sort key, channel, procedure, receiving, handling, office-clock moment,
    submitted text, created text)."""
    working = clock.days[clock.index_on_or_after(day)] == day
    position = (day - first_day).days / max(1, (last_day - first_day).days)
    # Days off carry only online filings; the working days make up the rest of the 31 %.
    online_share = trend(position, ONLINE_SHARE - ONLINE_TREND / 2, ONLINE_SHARE + ONLINE_TREND / 2) - 0.02
    plans = []
    index = clock.index_on_or_after(day)
    for _ in range(n):
        r = rng.random()
        if not working or r < online_share:
            channel = Dossier.Channel.ONLINE
        elif r < online_share + POSTAL_SHARE:
            channel = Dossier.Channel.POSTAL
        else:
            channel = Dossier.Channel.DIRECT
        procedure = world.procedure(rng, channel == Dossier.Channel.ONLINE)
        receiving_id, handling_id = world.receiving(rng, procedure)
        receiving, handling = world.agencies[receiving_id], world.agencies[handling_id]
        if channel == Dossier.Channel.ONLINE:
            hour = _hour(rng)
            minute, second = rng.randrange(60), rng.randrange(60)
            moment = clock.at(day, hour * 60 + minute, second)
            created = moment - timedelta(minutes=rng.randint(3, 180))
            key = (hour * 60 + minute) * 60 + second
            lin = clock.lin_of(moment)
            plans.append(
                (
                    key,
                    channel,
                    procedure,
                    receiving,
                    handling,
                    lin,
                    clock.datetime_text(moment),
                    clock.datetime_text(created),
                )
            )
        else:
            # Counter hours, busier in the morning; never in the last half hour.
            m = int(rng.triangular(1, clock.DAY - 30, clock.MORNING * 0.3))
            lin = index * clock.DAY + m
            text = clock.text(lin)
            key = _wall_seconds(text)
            plans.append((key, channel, procedure, receiving, handling, lin, text, text))
    return plans


def _hour(rng) -> int:
    x = rng.random() * _ONLINE_TOTAL
    for hour, c in enumerate(_ONLINE_CUM):
        if x < c:
            return hour
    return 23


_ONLINE_CUM: list[float] = []
_ONLINE_TOTAL = 0.0
for _share in ONLINE_HOURS:
    _ONLINE_TOTAL += _share
    _ONLINE_CUM.append(_ONLINE_TOTAL)


def _wall_seconds(text: str) -> int:
    return int(text[11:13]) * 3600 + int(text[14:16]) * 60 + int(text[17:19])


def _random_place(rng, world: World) -> str:
    if not world.communes:
        return ""
    return world.agencies[world.communes[rng.randrange(len(world.communes))]].place


def _heavy_quotas(count: int) -> list[int]:
    scale = min(1.0, 0.2 * count / sum(HEAVY_USER_QUOTAS))
    return [max(1, round(q * scale)) for q in HEAVY_USER_QUOTAS]


def _heavy_slots(rng, count: int, heavy: list[_Account]) -> dict[int, int]:
    """Which dossiers (by position in submission order) belong to which heavy user."""
    quotas = _heavy_quotas(count)[: len(heavy)]
    total = min(sum(quotas), count)
    chosen = rng.sample(range(count), total)
    slots, k = {}, 0
    for user_index, quota in enumerate(quotas):
        for ordinal in chosen[k : k + quota]:
            slots[ordinal] = user_index
        k += quota
    return slots


def _accounts(rng, world: World, seed: int, count: int, first_day: date, summary: Summary):
    """The generated citizen accounts (reused when a run with the same seed made them before): the heavy users
    first, then the ordinary ones that online dossiers and some counter dossiers belong to."""
    linked = count * (ONLINE_SHARE + (1 - ONLINE_SHARE) * LINKED_IN_PERSON)
    ordinary = max(3, round(linked / DOSSIERS_PER_ACCOUNT))
    total = len(HEAVY_USER_QUOTAS) + ordinary
    people, usernames = [], []
    for index in range(total):
        business = index >= len(HEAVY_USER_QUOTAS) and rng.random() < BUSINESS_ACCOUNT_SHARE
        people.append(person(rng, _random_place(rng, world), world.province_name, business=business))
        usernames.append(USERNAME.format(seed=seed, index=index))
    prefix = USERNAME.format(seed=seed, index=0)[:-6]
    existing = set(User.objects.filter(username__startswith=prefix).values_list("username", flat=True))
    missing = []
    for index, (username, who) in enumerate(zip(usernames, people, strict=True)):
        # Drawn for every account, new or not, so a rerun draws the same numbers afterwards.
        joined = first_day - timedelta(days=rng.randint(0, 400))
        minute = rng.randint(420, 1320)
        if username in existing:
            continue
        missing.append(
            User(
                username=username,
                password=f"!generated-{seed}-{index}",  # unusable: these accounts cannot sign in with a password
                full_name=who.name,
                phone=who.phone,
                email=f"{username}@example.com",
                role=User.Role.CITIZEN,
                **_identity(who),
                date_joined=datetime.combine(
                    joined, datetime.min.time(), tzinfo=timezone.get_default_timezone()
                )
                + timedelta(minutes=minute),
            )
        )
    User.objects.bulk_create(missing, batch_size=5000)
    summary.accounts_created = len(missing)
    summary.accounts_reused = total - len(missing)
    ids = dict(User.objects.filter(username__startswith=prefix).values_list("username", "id"))
    result = [
        _Account(ids[u], p, f"{u}@example.com") for u, p in zip(usernames, people, strict=True) if u in ids
    ]
    return result[len(HEAVY_USER_QUOTAS) :], result[: len(HEAVY_USER_QUOTAS)]


def _identity(who: Person) -> dict:
    """The personal id number and birth date on the account, where the user model has them."""
    if who.business:
        return {}
    names = {f.name for f in User._meta.concrete_fields}
    values = {"personal_id": who.id_number, "birth_date": who.birth_date}
    return {k: v for k, v in values.items() if k in names}


def _existing_counters(first_day: date, last_day: date) -> dict[tuple[int, date], int]:
    return {
        (agency_id, day): last
        for agency_id, day, last in DailyCounter.objects.filter(day__range=(first_day, last_day)).values_list(
            "agency_id", "day", "last"
        )
    }
