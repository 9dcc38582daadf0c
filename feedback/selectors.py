"""Reads of feedback that check who may see what (a 404 for anyone else), the staff queues with their deadline
labels, suggested duplicates, the public list of published answers and the figures for ratings and statistics."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.postgres.search import TrigramSimilarity
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, Value
from django.db.models.functions import Left
from django.http import Http404
from django.utils import timezone

from feedback import rules
from feedback.models import ANSWERED_STATES, OPEN_STATES, Feedback
from portal.accounts.models import User
from portal.workdays import calendar as workdays

S = Feedback.State
PAGE_SIZE = 20
SOON_WORKING_DAYS = 2


# --- access ----------------------------------------------------------------------------------------------------------


def feedback_visible_to(user) -> QuerySet[Feedback]:
    """Staff: every item for province admins and the provincial office; otherwise the items routed to or recorded
    by their agencies. A citizen: their own items. Anyone else: nothing."""
    if not user or not user.is_authenticated or not user.is_active:
        return Feedback.objects.none()
    if user.is_officer:
        if rules.sees_everything(user):
            return Feedback.objects.all()
        agencies = user.agency_ids()
        return Feedback.objects.filter(Q(agency_id__in=agencies) | Q(receiving_agency_id__in=agencies))
    return Feedback.objects.filter(sender=user)


def feedback_get_for_staff(*, user, code: str) -> Feedback:
    if not user.is_authenticated or not user.is_officer:
        raise Http404("Không tìm thấy phản ánh")
    item = (
        feedback_visible_to(user)
        .select_related("procedure", "field", "agency", "suggested_agency", "receiving_agency", "handler")
        .filter(code=code)
        .first()
    )
    if item is None:
        raise Http404("Không tìm thấy phản ánh")
    return item


def feedback_get_for_sender(*, user, code: str) -> Feedback:
    item = Feedback.objects.select_related("agency", "procedure").filter(sender=user, code=code).first()
    if item is None or not user.is_authenticated:
        raise Http404("Không tìm thấy phản ánh")
    return item


def feedback_of_sender(user) -> QuerySet[Feedback]:
    return Feedback.objects.filter(sender=user).select_related("agency").order_by("-received_at", "-pk")


def feedback_events_for_sender(feedback: Feedback):
    return feedback.events.filter(visible_to_sender=True).select_related("agency").order_by("at", "pk")


def feedback_find_for_tracking(code: str) -> Feedback | None:
    return Feedback.objects.select_related("agency").filter(code=code).first()


# --- staff queues ----------------------------------------------------------------------------------------------------


def deadline_label(item: Feedback, now: datetime) -> str:
    """ "overdue", "soon" (within two working days) or "" for an open item's running deadline."""
    due = item.due_at
    if due is None:
        return ""
    if due < now:
        return "overdue"
    if due <= workdays.add_working_days(now, SOON_WORKING_DAYS):
        return "soon"
    return ""


@dataclass(frozen=True)
class QueueFilters:
    queue: str = "agency"  # "routing", "agency", "mine", "closed"
    state: str = ""
    due: str = ""  # "overdue", "soon"
    q: str = ""


def queues_for(user) -> list[str]:
    if not user.is_authenticated or not user.is_officer:
        return []
    names = []
    if user.is_province_admin or user.role != User.Role.HANDLING_OFFICER:
        names.append("routing")
    names.append("agency")
    if user.role in (User.Role.HANDLING_OFFICER, User.Role.LEADER):
        names.append("mine")
    names.append("closed")
    return names


