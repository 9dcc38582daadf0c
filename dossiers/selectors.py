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
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dossiers.access import consultations_open_to
from dossiers.access import dossier_get_for_user as dossier_get_for_user  # for other apps (payments)
from dossiers.models import Dossier, DossierEvent, DossierFile, Notification
from dossiers.workflow import PAUSED_STATES
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Channel, Procedure
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
    page.object_list = list(page.object_list)
    for dossier in page.object_list:
        dossier.deadline = clock.deadline(dossier)
    return page


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


# --- Counter registration ------------------------------------------------------------------------------------------


def receiving_agencies_of(user: User) -> QuerySet[Agency]:
    return Agency.objects.filter(pk__in=user.agency_ids(), is_active=True).order_by("name")


def procedures_receivable(
    agency: Agency | None = None, *, agencies=None, query: str = ""
) -> QuerySet[Procedure]:
    """Procedures a one-stop counter takes: those linked to its agency; the provincial service centre takes every
    province-level procedure as well, since it receives for the departments."""
    agencies = [agency] if agency is not None else list(agencies or [])
    condition = Q(agency_links__agency__in=agencies)
    if any(a.kind == Agency.Kind.SERVICE_CENTRE for a in agencies):
        condition |= Q(is_province_level=True)
    queryset = Procedure.objects.filter(condition, is_active=True)
    if query.strip():
        words = query.strip()
        queryset = queryset.filter(Q(code__icontains=words) | Q(name__icontains=words))
    ids = queryset.values("pk")
    return Procedure.objects.filter(pk__in=ids).only("id", "code", "name").order_by("name", "code")


def competent_agency(procedure: Procedure, receiving_agency: Agency | None = None) -> Agency | None:
    """The agency a transfer should go to by default: the procedure's competent agency (the receiving agency itself
    when it is one of them)."""
    links = [link for link in procedure.agency_links.select_related("agency") if link.agency.is_active]
    competent = [link.agency for link in links if link.role == "competent"]
    if receiving_agency is not None and receiving_agency in competent:
        return receiving_agency
    return competent[0] if competent else None


def online_channel(procedure: Procedure) -> Channel | None:
    """The procedure's online channel (its fee and time for a dossier filed here), else its first channel."""
    channels = list(procedure.channels.all())
    online = [channel for channel in channels if channel.kind == Channel.Kind.ONLINE]
    return (online or channels or [None])[0]


def dossiers_of_applicant(user: User) -> QuerySet[Dossier]:
    """ "Hồ sơ của tôi": the person's dossiers, drafts included, newest first, each with the last step they may see;
    only what the list shows is read."""
    last_step = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), visible_to_applicant=True)
        .order_by("-at", "-id")
        .values("action")[:1]
    )
    return (
        Dossier.objects.filter(applicant=user)
        .select_related("procedure", "receiving_agency", "handling_agency")
        .only(
            "code",
            "state",
            "due_at",
            "created_at",
            "submitted_at",
            "procedure__code",
            "procedure__name",
            "receiving_agency__name",
            "handling_agency__name",
        )
        .annotate(last_action=Subquery(last_step))
        .order_by("-created_at", "-pk")
    )


def notifications_of(user: User) -> QuerySet[Notification]:
    """The person's inbox, newest first (what the list shows only)."""
    return user.notifications.only(
        "kind", "params", "title", "body", "created_at", "read_at", "dossier_id"
    ).order_by("-created_at", "-pk")


def dossier_routing_facts(code: str) -> dict | None:
    """For another app routing something about a dossier (feedback): the dossier's handling and receiving agency ids
    and its procedure's id, by code; None when no submitted dossier has that code. No personal data."""
    return (
        Dossier.objects.filter(code=code)
        .exclude(state=S.DRAFT)
        .values("handling_agency_id", "receiving_agency_id", "procedure_id")
        .first()
    )


# --- the person's data to take away (registered with the core's export in apps.py) ----------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def personal_data_of(user: User) -> dict:
    """The dossiers of ``user`` with their codes, procedures, states and dates, their vault with its documents'
    descriptions (the files themselves are downloaded from the vault page) and their notifications."""
    dossiers = (
        Dossier.objects.filter(applicant=user)
        .select_related("procedure", "receiving_agency", "handling_agency")
        .order_by("created_at", "pk")
    )
    return {
        "dossiers": [
            {
                "code": dossier.code,
                "procedure_code": dossier.procedure.code,
                "procedure_name": dossier.procedure.name,
                "state": dossier.state,
                "state_label": str(dossier.get_state_display()),
                "channel": str(dossier.get_channel_display()),
                "receiving_agency": dossier.receiving_agency.name,
                "handling_agency": dossier.handling_agency.name if dossier.handling_agency else None,
                "created_at": _iso(dossier.created_at),
                "submitted_at": _iso(dossier.submitted_at),
                "received_at": _iso(dossier.received_at),
                "due_at": _iso(dossier.due_at),
                "finished_at": _iso(dossier.finished_at),
                "returned_at": _iso(dossier.returned_at),
            }
            for dossier in dossiers
        ],
        "vault_documents": [
            {
                "doc_type": document.doc_type,
                "number": document.number,
                "issuer": document.issuer,
                "issued_on": _iso(document.issued_on),
                "valid_until": _iso(document.valid_until),
                "source": document.source,
                "file_name": document.original_name,
                "content_type": document.content_type,
                "size": document.size,
                "sha256": document.sha256,
                "added_at": _iso(document.created_at),
            }
            for document in user.vault_documents.order_by("created_at", "pk")
        ],
        "notifications": [
            {
                "title": notification.subject,
                "body": notification.message,
                "dossier_code": notification.dossier.code if notification.dossier else None,
                "created_at": _iso(notification.created_at),
                "read_at": _iso(notification.read_at),
                "emailed_at": _iso(notification.emailed_at),
                "sms_sent_at": _iso(notification.sms_sent_at),
            }
            for notification in user.notifications.select_related("dossier").order_by("created_at", "pk")
        ],
    }


