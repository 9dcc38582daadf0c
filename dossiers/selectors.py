"""Reads of dossiers: for the dossiers app's own pages (the counter, "my dossiers", notifications) and for other apps,
which read dossiers only through this module (routing facts, ratings, statistics, files of a dossier). The staff
work queues are in ``dossiers/queues.py``; their public names are importable from here too.
"""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from dossiers.access import dossier_get_for_user as dossier_get_for_user  # for other apps (payments)
from dossiers.models import Dossier, DossierEvent, DossierFile, Notification
from dossiers.queues import (  # noqa: F401  (the queues' public names, for other apps)
    CLOCK_RUNNING,
    DUE_FILTERS,
    QUEUE_PAGE_SIZE,
    QUEUES,
    QUEUES_BY_SLUG,
    ROW_FIELDS,
    SOON_WORKING_DAYS,
    SORTS,
    Branch,
    Clock,
    ConsultedBranch,
    CountGroup,
    Queue,
    QueueFilters,
    deadline_counts,
    queue_counts,
    queue_dossiers,
    queue_get,
    queue_page,
    queue_text_matcher_register,
    queues_for,
    to_do_total,
)
from dossiers.rows import NAME_FIELDS, dossier_with_names
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Channel, Procedure
from portal.prepared import NO_ID, Prepared, PreparedPages, builder

S = Dossier.State
Role = User.Role


# --- The public tracking answer ------------------------------------------------------------------------------------
# What the tracking page shows of a dossier and its steps: every lookup is of a different dossier, so the two reads
# are compiled once per process (portal/prepared.py) and their rows made into instances without Model.__init__.
TRACKED_FIELDS = (
    "id",
    "code",
    "state",
    "received_at",
    "due_at",
    "applicant_phone",
    "applicant_id_number",
    # Whose dossier it is and how its result is returned: the postal section reads them.
    "applicant_id",
    "delivery",
    "procedure_id",
    "receiving_agency_id",
    "handling_agency_id",
)
_tracked = Prepared(
    lambda code: (
        Dossier.objects.filter(code=code)
        .exclude(state=S.DRAFT)
        .order_by()
        .values_list(*TRACKED_FIELDS, *NAME_FIELDS)[:1]
    ),
    sentinel="\x00",
)
TRACKED_EVENT_FIELDS = ("id", "dossier_id", "action", "at", "agency_id")
_tracked_events = Prepared(
    lambda pk: (
        DossierEvent.objects.filter(dossier_id=pk, visible_to_applicant=True)
        .order_by("at", "id")
        .values_list(*TRACKED_EVENT_FIELDS, "agency__name")
    ),
    sentinel=NO_ID,
)


def dossier_tracked(code: str) -> Dossier | None:
    """The filed dossier with this code as the public tracking page shows it (only these columns, its procedure's
    and agencies' names), or None."""
    rows = _tracked(code)
    return dossier_with_names(TRACKED_FIELDS)(rows[0]) if rows else None


def tracked_events(dossier: Dossier) -> list[DossierEvent]:
    """The steps of ``dossier`` its applicant sees, in order, each with its agency's name (``_history.html``)."""
    event_of = builder(DossierEvent, "default", TRACKED_EVENT_FIELDS)
    agency_of = builder(Agency, "default", ("id", "name"))
    events = []
    for *values, agency_name in _tracked_events(dossier.pk):
        event = event_of(values)
        agency = agency_of((event.agency_id, agency_name)) if event.agency_id is not None else None
        DossierEvent.agency.field.set_cached_value(event, agency)
        events.append(event)
    return events


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


APPLICANT_ROW_FIELDS = (
    "id",
    "code",
    "state",
    "due_at",
    "created_at",
    "submitted_at",
    "procedure_id",
    "receiving_agency_id",
    "handling_agency_id",
)


