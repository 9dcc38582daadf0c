"""Recording a rating, keeping the summaries in step with it, and publishing a period's ranking.

``rating_record`` is the one way a rating is written: it checks the dossier (returned, the applicant's own, the
link unused, the 24-hour window), fixes the system-side indicators of the dossier, adds the rating to the summaries
and writes the outbox row for the national portal, all in one transaction.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import selectors as dossier_selectors
from feedback.selectors import feedback_figures
from portal.agencies.models import Agency
from portal.catalog.models import Procedure, ProcedureAgency
from ratings import indicators, page_cache
from ratings.errors import RatingError
from ratings.models import (
    AgencyPeriodFacts,
    RankingPublication,
    Rating,
    RatingLinkUse,
    RatingOfficer,
    RatingOutbox,
    RatingSummary,
)
from ratings.periods import Period, period_of

RETURNED = "returned"
SUMS = ("rated", "s1", "s3", "s4", "s7", "s2", "n2", "s6", "on_time", "online", "digitised", "one_stop")


@dataclass(frozen=True)
class Answers:
    """The applicant's answers, each 0–2, and an optional comment."""

    i1: int
    i3: int
    i4: int
    i7: int
    comment: str = ""

    def check(self) -> None:
        for value in (self.i1, self.i3, self.i4, self.i7):
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 2:
                raise RatingError(_("Mỗi câu hỏi chỉ nhận một trong ba mức 0, 1 hoặc 2."))
        if len(self.comment) > 1000:
            raise RatingError(_("Ý kiến khác dài tối đa 1000 ký tự."))


def _facts_or_refuse(dossier_id: int) -> dict:
    facts = dossier_selectors.dossier_rating_facts(dossier_id)
    if facts is None:
        raise RatingError(_("Không tìm thấy hồ sơ."), status=404)
    if facts["state"] != RETURNED:
        raise RatingError(_("Hồ sơ chưa được trả kết quả nên chưa thể đánh giá."), status=409)
    return facts


def _commune_of(facts: dict) -> int | None:
    if facts["receiving_agency__kind"] == Agency.Kind.COMMUNE:
        return facts["receiving_agency_id"]
    if facts["handling_agency__kind"] == Agency.Kind.COMMUNE:
        return facts["handling_agency_id"]
    return None


def _system_side(facts: dict) -> dict:
    period = period_of(facts["returned_at"])
    rules = indicators.Rules(period.end)
    procedure = Procedure.objects.values("is_active", "decision_number", "parse_problems").get(
        pk=facts["procedure_id"]
    )
    agency_id = facts["handling_agency_id"] or facts["receiving_agency_id"]
    return {
        "i2": indicators.score_each_unit_time(
            early=facts["steps_early"],
            on_time=facts["steps_on_time"],
            late=facts["steps_late"],
            params=rules.of(2),
        ),
        "i6": indicators.score_publication(
            active=procedure["is_active"],
            decision_number=procedure["decision_number"],
            parse_problems=procedure["parse_problems"],
        ),
        "agency_id": agency_id,
        "commune_id": _commune_of(facts),
        "field_id": facts["procedure__field_id"],
        "year": period.year,
        "quarter": period.quarter,
        "on_time": facts["on_time"],
        "online": facts["online"],
        "digitised": facts["digitised"],
        # Handled in full where it was received: no other agency took it over.
        "one_stop": facts["handling_agency_id"] in (None, facts["receiving_agency_id"]),
    }


def summary_keys(rating: Rating, officer_ids) -> list[tuple[str, int]]:
    keys = [(RatingSummary.Scope.AGENCY, rating.agency_id)]
    if rating.commune_id:
        keys.append((RatingSummary.Scope.COMMUNE, rating.commune_id))
    if rating.field_id:
        keys.append((RatingSummary.Scope.FIELD, rating.field_id))
    keys += [(RatingSummary.Scope.OFFICER, user_id) for user_id in officer_ids]
    return keys


