"""The rating pages (signed-in applicant, e-mailed link, counter kiosk), their refusals, the public rankings with
their downloads, and the officers' page."""

import json

import pytest
from django.urls import reverse

from dossiers.models import Dossier
from ratings import links, services
from ratings.models import Rating, RatingLinkUse, RatingSummary
from ratings.periods import period_of
from tests.accounts.mfa import staff_login
from tests.ratings.conftest import answers

S = Dossier.State
GOOD = {"i1": "2", "i3": "1", "i4": "2", "i7": "2", "comment": "Nhanh gọn"}


def test_the_applicant_rates_from_the_dossier_page(client, staff):
    dossier = staff.dossier_in(S.RETURNED)
    client.force_login(staff.citizen)
    page = client.get(reverse("dossiers:citizen_detail", args=[dossier.pk]))
    assert reverse("ratings:rate_mine", args=[dossier.pk]) in page.text
    form = client.get(reverse("ratings:rate_mine", args=[dossier.pk]))
    assert form.status_code == 200 and "Trả sớm hơn ngày hẹn" in form.text and dossier.code in form.text
    response = client.post(reverse("ratings:rate_mine", args=[dossier.pk]), GOOD)
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.i1, rating.i3, rating.comment, rating.source) == (2, 1, "Nhanh gọn", "portal")


def test_someone_elses_dossier_is_404_and_nothing_written(client, staff):
    dossier = staff.dossier_in(S.RETURNED)
    client.force_login(staff.outsider)
    assert client.post(reverse("ratings:rate_mine", args=[dossier.pk]), GOOD).status_code == 404
    assert not Rating.objects.exists()


def test_values_outside_0_to_2_get_a_vietnamese_message_and_nothing_written(client, staff):
    dossier = staff.dossier_in(S.RETURNED)
    client.force_login(staff.citizen)
    response = client.post(reverse("ratings:rate_mine", args=[dossier.pk]), {**GOOD, "i1": "5", "i7": ""})
    assert response.status_code == 400
    assert "Câu trả lời không hợp lệ" in response.text and "Vui lòng chọn một câu trả lời." in response.text
    assert not Rating.objects.exists()


def test_a_dossier_not_returned_yet_cannot_be_rated_from_its_page(client, staff):
    dossier = staff.dossier_in(S.PROCESSING)
    client.force_login(staff.citizen)
    page = client.get(reverse("ratings:rate_mine", args=[dossier.pk]))
    assert page.status_code == 409 and "chưa được trả kết quả" in page.text
    assert client.post(reverse("ratings:rate_mine", args=[dossier.pk]), GOOD).status_code == 409
    assert not Rating.objects.exists()


def test_the_e_mailed_link_rates_without_signing_in_once(client, staff):
    dossier = staff.dossier_in(S.RETURNED)
    url = reverse("ratings:link", args=[links.rating_link_token(dossier.pk)])
    assert client.get(url).status_code == 200
    assert client.post(url, GOOD).status_code == 302
    again = client.post(url, {**GOOD, "i1": "0"})
    assert again.status_code == 410 and "chỉ dùng được một lần" in again.text
    assert client.get(url).status_code == 410
    assert Rating.objects.get().i1 == 2 and RatingLinkUse.objects.count() == 1


def test_a_forged_link_is_refused_with_a_message(client, staff):
    dossier = staff.dossier_in(S.RETURNED)
    token = links.rating_link_token(dossier.pk)
    response = client.post(reverse("ratings:link", args=[token[:-3] + "abc"]), GOOD)
    assert response.status_code == 404 and "không hợp lệ" in response.text
    assert not Rating.objects.exists()


def test_a_flood_from_one_address_is_stopped(client, staff):
    dossier = staff.dossier_in(S.RETURNED)
    client.force_login(staff.outsider)
    for _attempt in range(20):
        client.post(reverse("ratings:rate_mine", args=[dossier.pk]), GOOD)
    client.force_login(staff.citizen)
    response = client.post(reverse("ratings:rate_mine", args=[dossier.pk]), GOOD)
    assert response.status_code == 429 and "quá nhiều đánh giá" in response.text
    assert not Rating.objects.exists()


def test_an_officer_of_the_agency_opens_the_kiosk_page_and_a_stranger_cannot(client, staff):
    dossier = staff.dossier_in(S.RETURNED)
    staff_login(client, staff.stranger)
    assert client.get(reverse("ratings:kiosk", args=[dossier.pk])).status_code == 404
    staff_login(client, staff.receiver)
    work = client.get(reverse("dossiers:officer_dossier", args=[dossier.pk]))
    assert reverse("ratings:kiosk", args=[dossier.pk]) in work.text
    assert client.get(reverse("ratings:kiosk", args=[dossier.pk])).status_code == 200
    assert client.post(reverse("ratings:kiosk", args=[dossier.pk]), GOOD).status_code == 302
    assert Rating.objects.get().source == "kiosk"


def _rated(staff, n=2):
    dossiers = [staff.dossier_in(S.RETURNED) for _ in range(n)]
    for dossier in dossiers:
        services.rating_record(
            dossier_id=dossier.pk, answers=answers(), source=Rating.Source.PORTAL, user=staff.citizen
        )
    return period_of(dossiers[0].returned_at)


