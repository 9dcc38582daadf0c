"""Reads of the ratings: a period's ranking of agencies or communes (from the summaries, one query each for the
summaries, the agencies' facts and names, and the rules), officers' scores for those who may see them, and a
dossier's rating."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Field
from portal.prepared import NO_ID, Prepared
from ratings.indicators import Evaluation, Rules, evaluate
from ratings.models import AgencyPeriodFacts, RankingPublication, Rating, RatingSummary
from ratings.periods import Period

Scope = RatingSummary.Scope


@dataclass
class Row(Evaluation):
    code: str = ""
    rank: int | None = None


@dataclass
class Ranking:
    scope: str
    period: Period
    minimum: int
    rows: list[Row]

    @property
    def ranked(self) -> list[Row]:
        return [row for row in self.rows if row.enough]


def _rows(summaries, facts_by_agency, rules, *, minimum: int, officer=False) -> list[Row]:
    rows = []
    for summary in summaries:
        evaluation = evaluate(
            summary, facts_by_agency.get(summary.key), rules, minimum=minimum, officer=officer
        )
        rows.append(Row(**evaluation.__dict__))
    return rows


def _ordered(rows: list[Row]) -> list[Row]:
    """Ranked rows by total, then index, then more ratings; the agencies below the minimum after them, unranked."""
    ranked = sorted(
        (row for row in rows if row.enough),
        key=lambda row: (-row.total, -(row.index_total or Decimal(0)), -row.rated, row.name),
    )
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    rest = sorted((row for row in rows if not row.enough), key=lambda row: (-row.rated, row.name))
    return ranked + rest


def ranking(*, scope: str, period: Period, minimum: int | None = None) -> Ranking:
    """The ranking of agencies (``agency``), communes (``commune``) or fields (``field``) in ``period``."""
    minimum = settings.RATINGS_MINIMUM_RATED if minimum is None else minimum
    summaries = list(RatingSummary.objects.filter(scope=scope, year=period.year, quarter=period.quarter))
    keys = [summary.key for summary in summaries]
    facts = {
        f.agency_id: f
        for f in AgencyPeriodFacts.objects.filter(
            agency_id__in=keys, year=period.year, quarter=period.quarter
        )
    }
    named = Field.objects.filter(pk__in=keys) if scope == Scope.FIELD else Agency.objects.filter(pk__in=keys)
    code = "slug" if scope == Scope.FIELD else "code"
    names = {pk: (name, code) for pk, name, code in named.values_list("pk", "name", code)}
    rows = _rows(summaries, facts, Rules(period.end), minimum=minimum)
    for row in rows:
        row.name, row.code = names.get(row.key, ("", ""))
    return Ranking(scope=scope, period=period, minimum=minimum, rows=_ordered(rows))


def officers_visible_to(user: User) -> list[int] | None:
    """The officers whose scores ``user`` may see: a leader or admin, the staff of their agencies; any other officer,
    themself; the public, nobody (None)."""
    if not (user.is_authenticated and user.is_officer):
        return None
    if user.role in (User.Role.LEADER, User.Role.DEPARTMENT_ADMIN, User.Role.PROVINCE_ADMIN):
        if user.role == User.Role.PROVINCE_ADMIN:
            return list(User.objects.filter(role__in=User.STAFF_ROLES).values_list("pk", flat=True))
        return list(
            User.objects.filter(memberships__agency_id__in=user.agency_ids(), role__in=User.STAFF_ROLES)
            .values_list("pk", flat=True)
            .distinct()
        )
    return [user.pk]


def officer_scores(*, user: User, period: Period) -> list[Row]:
    """The scores of the officers ``user`` may see in ``period`` (an officer with no rating in it is not listed)."""
    visible = officers_visible_to(user) or []
    summaries = list(
        RatingSummary.objects.filter(
            scope=Scope.OFFICER, key__in=visible, year=period.year, quarter=period.quarter
        )
    )
    rows = _rows(summaries, {}, Rules(period.end), minimum=1, officer=True)
    names = dict(User.objects.filter(pk__in=[row.key for row in rows]).values_list("pk", "full_name"))
    usernames = dict(User.objects.filter(pk__in=[row.key for row in rows]).values_list("pk", "username"))
    for row in rows:
        row.name = names.get(row.key) or usernames.get(row.key, "")
    return sorted(rows, key=lambda row: (-row.total, row.name))


def rating_of(dossier_id: int) -> Rating | None:
    return Rating.objects.filter(dossier_id=dossier_id).first()


# Read whenever a dossier is counted again for the statistics (every step): compiled once (portal/prepared.py).
_answers_of = Prepared(
    lambda pk: (
        Rating.objects.filter(dossier_id=pk)
        .order_by("pk")
        .values_list("created_at", "i1", "i3", "i4", "i7")[:1]
    ),
    sentinel=NO_ID,
)


def rating_answers_of(dossier_id: int) -> tuple | None:
    """When the dossier was rated and the applicant's four answers (indicators 1, 3, 4, 7, each 0–2), or None."""
    return next(iter(_answers_of(dossier_id)), None)


def rating_answers() -> QuerySet:
    """Every rating's dossier, moment and four applicant answers (``dossier_id``, ``created_at``, ``i1``, ``i3``,
    ``i4``, ``i7``), for the public statistics' rebuild."""
    return Rating.objects.values("dossier_id", "created_at", "i1", "i3", "i4", "i7")


def is_provincial_office(user: User) -> bool:
    """Whether ``user`` belongs to the provincial office (``FEEDBACK_OFFICE_AGENCY_CODE``, Văn phòng UBND tỉnh)."""
    return Agency.objects.filter(pk__in=user.agency_ids(), code=settings.FEEDBACK_OFFICE_AGENCY_CODE).exists()


def publication_of(*, scope: str, period: Period) -> RankingPublication | None:
    return RankingPublication.objects.filter(scope=scope, year=period.year, quarter=period.quarter).first()


def rating_changeable(rating: Rating, now=None) -> bool:
    """Whether the rating may still be changed (within ``RATINGS_CHANGE_HOURS`` of its first answer)."""
    now = now or timezone.now()
    return now - rating.created_at <= timedelta(hours=settings.RATINGS_CHANGE_HOURS)
