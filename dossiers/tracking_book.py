"""Mẫu 06, the tracking book (Sổ theo dõi hồ sơ): one book per receiving agency and year, one line per dossier
received that year, numbered in order of reception (``received_at``, then id). The receipt (Mẫu 01) prints the
same line number.

The rows stream from one query (event times come from subqueries), so a year of a busy centre is exported without
loading it into memory: as CSV (for a ``StreamingHttpResponse``), XLSX or an A4 landscape PDF.

What applicants typed never becomes a formula in the spreadsheet an officer opens (OWASP "CSV injection"): every text
cell of the XLSX is a string cell with Excel's quote prefix, whatever it starts with, and a CSV cell that starts with
``= + - @``, a tab or a carriage return is prefixed with a single quote.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dossiers.models import Dossier, DossierEvent
from dossiers.pdf.dates import short_datetime
from portal.agencies.models import Agency
from portal.pdf.render import render_pdf

S = Dossier.State


@dataclass(frozen=True)
class Row:
    """One line of the book, in the columns of Mẫu 06 (without the signature column, which only the print has)."""

    line: int
    code: str
    procedure: str
    sets: int
    applicant: str
    address_phone: str
    handling_agency: str
    received_at: datetime | None
    due_at: datetime | None
    transferred_at: datetime | None
    result_at: datetime | None
    returned_at: datetime | None
    note: str


HEADERS = (
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Chuyển hồ sơ đến cơ quan giải quyết",
    "Nhận kết quả từ cơ quan giải quyết",
    "Trả kết quả cho cá nhân, tổ chức",
    "Ghi chú",
)
_DATETIME_FIELDS = {"received_at", "due_at", "transferred_at", "result_at", "returned_at"}
_NOTED_STATES = {S.WITHDRAWN, S.STOPPED}


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def tracking_book_dossiers(*, agency: Agency | int, year: int) -> QuerySet[Dossier]:
    """The dossiers in ``agency``'s book for ``year`` (received that year, local time), in line order."""
    start, end = _year_bounds(year)
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    return Dossier.objects.filter(
        receiving_agency_id=agency_id, received_at__gte=start, received_at__lt=end
    ).order_by("received_at", "id")


def tracking_book_line(dossier: Dossier) -> int | None:
    """The dossier's line in its receiving agency's book for the year it was received; None if not received."""
    if dossier.received_at is None:
        return None
    year = timezone.localtime(dossier.received_at).year
    earlier = Q(received_at__lt=dossier.received_at) | Q(received_at=dossier.received_at, id__lte=dossier.pk)
    return tracking_book_dossiers(agency=dossier.receiving_agency_id, year=year).filter(earlier).count()


def _event_time(action: str, *, latest: bool) -> Subquery:
    events = DossierEvent.objects.filter(dossier=OuterRef("pk"), action=action)
    return Subquery(events.order_by("-at" if latest else "at").values("at")[:1])


def _note(values: dict) -> str:
    notes = []
    if values["state"] in _NOTED_STATES:
        notes.append(str(S(values["state"]).label))
    if values["due_reset"]:
        notes.append("Đã xin lỗi, hẹn lại ngày trả")
    if values["returned_at"] and values["due_at"] and values["returned_at"] > values["due_at"]:
        notes.append("Trả quá hạn")
    return "; ".join(notes)


def _row(line: int, values: dict) -> Row:
    contact = ", ".join(part for part in (values["applicant_address"], values["applicant_phone"]) if part)
    return Row(
        line=line,
        code=values["code"] or "",
        procedure=values["procedure__name"],
        sets=1,
        applicant=values["applicant_name"],
        address_phone=contact,
        handling_agency=values["handling_agency__name"] or "",
        received_at=values["received_at"],
        due_at=values["due_at"],
        transferred_at=values["book_transferred_at"],
        result_at=values["book_result_at"],
        returned_at=values["returned_at"],
        note=_note(values),
    )


