"""The monthly report for the national reporting system: province admins only; per agency and for the province,
carried over, new, resolved on time and late, pending and pending late, equal to the figures of the month; XLSX and
CSV; a bad month is a 400 with a sentence."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from loadtest.generator import generate_dossiers
from public_statistics import selectors
from public_statistics.periods import Filters, Period, add_months
from public_statistics.rebuild import statistics_rebuild
from tests.accounts.mfa import staff_login

pytestmark = pytest.mark.django_db
URL = reverse("public_statistics:monthly_report")


def test_only_a_province_admin_gets_the_report_and_its_totals_are_the_months_figures(client, staff, settings):
    settings.PORTAL_STATISTICS_CACHE_SECONDS = 0
    generate_dossiers(count=120, seed=11)
    statistics_rebuild()
    today = timezone.localdate()
    month = add_months(date(today.year, today.month, 1), -1)
    query = f"?thang={month:%Y-%m}&dinh-dang=csv"

    assert client.get(URL + query).status_code == 302  # to the sign-in page
    staff_login(client, staff.department_admin)
    assert client.get(URL + query).status_code == 403

    staff_login(client, staff.province_admin)
    rows = list(csv.reader(io.StringIO(client.get(URL + query).content.decode("utf-8-sig"))))
    f = selectors.figures(Period(month, month), Filters())
    total = next(row for row in rows if row and row[0] == "Toàn tỉnh")
    assert [int(x) for x in total[1:]] == [
        f.carried_over,
        f.received,
        f.early + f.on_time,
        f.late,
        f.pending,
        f.overdue,
    ]
    assert ["Mức độ hài lòng", "chưa có dữ liệu"] in rows

    book = load_workbook(io.BytesIO(client.get(URL + f"?thang={month:%Y-%m}&dinh-dang=xlsx").content))
    sheet_rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert [
        str(v) if v is not None else "" for v in next(r for r in sheet_rows if r[0] == "Toàn tỉnh")
    ] == total

    assert client.get(URL + "?thang=2026-13&dinh-dang=csv").status_code == 400
    assert client.get(URL + "?thang=2026-11&dinh-dang=pdf").status_code == 400
    assert client.get(URL).status_code == 200
