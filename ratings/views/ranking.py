"""Public rankings of agencies and communes for a quarter or a year (``/danh-gia/xep-hang/co-quan/2026-q3/``), each
row with the indicators behind its score, a chart rendered on the server with the same data as the table beside it,
and CSV/JSON downloads; the officers' page shows a leader their officers' scores and an officer their own."""

import csv

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal.accounts.models import User
from ratings import page_cache, selectors
from ratings.indicators import AGENCY_BANDS, OFFICER_INDICATORS
from ratings.periods import Period, period_of, period_parse
from ratings.selectors import officer_scores, ranking
from ratings.services import ranking_publish, row_payload
from ratings.tables import ranking_rows_html

SCOPES = {"co-quan": "agency", "xa-phuong": "commune", "linh-vuc": "field"}
CHART_WIDTH, BAR_HEIGHT, BAR_GAP, LABEL_WIDTH = 640, 22, 8, 0
MAX_SCORE = 18


def _period_or_404(slug: str) -> Period:
    period = period_parse(slug)
    if period is None or period.year > timezone.localdate().year:
        raise Http404
    return period


def _periods_around(period: Period) -> list[Period]:
    return [Period(period.year, q) for q in range(0, 5)]


def _chart(rows) -> dict:
    ranked = [row for row in rows if row.enough][:30]
    bars = []
    for position, row in enumerate(ranked):
        y = position * (BAR_HEIGHT + BAR_GAP)
        width = int(CHART_WIDTH * float(row.total) / MAX_SCORE)
        bars.append({"row": row, "y": y, "width": width, "text_y": y + BAR_HEIGHT - 6})
    height = max(len(bars) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT)
    return {"bars": bars, "height": height, "width": CHART_WIDTH}


@require_safe
def ranking_page(request: HttpRequest, scope: str, period: str) -> HttpResponse:
    if scope not in SCOPES:
        raise Http404
    selected = _period_or_404(period)
    key = page_cache.entry_key("page", scope, selected.slug)
    return page_cache.kept(request, key, selected.year, lambda: _ranking_page(request, scope, selected))


def _ranking_page(request: HttpRequest, scope: str, selected: Period) -> HttpResponse:
    table = ranking(scope=SCOPES[scope], period=selected)
    context = {
        "table": table,
        "scope_slug": scope,
        "period": selected,
        "periods": _periods_around(selected),
        "chart": _chart(table.rows),
        "bands": AGENCY_BANDS,
        "indicator_numbers": range(1, 10),
        "table_rows": ranking_rows_html(table.rows, range(1, 10)),
    }
    context["may_publish"] = may_publish(request.user)
    if context["may_publish"]:
        context["publication"] = selectors.publication_of(scope=SCOPES[scope], period=selected)
    response = render(request, "ratings/ranking.html", context)
    if not request.user.is_authenticated:
        response["Cache-Control"] = "public, max-age=300"
    return response


def may_publish(user) -> bool:
    """Province admins and the provincial office (which publishes evaluations, DOMAIN.md §1)."""
    if not (user.is_authenticated and user.is_officer):
        return False
    return user.role == User.Role.PROVINCE_ADMIN or selectors.is_provincial_office(user)


@require_POST
def publish(request: HttpRequest, scope: str, period: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if scope not in SCOPES or not may_publish(request.user):
        raise Http404
    selected = _period_or_404(period)
    publication = ranking_publish(scope=SCOPES[scope], period=selected, actor=request.user)
    messages.success(
        request,
        _(
            "Đã công bố kết quả xếp hạng (lần %(revision)s) và đưa vào hàng đợi gửi Cổng Dịch vụ công quốc gia."
        )
        % {"revision": publication.revision},
    )
    return redirect("ratings:ranking", scope=scope, period=selected.slug)


@require_safe
def ranking_latest(request: HttpRequest, scope: str) -> HttpResponse:
    if scope not in SCOPES:
        raise Http404
    return redirect("ratings:ranking", scope=scope, period=period_of(timezone.now()).slug)


@require_safe
def ranking_download(request: HttpRequest, scope: str, period: str, fmt: str) -> HttpResponse:
    if scope not in SCOPES or fmt not in ("csv", "json"):
        raise Http404
    selected = _period_or_404(period)
    key = page_cache.entry_key("download", scope, selected.slug, fmt)
    return page_cache.kept(request, key, selected.year, lambda: _download(scope, selected, fmt))


def _download(scope: str, selected: Period, fmt: str) -> HttpResponse:
    table = ranking(scope=SCOPES[scope], period=selected)
    name = f"xep-hang-{scope}-{selected.slug}"
    if fmt == "json":
        payload = {
            "scope": table.scope,
            "period": selected.slug,
            "minimum_rated": table.minimum,
            "rows": [{"rank": row.rank, **row_payload(row)} for row in table.rows],
        }
        response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # spreadsheets read the file as UTF-8
        writer = csv.writer(response)
        writer.writerow(
            [
                "hang",
                "ma_co_quan",
                "ten",
                "so_phieu",
                *[f"tieu_chi_{n}" for n in range(1, 10)],
                "tong_diem",
                "xep_loai",
                "chi_so_phuc_vu",
            ]
        )
        for row in table.rows:
            writer.writerow(
                [
                    row.rank or "",
                    row.code,
                    _csv_text(row.name),
                    row.rated,
                    *[row.indicators.get(n, "") for n in range(1, 10)],
                    row.total,
                    row.band if row.enough else _("chưa đủ số phiếu"),
                    row.index_total if row.index_total is not None else "",
                ]
            )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _csv_text(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_safe
def officers_latest(request: HttpRequest) -> HttpResponse:
    return redirect("ratings:officers", period=period_of(timezone.now()).slug)


@require_safe
def officers_page(request: HttpRequest, period: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_officer:
        raise Http404
    selected = _period_or_404(period)
    rows = officer_scores(user=request.user, period=selected)
    context = {
        "rows": rows,
        "period": selected,
        "periods": _periods_around(selected),
        "indicator_numbers": OFFICER_INDICATORS,
    }
    response = render(request, "ratings/officers.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