def queue_items(*, user, filters: QueueFilters, now: datetime) -> QuerySet[Feedback]:
    visible = feedback_visible_to(user)
    if filters.queue == "routing":
        items = visible.filter(state=S.RECEIVED)
        if not rules.sees_everything(user):
            items = items.filter(receiving_agency_id__in=user.agency_ids())
        due_field = "routing_due_at"
    elif filters.queue == "mine":
        items = visible.filter(handler=user, state__in=OPEN_STATES)
        due_field = "answer_due_at"
    elif filters.queue == "closed":
        items = visible.exclude(state__in=OPEN_STATES)
        due_field = "answer_due_at"
    else:
        items = visible.filter(state__in=OPEN_STATES - {S.RECEIVED})
        if not user.is_province_admin:
            items = items.filter(agency_id__in=user.agency_ids())
        due_field = "answer_due_at"
    if filters.state:
        items = items.filter(state=filters.state)
    if filters.due == "overdue":
        items = items.filter(**{f"{due_field}__lt": now}, state__in=OPEN_STATES)
    elif filters.due == "soon":
        soon = workdays.add_working_days(now, SOON_WORKING_DAYS)
        items = items.filter(**{f"{due_field}__gte": now, f"{due_field}__lte": soon}, state__in=OPEN_STATES)
    if filters.q:
        items = items.filter(Q(code__icontains=filters.q) | Q(subject__icontains=filters.q))
    order = F(due_field).asc(nulls_last=True) if filters.queue != "closed" else F("received_at").desc()
    return items.select_related("agency", "procedure", "handler").order_by(order, "pk")


def queue_counts(user, now: datetime) -> dict[str, int]:
    return {
        name: queue_items(user=user, filters=QueueFilters(queue=name), now=now).count()
        for name in queues_for(user)
    }


def page_of(queryset, number: int, size: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, size).get_page(number)


def agency_handlers(feedback: Feedback) -> QuerySet[User]:
    """Who the item may be assigned to: active handling officers and leaders of its agency."""
    return (
        User.objects.filter(
            is_active=True,
            role__in=(User.Role.HANDLING_OFFICER, User.Role.LEADER),
            memberships__agency_id=feedback.agency_id,
        )
        .distinct()
        .order_by("full_name", "username")
    )


# --- duplicates ------------------------------------------------------------------------------------------------------

_WORD = re.compile(r"\w{3,}", re.UNICODE)
TRIGRAM_THRESHOLD = 0.3
TOKEN_THRESHOLD = 0.35
DUPLICATE_CANDIDATES = 200


def trigram_available() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def _tokens(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(text or "")}