def test_the_public_ranking_shows_scores_chart_and_downloads_and_waits_for_the_minimum(
    client, staff, settings
):
    period = _rated(staff)
    settings.RATINGS_MINIMUM_RATED = 3
    page = client.get(reverse("ratings:ranking", args=["co-quan", period.slug]))
    assert page.status_code == 200 and staff.justice.name in page.text and "chưa đủ số phiếu" in page.text
    settings.RATINGS_MINIMUM_RATED = 2
    page = client.get(reverse("ratings:ranking", args=["co-quan", period.slug]))
    assert "<svg" in page.text and "chưa đủ số phiếu" not in page.text.split("<tbody>")[1]
    data = json.loads(
        client.get(reverse("ratings:ranking_download", args=["co-quan", period.slug, "json"])).text
    )
    assert data["rows"][0]["agency"] == staff.justice.code and data["rows"][0]["rank"] == 1
    csv = client.get(reverse("ratings:ranking_download", args=["co-quan", period.slug, "csv"]))
    assert staff.justice.code in csv.content.decode("utf-8-sig")
    communes = client.get(reverse("ratings:ranking", args=["xa-phuong", period.year_period().slug]))
    assert staff.commune.name in communes.text


def test_the_public_ranking_shows_no_officer(client, staff):
    period = _rated(staff, 1)
    page = client.get(reverse("ratings:ranking", args=["co-quan", period.slug]))
    assert staff.handler.username not in page.text and "chuyenvien" not in page.text
    assert client.get(reverse("ratings:officers", args=[period.slug])).status_code == 302  # sign in first
    client.force_login(staff.citizen)
    assert client.get(reverse("ratings:officers", args=[period.slug])).status_code == 404


@pytest.mark.parametrize("period", ["2026-q5", "1999", "abc", "2999"])
def test_a_bad_period_is_404(client, db, period):
    assert client.get(f"/danh-gia/xep-hang/co-quan/{period}/").status_code == 404


def test_leaders_see_their_officers_and_an_officer_only_themself(client, staff):
    period = _rated(staff, 1)
    staff_login(client, staff.leader)
    page = client.get(reverse("ratings:officers", args=[period.slug]))
    assert page.status_code == 200 and "chuyenvien" in page.text or staff.handler.full_name in page.text
    staff_login(client, staff.receiver)
    own = client.get(reverse("ratings:officers", args=[period.slug]))
    rows = own.text.split("<tbody>")[1]
    assert rows.count("<tr>") == 1
    assert RatingSummary.objects.filter(scope="officer", key=staff.receiver.pk).exists()


def test_a_province_admin_publishes_the_ranking_and_others_cannot(client, staff):
    from ratings.models import RankingPublication, RatingOutbox

    period = _rated(staff, 1)
    url = reverse("ratings:publish", args=["co-quan", period.slug])
    staff_login(client, staff.leader)
    assert client.post(url).status_code == 404
    assert (
        "Công bố kết quả kỳ này"
        not in client.get(reverse("ratings:ranking", args=["co-quan", period.slug])).text
    )
    staff_login(client, staff.province_admin)
    page = client.get(reverse("ratings:ranking", args=["co-quan", period.slug]))
    assert "Kết quả kỳ này chưa được công bố." in page.text and "public" not in page.get("Cache-Control", "")
    response = client.post(url, follow=True)
    assert "Đã công bố kết quả xếp hạng (lần 1)" in response.text
    assert RankingPublication.objects.get().revision == 1
    assert RatingOutbox.objects.filter(kind="ranking").count() == 1


def test_the_rebuild_command_writes_the_summaries_again(staff):
    from io import StringIO

    from django.core.management import call_command

    period = _rated(staff, 2)
    before = RatingSummary.objects.get(scope="agency", key=staff.justice.pk, year=period.year, quarter=0)
    RatingSummary.objects.all().delete()
    out = StringIO()
    call_command("rebuild_rating_summaries", stdout=out)
    after = RatingSummary.objects.get(scope="agency", key=staff.justice.pk, year=period.year, quarter=0)
    assert (after.rated, after.s1, after.s7) == (before.rated, before.s1, before.s7) == (2, 4, 4)
    assert "summary rows written" in out.getvalue()


def test_an_anonymous_ranking_page_is_kept_until_a_rating_arrives_in_its_year(client, staff, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.RATINGS_MINIMUM_RATED = 1
    period = _rated(staff, 1)
    url = reverse("ratings:ranking", args=["co-quan", period.slug])
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.content == first.content and len(queries) == 0
    dossier = staff.dossier_in(S.RETURNED)
    services.rating_record(
        dossier_id=dossier.pk, answers=answers(), source=Rating.Source.PORTAL, user=staff.citizen
    )
    fresh = client.get(url).text.split("<tbody>")[1]
    assert "<td>2</td>" in fresh  # two ratings now
    from ratings.models import IndicatorRule

    rule = IndicatorRule.objects.get(indicator=8)
    rule.save()  # an edited threshold makes every kept page stale
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) > 0


def test_the_results_by_field(client, staff):
    period = _rated(staff, 1)
    page = client.get(reverse("ratings:ranking", args=["linh-vuc", period.slug]))
    assert page.status_code == 200 and staff.birth.field.name in page.text


def test_after_24_hours_the_form_says_the_rating_can_no_longer_change(client, staff):
    from datetime import timedelta

    from django.utils import timezone

    dossier = staff.dossier_in(S.RETURNED)
    services.rating_record(
        dossier_id=dossier.pk, answers=answers(), source=Rating.Source.PORTAL, user=staff.citizen
    )
    Rating.objects.update(created_at=timezone.now() - timedelta(hours=25))
    client.force_login(staff.citizen)
    page = client.get(reverse("ratings:rate_mine", args=[dossier.pk]))
    assert page.status_code == 409 and "24 giờ" in page.text
    assert client.post(reverse("ratings:rate_mine", args=[dossier.pk]), GOOD).status_code == 409