def tracking_book_rows(*, agency: Agency, year: int, chunk_size: int = 2000) -> Iterator[Row]:
    """The book's rows in line order, streamed from a single query whatever the number of dossiers. "Transferred"
    is the first hand-over to the handling agency, "result received" the latest approval."""
    dossiers = tracking_book_dossiers(agency=agency, year=year).annotate(
        book_transferred_at=_event_time("transfer", latest=False),
        book_result_at=_event_time("approve", latest=True),
    )
    columns = dossiers.values(
        "code",
        "procedure__name",
        "applicant_name",
        "applicant_address",
        "applicant_phone",
        "handling_agency__name",
        "received_at",
        "due_at",
        "returned_at",
        "state",
        "due_reset",
        "book_transferred_at",
        "book_result_at",
    )
    for line, values in enumerate(columns.iterator(chunk_size=chunk_size), start=1):
        yield _row(line, values)


def row_texts(row: Row) -> list[str]:
    """The row's cells as printed: times as ``25/11/2026 14:30`` in local time."""
    return [
        short_datetime(getattr(row, f.name)) if f.name in _DATETIME_FIELDS else str(getattr(row, f.name))
        for f in fields(row)
    ]


# Characters that make Excel, LibreOffice or Google Sheets read a CSV cell as a formula (OWASP).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """``text`` as a CSV cell that a spreadsheet shows as typed: a leading formula character gets a quote before it."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def tracking_book_csv(*, agency: Agency, year: int) -> Iterator[str]:
    """CSV lines (header first) for a ``StreamingHttpResponse``; starts with a UTF-8 BOM so that Excel reads the
    Vietnamese text correctly. Encode each chunk as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADERS)
    for row in tracking_book_rows(agency=agency, year=year):
        yield writer.writerow([csv_safe(text) for text in row_texts(row)])


_XLSX_WIDTHS = (6, 26, 50, 8, 26, 36, 30, 16, 16, 16, 16, 16, 28)


def _xlsx_cell(sheet, value, *, bold: bool = False, datetime_format: bool = False) -> WriteOnlyCell:
    if isinstance(value, datetime):
        value = timezone.localtime(value).replace(tzinfo=None, microsecond=0)  # Excel has no time zones
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl makes "=…" a formula and "#N/A" an error; text typed by an applicant stays text.
        cell.data_type = "s"
        cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    if datetime_format:
        cell.number_format = "dd/mm/yyyy hh:mm"
    return cell


def tracking_book_xlsx(*, agency: Agency, year: int) -> bytes:
    """The book as an XLSX workbook (one sheet, written in openpyxl's streaming mode); times in local time."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=f"Sổ theo dõi {year}")
    for index, width in enumerate(_XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([_xlsx_cell(sheet, f"SỔ THEO DÕI HỒ SƠ NĂM {year} – {agency.name}", bold=True)])
    sheet.append([_xlsx_cell(sheet, header, bold=True) for header in HEADERS])
    for row in tracking_book_rows(agency=agency, year=year):
        sheet.append(
            [
                _xlsx_cell(sheet, getattr(row, f.name), datetime_format=f.name in _DATETIME_FIELDS)
                for f in fields(row)
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tracking_book_pdf(*, agency: Agency, year: int) -> bytes:
    """The book printed on A4 landscape, with the signature column (Ký nhận) left blank for the applicants."""
    agency = Agency.objects.select_related("parent").get(pk=agency.pk)
    rows = (row_texts(row) for row in tracking_book_rows(agency=agency, year=year))
    context = {
        "agency": agency,
        "year": year,
        "title": f"Sổ theo dõi hồ sơ năm {year}",
        "form_code": "06",
        "columns": range(1, len(HEADERS) + 2),
        "rows": rows,
    }
    return render_pdf("dossiers/pdf/tracking_book.html", context)


__all__ = [
    "HEADERS",
    "Row",
    "tracking_book_csv",
    "tracking_book_dossiers",
    "tracking_book_line",
    "tracking_book_pdf",
    "tracking_book_rows",
    "tracking_book_xlsx",
]