def _applicant_rows_of(user_id, offset: int, limit: int):
    last_step = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), visible_to_applicant=True)
        .order_by("-at", "-id")
        .values("action")[:1]
    )
    return (
        Dossier.objects.filter(applicant_id=user_id)
        .annotate(last_action=Subquery(last_step))
        .order_by("-created_at", "-pk")
        .values_list(*APPLICANT_ROW_FIELDS, *NAME_FIELDS, "last_action")[offset : offset + limit]
    )


_applicant_count = Prepared(
    lambda user_id: (
        Dossier.objects.filter(applicant_id=user_id).order_by().values("applicant_id").annotate(n=Count("id"))
    ).values_list("n"),
    sentinel=NO_ID,
)
_applicant_pages = PreparedPages(_applicant_rows_of, sentinel=NO_ID, block=20)


class ApplicantDossiers:
    """ "Hồ sơ của tôi" for ``Paginator``: the person's dossiers, drafts included, newest first, each with the last
    step they may see and the names the list shows (only those read). Its count and a page's rows are prepared
    reads (portal/prepared.py): each person's list is another query, compiled once per process instead of on every
    request; a page's rows are instances with their procedure and agencies' names, made without ``Model.__init__``."""

    def __init__(self, user: User):
        self.user_id = user.pk

    def count(self) -> int:
        rows = _applicant_count(self.user_id)
        return rows[0][0] if rows else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, bounds: slice) -> list[Dossier]:
        offset = bounds.start or 0
        rows = _applicant_pages(self.user_id, offset, bounds.stop - offset)
        make = _applicant_dossier_maker()
        return [make(row) for row in rows]


def _applicant_dossier_maker():
    """A function making a row of ``_applicant_rows_of`` into a dossier with its procedure and agencies (their names) and
    the last step the applicant may see."""
    with_names = dossier_with_names(APPLICANT_ROW_FIELDS)

    def make(row) -> Dossier:
        dossier = with_names(row)
        dossier.last_action = row[-1]
        return dossier

    return make


def dossiers_of_applicant(user: User) -> ApplicantDossiers:
    """ "Hồ sơ của tôi", to page through (``ApplicantDossiers``)."""
    return ApplicantDossiers(user)


_unread_count = Prepared(
    lambda user_id: (
        Notification.objects.filter(user_id=user_id, read_at__isnull=True)
        .order_by()
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("n")
    ),
    sentinel=NO_ID,
)


def unread_notification_count(user_id: int) -> int:
    """How many of the person's notifications are unread (the header shows it on every signed-in page: a prepared
    read, compiled once per process)."""
    rows = _unread_count(user_id)
    return rows[0][0] if rows else 0


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


# Read whenever a dossier is counted again for the statistics (every step): compiled once (portal/prepared.py).
_statistics_row = Prepared(
    lambda pk: Dossier.objects.filter(pk=pk).order_by().values_list(*STATISTICS_FIELDS), sentinel=-1
)


def statistics_row(dossier_id: int) -> dict | None:
    """One dossier's fields the public statistics count (as ``statistics_source``), or None when it is gone."""
    rows = _statistics_row(dossier_id)
    return dict(zip(STATISTICS_FIELDS, rows[0], strict=True)) if rows else None


def statistics_rows() -> QuerySet:
    """The received dossiers' fields the public statistics count, for their rebuild in one statement."""
    return Dossier.objects.filter(received_at__isnull=False).values(*STATISTICS_FIELDS).order_by()


# A dossier's documents count as digitised when one is held in the applicant's electronic store: scanned at the
# counter into it, or reused from it (the vault flags DuocSoHoa / DuocTaiSuDung of ``national/mapping.py``).
DIGITISED_KINDS = (DossierFile.Kind.APPLICATION, DossierFile.Kind.SUPPLEMENT)


_digitised = Prepared(
    lambda pk: (
        DossierFile.objects.filter(dossier_id=pk, kind__in=DIGITISED_KINDS, vault_document__isnull=False)
        .order_by()
        .values_list("pk")[:1]
    ),
    sentinel=-1,
)


def dossier_digitised(dossier_id: int) -> bool:
    return bool(_digitised(dossier_id))


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