def token_overlap(a: str, b: str) -> float:
    """Jaccard similarity of the words of three letters or more."""
    left, right = _tokens(a), _tokens(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def feedback_duplicates(*, feedback: Feedback, user, limit: int = 10) -> list[Feedback]:
    """Open or answered items the user may see that look like this one: the same procedure or dossier, or a similar
    text (PostgreSQL trigram similarity when the extension is installed, else shared words), most alike first."""
    pool = (
        feedback_visible_to(user)
        .exclude(pk=feedback.pk)
        .exclude(state__in=(S.NOT_FEEDBACK, S.MERGED))
        .select_related("agency")
    )
    same = Q(pk__in=[])
    if feedback.procedure_id:
        same |= Q(procedure_id=feedback.procedure_id)
    if feedback.dossier_code:
        same |= Q(dossier_code=feedback.dossier_code)
    found: dict[int, tuple[float, Feedback]] = {
        item.pk: (1.0, item) for item in pool.filter(same).order_by("-received_at")[:limit]
    }
    text = f"{feedback.subject} {feedback.content}"[:2000]
    if trigram_available():
        similar = (
            pool.annotate(
                similarity=TrigramSimilarity("subject", feedback.subject) * 0.5
                + TrigramSimilarity("content", feedback.content[:2000]) * 0.5
            )
            .filter(similarity__gte=TRIGRAM_THRESHOLD)
            .order_by("-similarity")[:limit]
        )
        for item in similar:
            found.setdefault(item.pk, (float(item.similarity), item))
    else:
        for item in pool.order_by("-received_at")[:DUPLICATE_CANDIDATES]:
            score = token_overlap(text, f"{item.subject} {item.content}")
            if score >= TOKEN_THRESHOLD:
                found.setdefault(item.pk, (score, item))
    ranked = sorted(found.values(), key=lambda pair: -pair[0])
    return [item for _score, item in ranked[:limit]]


# --- the public list ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicFilters:
    q: str = ""
    agency: str = ""  # agency code
    field: str = ""  # field slug
    procedure: str = ""  # procedure code
    start: date | None = None
    end: date | None = None


def published_answers(filters: PublicFilters) -> QuerySet[Feedback]:
    """Published answers, newest first; only the published texts (personal data removed) are read."""
    items = Feedback.objects.filter(state=S.PUBLISHED)
    if filters.agency:
        items = items.filter(agency__code=filters.agency)
    if filters.field:
        items = items.filter(field__slug=filters.field)
    if filters.procedure:
        items = items.filter(procedure__code=filters.procedure)
    tz = timezone.get_current_timezone()
    if filters.start:
        items = items.filter(published_at__gte=datetime.combine(filters.start, time.min, tz))
    if filters.end:
        items = items.filter(published_at__lt=datetime.combine(filters.end + timedelta(days=1), time.min, tz))
    if filters.q:
        items = items.filter(Q(public_question__icontains=filters.q) | Q(public_answer__icontains=filters.q))
    return (
        items.select_related("agency", "field", "procedure")
        .only(
            "code",
            "kind",
            "public_question",
            "public_answer",
            "published_at",
            "answered_at",
            "received_at",
            "agency__name",
            "agency__code",
            "field__name",
            "procedure__code",
            "procedure__name",
        )
        .order_by("-published_at", "-pk")
    )


EXCERPT_CHARS = 300


def published_list(filters: PublicFilters) -> QuerySet[Feedback]:
    """``published_answers`` as the list shows them: the question's first line (``list_title``) and the answer's
    first characters (``list_excerpt``, one more than shown to tell whether it goes on) cut in the database, so the
    long texts are neither sent nor truncated in Python."""
    return (
        published_answers(filters)
        .defer("public_question", "public_answer")
        .annotate(
            list_title=Left(Func(F("public_question"), Value("\n"), Value(1), function="split_part"), 200),
            list_excerpt=Left("public_answer", EXCERPT_CHARS + 1),
        )
    )


def published_get(code: str) -> Feedback:
    item = published_answers(PublicFilters()).filter(code=code).first()
    if item is None:
        raise Http404("Không tìm thấy phản ánh")
    return item


# --- figures ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackFigures:
    received: int
    forwarded: int
    answered_on_time: int
    answered_late: int
    open_within_deadline: int
    open_past_deadline: int
    satisfied: int
    not_satisfied: int

    @property
    def answered(self) -> int:
        return self.answered_on_time + self.answered_late

    @property
    def on_time_ratio(self) -> float | None:
        """Answered on time among the answered (Circular 01/2018 indicator 8); None when none was answered."""
        return self.answered_on_time / self.answered if self.answered else None

    @property
    def satisfaction_ratio(self) -> float | None:
        rated = self.satisfied + self.not_satisfied
        return self.satisfied / rated if rated else None


def _states(states) -> str:
    """A set of state codes as SQL literals (our own constants, letters and underscores only)."""
    codes = sorted(str(state) for state in states)
    if not all(re.fullmatch(r"[a-z_]+", code) for code in codes):
        raise ValueError(codes)
    return ", ".join(f"'{code}'" for code in codes)


# The figures in one statement of fixed text (plain SQL: the ORM's eight filtered counts cost ~4 ms to compile on
# every overview page, more than running them). Parameters: now, now, start, end (then the optional filters).
_ANSWERED = f"answered_at IS NOT NULL AND state IN ({_states(ANSWERED_STATES)})"
_OPEN = f"state IN ({_states(OPEN_STATES)})"
_FIGURE_NAMES = (
    "received",
    "forwarded",
    "on_time",
    "late",
    "open_late",
    "open_total",
    "n_satisfied",
    "n_not_satisfied",
)
_FIGURES_SQL = (
    "SELECT COUNT(*), "  # noqa: S608 (the states are our constants, the table its name)
    "COUNT(*) FILTER (WHERE routed_at IS NOT NULL AND (agency_id IS NULL OR agency_id <> receiving_agency_id)), "
    f"COUNT(*) FILTER (WHERE {_ANSWERED} AND answered_at <= answer_due_at), "
    f"COUNT(*) FILTER (WHERE {_ANSWERED} AND answered_at > answer_due_at), "
    f"COUNT(*) FILTER (WHERE {_OPEN} AND ((state = '{S.RECEIVED.value}' AND routing_due_at < %s) "
    f"OR (state <> '{S.RECEIVED.value}' AND answer_due_at < %s))), "
    f"COUNT(*) FILTER (WHERE {_OPEN}), "
    "COUNT(*) FILTER (WHERE satisfied), "
    "COUNT(*) FILTER (WHERE NOT satisfied) "
    f"FROM {Feedback._meta.db_table} WHERE received_at >= %s AND received_at < %s"
)


def _pk(value) -> int:
    return value if isinstance(value, int) else value.pk


def feedback_figures(
    *, period_start: date, period_end: date, agency=None, field=None, now=None
) -> FeedbackFigures:
    """Figures about the items received from ``period_start`` to ``period_end`` (both included, local dates), for one
    agency (the competent one, or the receiving one before routing) and/or field when given. "Forwarded": routed to
    an agency other than the one that received it. Answered on time: the answer went out by its deadline. Open items
    are counted against their running deadline at ``now``. Closed as "not feedback" and merged items count as received
    only."""
    tz = timezone.get_current_timezone()
    now = now or timezone.now()
    start = datetime.combine(period_start, time.min, tz)
    end = datetime.combine(period_end + timedelta(days=1), time.min, tz)
    sql, params = _FIGURES_SQL, [now, now, start, end]
    if agency is not None:
        sql += " AND (agency_id = %s OR (agency_id IS NULL AND receiving_agency_id = %s))"
        params += [_pk(agency), _pk(agency)]
    if field is not None:
        sql += " AND field_id = %s"
        params.append(_pk(field))
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [ops.adapt_datetimefield_value(p) if isinstance(p, datetime) else p for p in params]
        )
        row = cursor.fetchone()
    result = dict(zip(_FIGURE_NAMES, (int(n or 0) for n in row), strict=True))
    return FeedbackFigures(
        received=result["received"],
        forwarded=result["forwarded"],
        answered_on_time=result["on_time"],
        answered_late=result["late"],
        open_within_deadline=result["open_total"] - result["open_late"],
        open_past_deadline=result["open_late"],
        satisfied=result["n_satisfied"],
        not_satisfied=result["n_not_satisfied"],
    )


def personal_data_of(user) -> dict:
    """The feedback ``user`` sent while signed in, for the personal-data export (registered in apps.py): what they
    wrote and gave, its state and the answer they received."""

    def iso(value):
        return value.isoformat() if value is not None else None

    items = Feedback.objects.filter(sender=user).order_by("received_at", "pk")
    return {
        "feedback": [
            {
                "code": item.code,
                "kind": item.kind,
                "subject": item.subject,
                "content": item.content,
                "dossier_code": item.dossier_code,
                "sender_name": item.sender_name,
                "sender_phone": item.sender_phone,
                "sender_email": item.sender_email,
                "sender_address": item.sender_address,
                "consent_publish": item.consent_publish,
                "state": item.state,
                "received_at": iso(item.received_at),
                "answered_at": iso(item.answered_at),
                "answer": item.answer if item.answered_at else "",
                "satisfied": item.satisfied,
            }
            for item in items
        ]
    }
