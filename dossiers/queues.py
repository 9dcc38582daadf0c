"""Staff work queues: which dossiers wait for a one-stop officer, a handling officer or a leader of their units.

A queue is a condition on (agency, state[, due_at]), so each branch runs on the (receiving_agency, state, due_at) or
(handling_agency, state, due_at) index. A page of a queue costs two queries (count, rows with their procedure and
agencies joined) and the counts of all of a user's queues one more, whatever the page size.
"""

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dossiers.access import consultations_open_to
from dossiers.models import Dossier
from dossiers.rows import NAME_FIELDS, dossier_with_names
from dossiers.workflow import PAUSED_STATES
from portal.accounts.models import User
from portal.prepared import PreparedPages, no_ids
from portal.workdays import calendar as workdays

S = Dossier.State
Role = User.Role

QUEUE_PAGE_SIZE = 25
SOON_WORKING_DAYS = 2
# States whose due date is running: a late dossier in one of these is late now (a paused clock is not).
CLOCK_RUNNING = frozenset({S.RECEIVED, S.PROCESSING, S.CONSULTING, S.AWAITING_APPROVAL, S.AWAITING_RETURN})


@dataclass(frozen=True)
class Branch:
    """Dossiers of the user's agencies in ``field`` (receiving or handling agency) and in one of ``states``."""

    field: str
    states: tuple[str, ...]

    def condition(self, agency_ids: list[int]) -> Q:
        return Q(**{f"{self.field}__in": agency_ids, "state__in": self.states})

    def holds(self, group: "CountGroup") -> bool:
        return group.state in self.states and getattr(group, self.field)


@dataclass(frozen=True)
class ConsultedBranch:
    """Dossiers another agency is asking one of the user's agencies about, while the question is open.

    The open questions are read first (few rows, on a partial index) and their dossiers matched by id, so that the
    queue and its count stay index scans when OR-ed with the other branches."""

    states: tuple[str, ...] = (S.CONSULTING,)

    def condition(self, agency_ids: list[int]) -> Q:
        asked = list(consultations_open_to(agency_ids).values_list("dossier_id", flat=True))
        return Q(pk__in=asked, state__in=self.states)

    def holds(self, group: "CountGroup") -> bool:
        return group.state in self.states and group.asked


@dataclass(frozen=True)
class Queue:
    slug: str
    label: Promise
    role: str
    branches: tuple[Branch | ConsultedBranch, ...]
    watch: bool = False  # a deadline watch list: only dossiers overdue or due within SOON_WORKING_DAYS

    @property
    def states(self) -> list[str]:
        seen = dict.fromkeys(state for branch in self.branches for state in branch.states)
        return list(seen)

    def condition(self, agency_ids: list[int], clock: "Clock") -> Q:
        condition = Q()
        for branch in self.branches:
            condition |= branch.condition(agency_ids)
        if self.watch:
            condition &= Q(due_at__lte=clock.soon_limit)
        return condition

    def holds(self, group: "CountGroup") -> bool:
        """Whether the dossiers of ``group`` are in this queue (a watch list: those of them due soon enough)."""
        return any(branch.holds(group) for branch in self.branches)


RECEIVING, HANDLING = "receiving_agency_id", "handling_agency_id"
QUEUES = (
    # Every channel: a paper dossier registered at the counter but not received at once must not drop out of sight.
    Queue("cho-tiep-nhan", _("Chờ tiếp nhận"), Role.ONESTOP_OFFICER, (Branch(RECEIVING, (S.SUBMITTED,)),)),
    Queue(
        "cho-chuyen",
        _("Đã tiếp nhận – chờ chuyển"),
        Role.ONESTOP_OFFICER,
        (Branch(RECEIVING, (S.RECEIVED,)),),
    ),
    Queue(
        "cho-tra-ket-qua",
        _("Chờ trả kết quả"),
        Role.ONESTOP_OFFICER,
        (Branch(RECEIVING, (S.AWAITING_RETURN,)),),
    ),
    Queue("cho-bo-sung", _("Chờ bổ sung"), Role.ONESTOP_OFFICER, (Branch(RECEIVING, (S.SUPPLEMENT,)),)),
    Queue(
        "dang-xu-ly",
        _("Đang giải quyết"),
        Role.HANDLING_OFFICER,
        (Branch(HANDLING, (S.PROCESSING, S.CONSULTING, S.FINANCIAL)),),
    ),
    Queue("xin-y-kien", _("Được xin ý kiến"), Role.HANDLING_OFFICER, (ConsultedBranch(),)),
    Queue("cho-phe-duyet", _("Chờ phê duyệt"), Role.LEADER, (Branch(HANDLING, (S.AWAITING_APPROVAL,)),)),
    Queue(
        "han-xu-ly",
        _("Quá hạn / sắp đến hạn"),
        Role.LEADER,
        (
            Branch(HANDLING, (S.PROCESSING, S.CONSULTING, S.AWAITING_APPROVAL)),
            Branch(RECEIVING, (S.RECEIVED, S.AWAITING_RETURN)),
        ),
        watch=True,
    ),
)
QUEUES_BY_SLUG = {queue.slug: queue for queue in QUEUES}


