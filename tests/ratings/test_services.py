"""Recording a rating: only returned dossiers, once per dossier, changeable within 24 hours, the signed single-use
link, the summaries kept in step, the outbox row written with it, and the rebuild equal to a direct computation."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail, signing
from django.utils import timezone

from dossiers.models import Dossier
from ratings import links, services
from ratings.errors import RatingError
from ratings.models import Rating, RatingLinkUse, RatingOfficer, RatingOutbox, RatingSummary
from ratings.periods import period_of
from ratings.rebuild import summaries_computed, summaries_rebuild
from ratings.selectors import officer_scores, ranking
from tests.ratings.conftest import answers

S = Dossier.State
pytestmark = pytest.mark.django_db


def record(dossier, user=None, source=Rating.Source.PORTAL, **kwargs):
    return services.rating_record(
        dossier_id=dossier.pk, answers=answers(**kwargs), source=source, user=user or dossier.applicant
    )


def summary(scope, key, period):
    return RatingSummary.objects.get(scope=scope, key=key, year=period.year, quarter=period.quarter)


def test_the_applicant_rates_a_returned_dossier_and_it_counts_for_the_agency_commune_field_and_officers(
    staff,
):
    dossier = staff.dossier_in(S.RETURNED)
    rating = record(dossier, i1=2, i3=1, i4=2, i7=2, comment="Cán bộ nhiệt tình")
    assert (rating.i1, rating.i3, rating.i4, rating.i7) == (2, 1, 2, 2)
    assert rating.agency == staff.justice and rating.commune == staff.commune
    assert rating.i6 in (1, 2) and rating.i2 is not None and rating.on_time
    period = period_of(dossier.returned_at)
    for quarter in (period, period.year_period()):
        row = summary("agency", staff.justice.pk, quarter)
        assert (row.rated, row.s1, row.s3, row.s4, row.s7) == (1, 2, 1, 2, 2)
        assert summary("commune", staff.commune.pk, quarter).rated == 1
    officers = set(RatingOfficer.objects.filter(rating=rating).values_list("user_id", flat=True))
    assert officers == {staff.receiver.pk, staff.handler.pk, staff.leader.pk}
    outbox = RatingOutbox.objects.get()
    assert outbox.kind == "rating" and outbox.payload["dossier"] == dossier.code
    assert outbox.payload["scores"]["3"] == 1


@pytest.mark.parametrize("state", [S.SUBMITTED, S.PROCESSING, S.AWAITING_RETURN, S.REFUSED])
def test_a_dossier_not_yet_returned_cannot_be_rated(staff, state):
    dossier = staff.dossier_in(state)
    with pytest.raises(RatingError, match="chưa được trả kết quả"):
        record(dossier, user=staff.citizen)
    assert (
        not Rating.objects.exists()
        and not RatingSummary.objects.exists()
        and not RatingOutbox.objects.exists()
    )


def test_someone_elses_dossier_is_refused_as_not_found(staff):
    dossier = staff.dossier_in(S.RETURNED)
    with pytest.raises(RatingError, match="Không tìm thấy hồ sơ") as refused:
        record(dossier, user=staff.outsider)
    assert refused.value.status == 404 and not Rating.objects.exists()


@pytest.mark.parametrize("value", [3, -1, "2", True])
def test_values_outside_0_to_2_are_refused_and_nothing_written(staff, value):
    dossier = staff.dossier_in(S.RETURNED)
    with pytest.raises(RatingError, match="0, 1 hoặc 2"):
        services.rating_record(
            dossier_id=dossier.pk,
            answers=services.Answers(i1=value, i3=2, i4=2, i7=2),
            source=Rating.Source.PORTAL,
            user=staff.citizen,
        )
    assert not Rating.objects.exists()


def test_a_rating_changes_within_24_hours_and_the_summaries_move_with_it(staff):
    dossier = staff.dossier_in(S.RETURNED)
    first = record(dossier, i1=2, i3=2, i4=2, i7=2)
    changed = services.rating_record(
        dossier_id=dossier.pk,
        answers=answers(i1=0, i3=2, i4=2, i7=1),
        source=Rating.Source.PORTAL,
        user=staff.citizen,
        now=first.created_at + timedelta(hours=23, minutes=59),
    )
    assert changed.pk == first.pk and (changed.i1, changed.i7) == (0, 1)
    period = period_of(dossier.returned_at)
    row = summary("agency", staff.justice.pk, period)
    assert (row.rated, row.s1, row.s7) == (1, 0, 1)
    assert summary("officer", staff.handler.pk, period.year_period()).s7 == 1
    assert RatingOutbox.objects.count() == 2  # each change goes to the national portal, under its own key


def test_after_24_hours_the_rating_can_no_longer_change(staff):
    dossier = staff.dossier_in(S.RETURNED)
    first = record(dossier, i1=2)
    with pytest.raises(RatingError, match="24 giờ"):
        services.rating_record(
            dossier_id=dossier.pk,
            answers=answers(i1=0),
            source=Rating.Source.PORTAL,
            user=staff.citizen,
            now=first.created_at + timedelta(hours=24, seconds=1),
        )
    first.refresh_from_db()
    assert first.i1 == 2 and summary("agency", staff.justice.pk, period_of(dossier.returned_at)).s1 == 2


def test_the_return_e_mails_a_signed_link_that_works_once(staff):
    mail.outbox.clear()
    dossier = staff.dossier_in(S.RETURNED)
    invitation = next(m for m in mail.outbox if dossier.code in m.subject and "đánh giá" in m.subject.lower())
    assert invitation.to == ["congdan@example.invalid"]
    token = invitation.body.split("/danh-gia/lien-ket/")[1].split("/")[0]
    dossier_id, nonce = links.rating_link_read(token)
    assert dossier_id == dossier.pk
    services.rating_record(
        dossier_id=dossier_id, answers=answers(), source=Rating.Source.LINK, link_nonce=nonce
    )
    with pytest.raises(RatingError, match="đã được dùng"):
        services.rating_record(
            dossier_id=dossier_id, answers=answers(i1=0), source=Rating.Source.LINK, link_nonce=nonce
        )
    assert Rating.objects.get().i1 == 2 and RatingLinkUse.objects.count() == 1


def test_a_forged_or_expired_link_is_refused(staff, settings):
    dossier = staff.dossier_in(S.RETURNED)
    token = links.rating_link_token(dossier.pk)
    forged = signing.TimestampSigner(salt="another").sign_object({"d": dossier.pk, "n": "x"})
    for bad in (forged, token[:-2] + "xx", "abc", token.replace(":", "", 1)):
        with pytest.raises(RatingError, match="không hợp lệ"):
            links.rating_link_read(bad)
    settings.RATINGS_LINK_DAYS = -1
    with pytest.raises(RatingError, match="hết hạn"):
        links.rating_link_read(token)


def test_a_ranking_waits_for_the_minimum_number_of_ratings(staff):
    dossiers = [staff.dossier_in(S.RETURNED) for _ in range(3)]
    for dossier in dossiers:
        record(dossier, i1=2, i3=2, i4=2, i7=2)
    period = period_of(dossiers[0].returned_at)
    row = ranking(scope="agency", period=period, minimum=4).rows[0]
    assert row.rated == 3 and not row.enough and row.rank is None
    row = ranking(scope="agency", period=period, minimum=3).rows[0]
    assert row.enough and row.rank == 1 and row.indicators[1] == Decimal("2.0")


def test_officers_see_their_own_score_leaders_their_officers_and_citizens_nobody(staff):
    dossier = staff.dossier_in(S.RETURNED)
    record(dossier, i1=2, i7=1)
    period = period_of(dossier.returned_at)
    assert [row.key for row in officer_scores(user=staff.handler, period=period)] == [staff.handler.pk]
    seen_by_leader = {row.key for row in officer_scores(user=staff.leader, period=period)}
    assert seen_by_leader == {staff.handler.pk, staff.leader.pk}  # Sở Tư pháp's staff, not the commune's
    assert officer_scores(user=staff.citizen, period=period) == []
    handler = officer_scores(user=staff.handler, period=period)[0]
    assert set(handler.indicators) <= {1, 2, 7} and handler.indicators[7] == Decimal("1.0")


def test_the_summaries_kept_as_ratings_arrive_equal_a_direct_computation_on_random_data(staff):
    rng = random.Random(14)
    dossiers = [staff.dossier_in(S.RETURNED) for _ in range(6)]
    start = timezone.now()
    for dossier in dossiers:
        values = {name: rng.randint(0, 2) for name in ("i1", "i3", "i4", "i7")}
        record(dossier, **values)
        if rng.random() < 0.5:  # a change within the window
            services.rating_record(
                dossier_id=dossier.pk,
                answers=answers(**{name: rng.randint(0, 2) for name in values}),
                source=Rating.Source.PORTAL,
                user=staff.citizen,
                now=start + timedelta(hours=1),
            )

    def as_rows(rows):
        return sorted(
            (r.scope, r.key, r.year, r.quarter, *(getattr(r, c) for c in services.SUMS)) for r in rows
        )

    kept = as_rows(RatingSummary.objects.all())
    assert kept == as_rows(summaries_computed())
    summaries_rebuild()
    assert as_rows(RatingSummary.objects.all()) == kept
    # and the averages are the ratings' own averages
    period = period_of(dossiers[0].returned_at).year_period()
    ratings = list(Rating.objects.filter(agency=staff.justice))
    row = ranking(scope="agency", period=period, minimum=1).rows[0]
    for n in (1, 3, 4, 7):
        direct = Decimal(sum(getattr(r, f"i{n}") for r in ratings)) / len(ratings)
        assert row.indicators[n] == direct.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")


def test_publishing_a_ranking_queues_it_for_the_national_portal_once_per_revision(staff):
    dossier = staff.dossier_in(S.RETURNED)
    record(dossier)
    period = period_of(dossier.returned_at)
    first = services.ranking_publish(scope="agency", period=period, actor=staff.province_admin)
    again = services.ranking_publish(scope="agency", period=period, actor=staff.province_admin)
    assert (first.pk, again.revision) == (again.pk, 2)
    keys = list(RatingOutbox.objects.filter(kind="ranking").values_list("idempotency_key", flat=True))
    assert keys == [f"ranking:agency:{period.slug}:1", f"ranking:agency:{period.slug}:2"]
    payload = RatingOutbox.objects.filter(kind="ranking").first().payload
    assert payload["rows"][0]["agency"] == staff.justice.code and payload["rows"][0]["ranked"] is False
