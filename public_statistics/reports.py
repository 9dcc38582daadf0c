"""The monthly report the province sends to the national reporting system, for province admins: per agency, dossiers
carried over, new, resolved on time (early or on time) and late, pending within the deadline and past it at the
month's end, with the province's total; and the month's rating shares. XLSX or CSV."""

import csv
import io

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from openpyxl import Workbook
from openpyxl.styles import Font

from public_statistics import selectors
from public_statistics.names import names_of
from public_statistics.periods import BadQuery, Filters, Period, _month

REPORT_FORMATS = ("xlsx", "csv")


def report_rows(period: Period) -> tuple[list[str], list[list]]:
    header = [
        _("Cơ quan"),
        _("Kỳ trước chuyển sang"),
        _("Tiếp nhận mới"),
        _("Giải quyết đúng hạn"),
        _("Giải quyết quá hạn"),
        _("Đang giải quyết"),
        _("Đang giải quyết quá hạn"),
    ]
    by_agency = selectors.breakdown("co-quan", period, Filters())
    names = names_of("agency_id", list(by_agency))
    rows = []
    for agency_id, f in sorted(by_agency.items(), key=lambda item: names.get(item[0], "")):
        rows.append(
            [
                names.get(agency_id, _("Không xác định")),
                f.carried_over,
                f.received,
                f.early + f.on_time,
                f.late,
                f.pending,
                f.overdue,
            ]
        )
    total = selectors.figures(period, Filters())
    rows.append(
        [
            _("Toàn tỉnh"),
            total.carried_over,
            total.received,
            total.early + total.on_time,
            total.late,
            total.pending,
            total.overdue,
        ]
    )
    return header, rows


def rating_rows(period: Period) -> list[list]:
    """The month's ratings (by the day they were given): how many, the satisfaction share, and the share of the
    applicants' answers scoring 2, 1 and 0 points (Circular 01/2018 indicators 1, 3, 4 and 7)."""
    f = selectors.figures(period, Filters())
    if not f.rated:
        return [[_("Mức độ hài lòng"), _("chưa có dữ liệu")]]
    return [
        [_("Số hồ sơ được đánh giá"), f.rated],
        [_("Mức độ hài lòng, % (điểm đạt được / điểm tối đa)"), _percent(f.satisfaction)],
        [_("Câu trả lời đạt 2 điểm, %"), _percent(f.good_share)],
        [_("Câu trả lời đạt 1 điểm, %"), _percent(f.fair_share)],
        [_("Câu trả lời 0 điểm, %"), _percent(f.poor_share)],
    ]


def _percent(share: float) -> float:
    return round(100 * share, 1)


@require_safe
def monthly_report(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_province_admin:
        return render(
            request,
            "public_statistics/bad_query.html",
            {"error": _("Chỉ quản trị tỉnh được lập báo cáo tháng.")},
            status=403,
        )
    raw, fmt = request.GET.get("thang", ""), request.GET.get("dinh-dang", "")
    if not raw:
        return render(request, "public_statistics/monthly_report.html", {})
    try:
        month = _month(raw)
        if fmt not in REPORT_FORMATS:
            raise BadQuery(_("Chọn định dạng xlsx hoặc csv."))
    except BadQuery as error:
        return render(request, "public_statistics/monthly_report.html", {"error": str(error)}, status=400)
    period = Period(month, month)
    header, rows = report_rows(period)
    ratings = rating_rows(period)
    filename = f"bao-cao-thang-{month:%Y-%m}"
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow(
            [_("Báo cáo tình hình giải quyết thủ tục hành chính tháng %(m)s") % {"m": f"{month:%m/%Y}"}]
        )
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerow([])
        writer.writerows(ratings)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook()
        sheet = book.active
        sheet.title = f"{month:%m-%Y}"
        sheet.append(
            [_("Báo cáo tình hình giải quyết thủ tục hành chính tháng %(m)s") % {"m": f"{month:%m/%Y}"}]
        )
        sheet["A1"].font = Font(bold=True)
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.append([])
        for row in ratings:
            sheet.append(row)
        sheet.column_dimensions["A"].width = 60
        body = io.BytesIO()
        book.save(body)
        response = HttpResponse(
            body.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