@dataclass(frozen=True)
class Clock:
    """The moments a request compares due dates with, computed once so every row and count agrees."""

    now: datetime
    end_of_today: datetime
    soon_limit: datetime

    @classmethod
    def at(cls, now: datetime | None = None) -> "Clock":
        now = now or timezone.now()
        local = timezone.localtime(now)
        end_of_today = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        soon = workdays.add_working_days(now, SOON_WORKING_DAYS)
        return cls(now=now, end_of_today=end_of_today, soon_limit=max(soon, end_of_today))

    def deadline(self, dossier: Dossier) -> str:
        """'overdue', 'today', 'soon', 'paused' or '' for a dossier's due date as of now."""
        if dossier.state in PAUSED_STATES:
            return "paused"
        if dossier.due_at is None or dossier.state not in CLOCK_RUNNING:
            return ""
        if dossier.due_at < self.now:
            return "overdue"
        if dossier.due_at < self.end_of_today:
            return "today"
        if dossier.due_at <= self.soon_limit:
            return "soon"
        return ""


DUE_FILTERS = ("qua-han", "hom-nay", "sap-den-han")
SORTS = {
    "han": (F("due_at").asc(nulls_last=True), "pk"),
    "-han": (F("due_at").desc(nulls_last=True), "-pk"),
    "nop": (F("submitted_at").asc(nulls_last=True), "pk"),
    "-nop": (F("submitted_at").desc(nulls_last=True), "-pk"),
    "ma": ("code", "pk"),
}


@dataclass(frozen=True)
class QueueFilters:
    due: str = ""  # one of DUE_FILTERS
    state: str = ""
    procedure: str = ""  # part of the procedure's code or name
    text: str = ""  # part of the dossier's code, the applicant's name, or what another app holds (queue_text_matchers)
    channel: int | None = None
    sort: str = "han"
    page: int = 1

    @property
    def narrowing(self) -> bool:
        """Whether any filter leaves out part of the queue (the order and the page do not)."""
        return any(getattr(self, field.name) for field in fields(self) if field.name not in ("sort", "page"))


# Apps holding more text of a dossier (the electronic declaration's answers) let the queue search match it: each
# matcher takes the words typed and the dossiers being searched (the queue, as a queryset) and returns a condition on
# dossiers that holds when their text has the words, or None when it has nothing to match on. The queue's own
# conditions still decide what is seen.
_queue_text_matchers: list[Callable[[str, QuerySet], Q | None]] = []


def queue_text_matcher_register(matcher: Callable[[str, QuerySet], Q | None]) -> None:
    if matcher not in _queue_text_matchers:
        _queue_text_matchers.append(matcher)


def _text_condition(words: str, within: QuerySet) -> Q:
    condition = Q(code__icontains=words) | Q(applicant_name__icontains=words)
    for matcher in _queue_text_matchers:
        matched = matcher(words, within)
        if matched is not None:
            condition |= matched
    return condition


def queues_for(user: User) -> list[Queue]:
    if not (user.is_authenticated and user.is_active and user.is_officer):
        return []
    return [queue for queue in QUEUES if queue.role == user.role]


def queue_get(user: User, slug: str) -> Queue | None:
    queue = QUEUES_BY_SLUG.get(slug)
    return queue if queue is not None and queue.role == getattr(user, "role", None) else None