def dossier_rating_facts(dossier_id: int) -> dict | None:
    """For the ratings app: what a rating of one submitted dossier needs, read-only. Its state and applicant, where it
    was received and handled (and whether the receiving agency is a commune), its procedure and field, whether it was
    filed online, returned by its due date and has an approved electronic result, how its steps' outcomes went
    (early / on time / late) and the staff who took a step. None when no submitted dossier has that id."""
    row = (
        Dossier.objects.filter(pk=dossier_id)
        .exclude(state=S.DRAFT)
        .values(
            "pk",
            "code",
            "state",
            "applicant_id",
            "applicant_email",
            "receiving_agency_id",
            "receiving_agency__kind",
            "handling_agency_id",
            "handling_agency__kind",
            "procedure_id",
            "procedure__field_id",
            "channel",
            "due_at",
            "returned_at",
        )
        .first()
    )
    if row is None:
        return None
    outcomes = dict(
        DossierEvent.objects.filter(dossier_id=dossier_id)
        .exclude(outcome="")
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    officers = sorted(
        set(
            DossierEvent.objects.filter(dossier_id=dossier_id, actor__role__in=User.STAFF_ROLES).values_list(
                "actor_id", flat=True
            )
        )
    )
    returned, due = row["returned_at"], row["due_at"]
    return {
        **row,
        "online": row["channel"] in (Dossier.Channel.ONLINE, Dossier.Channel.NATIONAL_PORTAL),
        "on_time": returned is not None and (due is None or returned <= due),
        "digitised": DossierFile.objects.filter(
            dossier_id=dossier_id, kind=DossierFile.Kind.RESULT, approved_at__isnull=False
        ).exists(),
        "steps_early": outcomes.get(DossierEvent.Outcome.EARLY, 0),
        "steps_on_time": outcomes.get(DossierEvent.Outcome.ON_TIME, 0),
        "steps_late": outcomes.get(DossierEvent.Outcome.LATE, 0),
        "officer_ids": officers,
    }


def dossier_is_applicants(*, dossier_id: int, user: User) -> bool:
    """Whether ``user`` is the account that filed the (submitted) dossier."""
    return (
        user.is_authenticated
        and Dossier.objects.filter(pk=dossier_id, applicant=user).exclude(state=S.DRAFT).exists()
    )


def dossier_at_officers_counter(*, dossier_id: int, user: User) -> bool:
    """Whether the dossier was received or is handled by one of ``user``'s agencies (a counter may open it)."""
    if not (user.is_authenticated and user.is_officer):
        return False
    agencies = user.agency_ids()
    return (
        Dossier.objects.filter(pk=dossier_id)
        .filter(Q(receiving_agency_id__in=agencies) | Q(handling_agency_id__in=agencies))
        .exclude(state=S.DRAFT)
        .exists()
    )


def dossier_label(dossier_id: int) -> dict | None:
    """The code, procedure name and return date of a submitted dossier, for a page that names it (no personal
    data)."""
    return (
        Dossier.objects.filter(pk=dossier_id)
        .exclude(state=S.DRAFT)
        .values("pk", "code", "state", "procedure__name", "returned_at")
        .first()
    )


def dossier_file_of(*, dossier_id: int, file_id: int):
    """One file of one dossier, or None (the electronic declaration finds the PDF it attached)."""
    from dossiers.models import DossierFile

    return DossierFile.objects.filter(dossier_id=dossier_id, pk=file_id).first()


STATISTICS_FIELDS = (
    "id",
    "procedure_id",
    "receiving_agency_id",
    "handling_agency_id",
    "channel",
    "state",
    "received_at",
    "due_at",
    "finished_at",
)


def statistics_row(dossier_id: int) -> dict | None:
    """One dossier's fields the public statistics count (as ``statistics_source``), or None when it is gone."""
    return Dossier.objects.filter(pk=dossier_id).values(*STATISTICS_FIELDS).first()


def statistics_rows() -> QuerySet:
    """The received dossiers' fields the public statistics count, for their rebuild in one statement."""
    return Dossier.objects.filter(received_at__isnull=False).values(*STATISTICS_FIELDS).order_by()


# A dossier's documents count as digitised when one is held in the applicant's electronic store: scanned at the
# counter into it, or reused from it (the vault flags DuocSoHoa / DuocTaiSuDung of ``national/mapping.py``).
DIGITISED_KINDS = (DossierFile.Kind.APPLICATION, DossierFile.Kind.SUPPLEMENT)


def dossier_digitised(dossier_id: int) -> bool:
    return DossierFile.objects.filter(
        dossier_id=dossier_id, kind__in=DIGITISED_KINDS, vault_document__isnull=False
    ).exists()


def dossiers_digitised() -> QuerySet:
    """The ids (``dossier_id``) of the dossiers whose documents count as digitised, each once."""
    return (
        DossierFile.objects.filter(kind__in=DIGITISED_KINDS, vault_document__isnull=False)
        .values("dossier_id")
        .distinct()
        .order_by()
    )


def statistics_source(*, batch: int = 20_000):
    """Every received dossier's fields the public statistics count (``public_statistics/facts.py``), in id order,
    read in batches of ``batch`` rows by id (no long-held server cursor, no offset scans)."""
    last = 0
    while True:
        rows = list(
            Dossier.objects.filter(pk__gt=last, received_at__isnull=False)
            .order_by("pk")
            .values(*STATISTICS_FIELDS)[:batch]
        )
        if not rows:
            return
        yield from rows
        last = rows[-1]["id"]