def rating_sums(rating: Rating) -> dict[str, int]:
    return {
        "rated": 1,
        "s1": rating.i1,
        "s3": rating.i3,
        "s4": rating.i4,
        "s7": rating.i7,
        "s2": rating.i2 or 0,
        "n2": int(rating.i2 is not None),
        "s6": rating.i6,
        "on_time": int(rating.on_time),
        "online": int(rating.online),
        "digitised": int(rating.digitised),
        "one_stop": int(rating.one_stop),
    }


def _summaries_add(rating: Rating, officer_ids) -> None:
    """Add one new rating to every summary it counts in (inserting the rows that do not exist yet)."""
    sums = rating_sums(rating)
    table = RatingSummary._meta.db_table
    columns = ", ".join(SUMS)
    updates = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in SUMS)
    # Table and column names are this module's constants; the values are parameters.
    sql = (
        f"INSERT INTO {table} (scope, key, year, quarter, {columns}) "  # noqa: S608
        f"VALUES (%s, %s, %s, %s, {', '.join(['%s'] * len(SUMS))}) "
        f"ON CONFLICT (scope, key, year, quarter) DO UPDATE SET {updates}"
    )
    rows = [
        (scope, key, rating.year, quarter, *(sums[c] for c in SUMS))
        for scope, key in summary_keys(rating, officer_ids)
        for quarter in (rating.quarter, 0)
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _summaries_change(rating: Rating, before: dict[str, int], officer_ids) -> None:
    """Move the summaries a changed rating counts in by the difference of its answers."""
    after = rating_sums(rating)
    delta = {c: F(c) + (after[c] - before[c]) for c in SUMS if after[c] != before[c]}
    if not delta:
        return
    for scope, key in summary_keys(rating, officer_ids):
        RatingSummary.objects.filter(
            scope=scope, key=key, year=rating.year, quarter__in=(rating.quarter, 0)
        ).update(**delta)


def agency_facts_refresh(*, agency_id: int, period: Period, now=None) -> AgencyPeriodFacts:
    """What the feedback and the catalogue say of an agency in a period (indicators 8 and 9)."""
    agency = Agency.objects.get(pk=agency_id)
    figures = feedback_figures(period_start=period.start, period_end=period.end, agency=agency, now=now)
    links = ProcedureAgency.objects.filter(agency_id=agency_id, procedure__is_active=True)
    online = links.filter(procedure__online_level__gte=Procedure.OnlineLevel.SUBMISSION) | links.exclude(
        procedure__online_scope=""
    )
    facts, _created = AgencyPeriodFacts.objects.update_or_create(
        agency_id=agency_id,
        year=period.year,
        quarter=period.quarter,
        defaults={
            "feedback_answered": figures.answered_on_time + figures.answered_late,
            "feedback_on_time": figures.answered_on_time,
            "procedures": links.values("procedure_id").distinct().count(),
            "procedures_online": online.values("procedure_id").distinct().count(),
            "refreshed_at": timezone.now(),
        },
    )
    page_cache.years_changed([period.year])
    return facts


def _outbox_rating(rating: Rating, code: str) -> None:
    RatingOutbox.objects.create(
        kind=RatingOutbox.Kind.RATING,
        idempotency_key=f"rating:{code}:{rating.changed_at.isoformat()}",
        payload={
            "dossier": code,
            "scores": {
                "1": rating.i1,
                "2": rating.i2,
                "3": rating.i3,
                "4": rating.i4,
                "6": rating.i6,
                "7": rating.i7,
            },
            "source": rating.source,
            "rated_at": rating.created_at.isoformat(),
            "changed_at": rating.changed_at.isoformat(),
        },
    )


@transaction.atomic
def rating_record(
    *,
    dossier_id: int,
    answers: Answers,
    source: str,
    user=None,
    link_nonce: str | None = None,
    now=None,
) -> Rating:
    """Record (or, within ``RATINGS_CHANGE_HOURS`` of the first answer, change) the applicant's rating of a returned
    dossier. ``source`` says who vouches for the applicant: their signed-in account (``portal``), a signed link's
    unused nonce (``link``) or the officer at the counter whose kiosk page it is (``kiosk``, checked by the view)."""
    now = now or timezone.now()
    answers.check()
    facts = _facts_or_refuse(dossier_id)
    if source == Rating.Source.PORTAL and (user is None or facts["applicant_id"] != user.pk):
        raise RatingError(_("Không tìm thấy hồ sơ."), status=404)
    if source == Rating.Source.LINK:
        try:
            with transaction.atomic():
                RatingLinkUse.objects.create(nonce=link_nonce, dossier_id=dossier_id, used_at=now)
        except IntegrityError:
            raise RatingError(
                _("Đường dẫn đánh giá này đã được dùng. Mỗi đường dẫn chỉ dùng được một lần."), status=410
            ) from None
    existing = Rating.objects.select_for_update().filter(dossier_id=dossier_id).first()
    applicant = {
        "i1": answers.i1,
        "i3": answers.i3,
        "i4": answers.i4,
        "i7": answers.i7,
        "comment": answers.comment,
    }
    if existing is not None:
        if now - existing.created_at > timedelta(hours=settings.RATINGS_CHANGE_HOURS):
            raise RatingError(
                _("Hồ sơ này đã được đánh giá; đánh giá chỉ sửa được trong 24 giờ sau khi gửi."), status=409
            )
        officer_ids = list(existing.officers.values_list("user_id", flat=True))
        before = rating_sums(existing)
        for name, value in applicant.items():
            setattr(existing, name, value)
        existing.changed_at = now
        existing.save()
        _summaries_change(existing, before, officer_ids)
        _outbox_rating(existing, facts["code"])
        page_cache.years_changed([existing.year])
        return existing
    rating = Rating.objects.create(
        dossier_id=dossier_id,
        source=source,
        created_at=now,
        changed_at=now,
        **applicant,
        **_system_side(facts),
    )
    RatingOfficer.objects.bulk_create(
        [RatingOfficer(rating=rating, user_id=uid) for uid in facts["officer_ids"]]
    )
    _summaries_add(rating, facts["officer_ids"])
    period = Period(rating.year, rating.quarter)
    for agency_id in {rating.agency_id, rating.commune_id} - {None}:
        for each in (period, period.year_period()):
            agency_facts_refresh(agency_id=agency_id, period=each, now=now)
    _outbox_rating(rating, facts["code"])
    page_cache.years_changed([rating.year])
    return rating


@transaction.atomic
def ranking_publish(*, scope: str, period: Period, actor) -> RankingPublication:
    """Publish the ranking of ``scope`` (agencies or communes) for ``period`` and queue it for the national portal
    (a new revision each time it is published again)."""
    from ratings.selectors import ranking

    table = ranking(scope=scope, period=period)
    publication, created = RankingPublication.objects.select_for_update().get_or_create(
        scope=scope,
        year=period.year,
        quarter=period.quarter,
        defaults={"published_by": actor, "published_at": timezone.now()},
    )
    if not created:
        publication.revision += 1
        publication.published_by, publication.published_at = actor, timezone.now()
        publication.save()
    RatingOutbox.objects.create(
        kind=RatingOutbox.Kind.RANKING,
        idempotency_key=f"ranking:{scope}:{period.slug}:{publication.revision}",
        payload={"scope": scope, "period": period.slug, "rows": [row_payload(row) for row in table.rows]},
    )
    return publication


def row_payload(row) -> dict:
    return {
        "agency": row.code,
        "name": row.name,
        "rated": row.rated,
        "ranked": row.enough,
        "indicators": {str(n): float(v) for n, v in row.indicators.items()},
        "total": float(row.total),
        "band": row.band if row.enough else "",
        "index": {k: float(v) for k, v in row.index.items()},
        "index_total": float(row.index_total) if row.index_total is not None else None,
    }