def _due_condition(due: str, clock: Clock) -> Q:
    running = Q(state__in=CLOCK_RUNNING)
    if due == "qua-han":
        return running & Q(due_at__lt=clock.now)
    if due == "hom-nay":
        return running & Q(due_at__gte=clock.now, due_at__lt=clock.end_of_today)
    if due == "sap-den-han":
        return running & Q(due_at__gte=clock.end_of_today, due_at__lte=clock.soon_limit)
    return Q()


def queue_dossiers(*, user: User, queue: Queue, filters: QueueFilters, clock: Clock) -> QuerySet[Dossier]:
    queryset = Dossier.objects.filter(queue.condition(user.agency_ids(), clock))
    if filters.due:
        queryset = queryset.filter(_due_condition(filters.due, clock))
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.procedure:
        words = filters.procedure.strip()
        queryset = queryset.filter(Q(procedure__code__icontains=words) | Q(procedure__name__icontains=words))
    if filters.text:
        queryset = queryset.filter(_text_condition(filters.text.strip(), queryset))
    return queryset.order_by(*SORTS[filters.sort])


ROW_FIELDS = (
    "id",
    "code",
    "state",
    "channel",
    "applicant_name",
    "applicant_phone",
    "version",
    "submitted_at",
    "received_at",
    "due_at",
    "due_reset",
    "procedure_id",
    "receiving_agency_id",
    "handling_agency_id",
    "procedure__code",
    "procedure__name",
    "receiving_agency__name",
    "handling_agency__name",
)


def queue_page(
    *,
    user: User,
    queue: Queue,
    filters: QueueFilters,
    clock: Clock,
    page_size: int | None = None,
    total: int | None = None,
) -> Page:
    """One page of a queue (the last one when ``filters.page`` is past the end); each row carries ``.deadline``.
    ``total``: how many dossiers the queue holds, when the caller has counted them already (``queue_counts``, for a
    queue without filters), which saves counting them again."""
    queryset = (
        queue_dossiers(user=user, queue=queue, filters=filters, clock=clock)
        .select_related("procedure", "receiving_agency", "handling_agency")
        .only(*ROW_FIELDS)
    )
    paginator = Paginator(queryset, page_size or QUEUE_PAGE_SIZE)
    if total is not None:
        paginator.count = total  # a cached property: this is the value it would have computed
    page = paginator.page(min(filters.page, paginator.num_pages))
    rows = None
    if not filters.narrowing and paginator.count:  # (counted already, for the page number)
        offset, limit = page.start_index() - 1, page.end_index() - page.start_index() + 1
        rows = _prepared_rows(queue, user.agency_ids(), filters.sort, offset, limit)
    page.object_list = list(page.object_list) if rows is None else rows
    for dossier in page.object_list:
        dossier.deadline = clock.deadline(dossier)
    return page


OWN_ROW_FIELDS = tuple(name for name in ROW_FIELDS if "__" not in name)
PREPARED_AGENCIES = 4  # officers of up to this many agencies have their queue pages read by prepared queries
_queue_pages: dict[tuple[str, str], PreparedPages] = {}


def _prepared_rows(queue: Queue, agency_ids: list[int], sort: str, offset: int, limit: int) -> list | None:
    """An unfiltered page of a queue of one branch (every queue but the consulted one and the deadline watch list),
    read by a query compiled once per process and per page (portal/prepared.py) instead of by the ORM on every
    request; None when the queue or the officer's agencies do not fit one (the caller reads them)."""
    branch = queue.branches[0]
    if (
        queue.watch
        or len(queue.branches) != 1
        or not isinstance(branch, Branch)
        or not 0 < len(agency_ids) <= PREPARED_AGENCIES
    ):
        return None
    read = _queue_pages.get((queue.slug, sort))
    if read is None:
        read = _queue_pages[(queue.slug, sort)] = PreparedPages(
            lambda ids, offset, limit: (
                Dossier.objects.filter(branch.condition(list(ids)))
                .order_by(*SORTS[sort])
                .values_list(*OWN_ROW_FIELDS, *NAME_FIELDS)[offset : offset + limit]
            ),
            sentinel=no_ids(PREPARED_AGENCIES),
            block=QUEUE_PAGE_SIZE,
        )
    make = dossier_with_names(OWN_ROW_FIELDS)
    return [make(row) for row in read(tuple(agency_ids), offset, limit)]


