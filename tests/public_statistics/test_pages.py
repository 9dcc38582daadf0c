"""The public statistics pages: no sign-in, every filter in the URL, a readable 400 for a bad one, the chart's table
and the open data equal to the figures, the commune map with all 102 communes, the procedure page's section."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier
from loadtest.generator import generate_dossiers
from portal.agencies.models import Agency
from portal.catalog.models import Procedure
from public_statistics import selectors
from public_statistics.periods import Filters, Period, add_months
from public_statistics.rebuild import statistics_rebuild

pytestmark = pytest.mark.django_db
OVERVIEW = reverse("public_statistics:overview")


@pytest.fixture
def history(settings):
    settings.PORTAL_STATISTICS_CACHE_SECONDS = 0
    generate_dossiers(count=150, seed=5)
    statistics_rebuild()


def _last_year() -> Period:
    today = timezone.localdate()
    this_month = date(today.year, today.month, 1)
    return Period(add_months(this_month, -11), this_month)


def test_the_overview_shows_the_period_figures_and_its_json_equals_them(client, history):
    period = _last_year()
    query = f"tu={period.first:%Y-%m}&den={period.last:%Y-%m}"
    page = client.get(f"{OVERVIEW}?{query}")
    assert page.status_code == 200
    html = page.content.decode()
    figures = selectors.figures(period, Filters())
    assert "<svg" in html and 'id="trend-table"' in html

    data = client.get(f"{OVERVIEW}?{query}&dinh-dang=json").json()
    assert data["totals"]["received"] == figures.received
    assert data["totals"]["pending"] == figures.pending
    assert sum(row["received"] for row in data["rows"]) == figures.received
    assert len(data["rows"]) == 12
    # The chart's table has one row a month, with the same received counts as the open data.
    for row in data["rows"]:
        month = row["month"]
        assert f"{month[5:]}/{month[:4]}" in html


def test_a_bad_period_or_filter_is_a_400_with_a_sentence(client):
    for query in ("ky=2026-13", "tu=2026-05&den=2026-01", "co-quan=abc", "kenh=fax", "dinh-dang=xml"):
        response = client.get(f"{OVERVIEW}?{query}")
        assert response.status_code == 400, query
        assert '<div class="error-summary" role="alert"><p>' in response.content.decode()
    assert client.get(reverse("public_statistics:breakdown", args=["nothing"])).status_code == 404


def test_a_drill_down_sorts_and_its_csv_matches(client, history):
    url = reverse("public_statistics:breakdown", args=["co-quan"])
    page = client.get(f"{url}?ky={timezone.localdate().year}&sap-xep=tiep-nhan&thu-tu=giam")
    assert page.status_code == 200
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"{url}?ky={timezone.localdate().year}&dinh-dang=csv").content.decode("utf-8-sig")
            )
        )
    )
    received = [int(r[2]) for r in rows[1:]]
    assert received == sorted(received, reverse=True)
    assert (
        sum(received)
        == selectors.figures(
            Period(date(timezone.localdate().year, 1, 1), date(timezone.localdate().year, 12, 1)), Filters()
        ).received
    )
    assert 'aria-sort="descending"' in page.content.decode()


def test_a_drill_down_shows_an_agency_by_its_new_name_as_soon_as_it_is_renamed(client, history):
    url = reverse("public_statistics:breakdown", args=["co-quan"]) + f"?ky={timezone.localdate().year}"
    agency_id = next(iter(selectors.breakdown("co-quan", _last_year(), Filters())))
    agency = Agency.objects.get(pk=agency_id)
    assert agency.name in client.get(url).content.decode()  # the names are now kept
    agency.name = "Sở Thử Đổi Tên"
    agency.save()
    html = client.get(url).content.decode()
    assert "Sở Thử Đổi Tên" in html


def test_the_map_draws_every_commune_with_a_link_and_a_row(client, history):
    page = client.get(reverse("public_statistics:map") + "?mau=so-luong")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<path ") == 102
    assert html.count(f'href="{OVERVIEW}?') >= 2 * 102  # each commune: its shape and its table row
    assert client.get(reverse("public_statistics:map") + "?mau=xanh").status_code == 400


def test_a_procedure_page_shows_its_figures_and_processing_times(client, history):
    procedure_id = (
        Dossier.objects.filter(state=Dossier.State.RETURNED).values_list("procedure_id", flat=True).first()
    )
    procedure = Procedure.objects.get(pk=procedure_id)
    html = client.get(reverse("catalog:procedure_detail", args=[procedure.code])).content.decode()
    assert "Tình hình giải quyết" in html
    assert "ngày làm việc" in html
    assert f"thu-tuc={procedure_id}" in html


def test_the_api_gives_the_same_figures_and_is_in_the_openapi_document(client, history):
    period = _last_year()
    query = f"tu={period.first:%Y-%m}&den={period.last:%Y-%m}"
    data = client.get(f"/api/v1/statistics/overview?{query}").json()
    assert data["totals"]["received"] == selectors.figures(period, Filters()).received
    rows = client.get(f"/api/v1/statistics/by/linh-vuc?{query}").json()["rows"]
    assert sum(row["received"] for row in rows) == data["totals"]["received"]
    assert client.get("/api/v1/statistics/overview?ky=2026-13").status_code == 400
    assert client.get("/api/v1/statistics/by/nothing").status_code == 404
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/statistics/overview" in paths and "/api/v1/statistics/by/{dimension}" in paths


def test_kept_figures_are_dropped_by_a_rebuild_and_a_signed_in_visitor_gets_their_own_page(
    client, settings, make_user
):
    settings.PORTAL_STATISTICS_CACHE_SECONDS = 300
    everything = f"{OVERVIEW}?tu=2024-01&den=2026-12"
    first = client.get(everything).content
    generate_dossiers(count=30, seed=2)  # bulk writes send no signal: the tables move only with the rebuild
    statistics_rebuild()  # a new version of the 'statistics' namespace: the kept figures are not served
    assert client.get(everything).content != first
    client.force_login(make_user("nguoi-xem"))
    mine = client.get(f"{OVERVIEW}?ky=2025").content.decode()
    assert "Đăng xuất" in mine  # rendered for them, not the anonymous copy


def test_the_overview_shows_feedback_answered_on_time_from_the_feedback_app(client, settings):
    from feedback.selectors import feedback_figures

    settings.PORTAL_STATISTICS_CACHE_SECONDS = 0
    period = _last_year()
    figures = feedback_figures(period_start=period.first, period_end=period.end_day)
    html = client.get(f"{OVERVIEW}?tu={period.first:%Y-%m}&den={period.last:%Y-%m}").content.decode()
    if figures.answered:
        assert f"{figures.answered_on_time} / {figures.answered}" in html
    else:
        assert "Phản ánh, kiến nghị trả lời đúng hạn</dt><dd>chưa có dữ liệu" in html


def test_the_overview_and_the_monthly_report_show_payment_digitisation_and_satisfaction_as_they_happen(
    client, history, staff
):
    """A rating, a payment and a digitised document, each saved in its own app, move the figures at once."""
    from dossiers.models import DossierFile, VaultDocument
    from payments.models import Payment
    from ratings.models import Rating
    from tests.accounts.mfa import staff_login

    now = timezone.now()
    month = date(timezone.localdate().year, timezone.localdate().month, 1)
    this_month = f"{OVERVIEW}?ky={month:%Y-%m}"
    assert "Mức độ hài lòng</dt><dd>chưa có dữ liệu" in client.get(this_month).content.decode()
    dossier = Dossier.objects.filter(state=Dossier.State.RETURNED).order_by("-received_at").first()
    owner = staff.province_admin
    Rating.objects.create(
        dossier=dossier,
        i1=2,
        i3=2,
        i4=1,
        i7=0,
        i6=2,
        source="portal",
        agency_id=dossier.receiving_agency_id,
        year=now.year,
        quarter=1,
        on_time=True,
        online=True,
        digitised=False,
        one_stop=True,
        created_at=now,
        changed_at=now,
    )
    received = dossier.received_at
    period = Period(date(received.year, received.month, 1), date(received.year, received.month, 1))
    before = selectors.figures(period, Filters())
    Payment.objects.create(
        dossier=dossier, payer=owner, order_id="P15", amount=1, description="x", state=Payment.State.PAID
    )
    vault = VaultDocument.objects.create(
        owner=owner,
        source="digitised",
        doc_type="x",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    DossierFile.objects.create(
        dossier=dossier,
        label="x",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        vault_document=vault,
    )
    after = selectors.figures(period, Filters())
    assert after.paid_online == before.paid_online + 1 and after.digitised == before.digitised + 1
    assert after.payment_share is not None and after.digitised_share is not None

    f = selectors.figures(Period(month, month), Filters())
    assert (f.rated, f.rated_good, f.rated_fair) == (1, 2, 1)
    assert f.satisfaction == 5 / 8
    html = client.get(this_month).content.decode()
    assert "Mức độ hài lòng</dt><dd>62,5" in html or "Mức độ hài lòng</dt><dd>62.5" in html

    staff_login(client, staff.province_admin)
    report = client.get(
        reverse("public_statistics:monthly_report") + f"?thang={month:%Y-%m}&dinh-dang=csv"
    ).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(report)))
    assert ["Số hồ sơ được đánh giá", "1"] in rows
    assert ["Mức độ hài lòng, % (điểm đạt được / điểm tối đa)", "62.5"] in rows
    assert ["Câu trả lời 0 điểm, %", "25.0"] in rows


def test_the_english_drill_down_names_its_dimensions_in_english(client):
    html = client.get("/en" + reverse("public_statistics:breakdown", args=["co-quan"])).content.decode()
    assert "Statistics by agency" in html
    assert "By field" in html and "By procedure" in html and "Theo lĩnh vực" not in html