def queue_counts(user: User, clock: Clock) -> dict[str, int]:
    """The number of dossiers in each of the user's queues, plus 'overdue' across all of them, in one query.

    Every staff page shows these in its header, so the query is written once here instead of compiled by the ORM
    per request (that cost 4 ms of CPU, the query itself 0.1 ms): the dossiers of the user's queues are counted by
    state and by what places them in a queue (received or handled in one of the user's agencies, asked about), and
    each queue adds up the groups it holds."""
    queues = queues_for(user)
    if not queues:
        return {}
    agency_ids = user.agency_ids()
    groups = _count_groups(queues, agency_ids, clock) if agency_ids else []
    counts = {
        queue.slug: sum(group.soon if queue.watch else group.total for group in groups if queue.holds(group))
        for queue in queues
    }
    counts["overdue"] = sum(
        group.overdue
        for group in groups
        if group.state in CLOCK_RUNNING and any(queue.holds(group) for queue in queues)
    )
    return counts


@dataclass(frozen=True)
class CountGroup:
    """Dossiers alike in what decides their queue, and how many of them are due by the watch list's limit or late."""

    state: str
    receiving_agency_id: bool
    handling_agency_id: bool
    asked: bool
    total: int
    soon: int
    overdue: int


def _count_groups(queues: list[Queue], agency_ids: list[int], clock: Clock) -> list[CountGroup]:
    branches = list(dict.fromkeys(branch for queue in queues for branch in queue.branches))
    asked: list[int] = []
    if any(isinstance(branch, ConsultedBranch) for branch in branches):
        asked = list(consultations_open_to(agency_ids).values_list("dossier_id", flat=True))
    quote = connection.ops.quote_name

    def among(column: str, values: list) -> tuple[str, list]:
        return f"{quote(column)} IN ({', '.join(['%s'] * len(values))})", list(values)

    where, where_params = [], []
    for branch in branches:
        values = asked if isinstance(branch, ConsultedBranch) else agency_ids
        if not values:
            continue
        place, place_params = among("id" if isinstance(branch, ConsultedBranch) else branch.field, values)
        states, state_params = among("state", list(branch.states))
        where.append(f"({place} AND {states})")
        where_params += place_params + state_params
    if not where:
        return []
    receiving, receiving_params = among(RECEIVING, agency_ids)
    handling, handling_params = among(HANDLING, agency_ids)
    asked_sql, asked_params = among("id", asked) if asked else ("1 = 0", [])
    due = quote("due_at")
    # Only quoted column names and placeholders go into the text; every value is a parameter.
    sql = (
        f"SELECT {quote('state')}, {receiving}, {handling}, {asked_sql}, COUNT(*), "  # noqa: S608
        f"SUM(CASE WHEN {due} <= %s THEN 1 ELSE 0 END), SUM(CASE WHEN {due} < %s THEN 1 ELSE 0 END) "
        f"FROM {quote(Dossier._meta.db_table)} WHERE {' OR '.join(where)} GROUP BY 1, 2, 3, 4"
    )
    moments = [connection.ops.adapt_datetimefield_value(moment) for moment in (clock.soon_limit, clock.now)]
    with connection.cursor() as cursor:
        cursor.execute(sql, receiving_params + handling_params + asked_params + moments + where_params)
        rows = cursor.fetchall()
    return [
        CountGroup(state, bool(r), bool(h), bool(a), total, soon or 0, overdue or 0)
        for state, r, h, a, total, soon, overdue in rows
    ]


def deadline_counts(*, user: User, queue: Queue, clock: Clock) -> dict[str, int]:
    """How many dossiers of a queue are overdue, due today and due within the next working days (keys 'overdue',
    'today', 'soon'), in one query."""
    names = {"overdue": "qua-han", "today": "hom-nay", "soon": "sap-den-han"}
    base = Dossier.objects.filter(queue.condition(user.agency_ids(), clock))
    counts = base.aggregate(
        **{name: Count("pk", filter=_due_condition(due, clock)) for name, due in names.items()}
    )
    return {name: value or 0 for name, value in counts.items()}


def to_do_total(counts: dict[str, int], user: User) -> int:
    """What the navigation shows: dossiers waiting in the user's to-do queues (the watch list overlaps them)."""
    return sum(counts.get(queue.slug, 0) for queue in queues_for(user) if not queue.watch)
