"""The public statistics in the JSON API (``/api/v1/statistics/…``, in the OpenAPI document): the same figures as
the pages, with the same period and filter parameters (``periods.py``), a 400 with a sentence for a bad one."""

from django.http import HttpRequest
from ninja import Router, Schema, Status

from public_statistics import selectors
from public_statistics.names import names_of
from public_statistics.periods import BadQuery, filters_from, period_from

router = Router(tags=["Thống kê"])


class Problem(Schema):
    detail: str


class FiguresOut(Schema):
    received: int
    received_online: int
    received_direct: int
    received_postal: int
    carried_over: int
    early: int
    on_time: int
    late: int
    closed: int
    resolved: int
    pending: int
    within: int
    overdue: int
    on_time_rate: float | None
    online_share: float | None
    with_fee: int
    paid_online: int
    payment_share: float | None
    digitised: int
    digitised_share: float | None
    rated: int
    satisfaction: float | None


class PeriodOut(Schema):
    first_month: str
    last_month: str


class OverviewOut(Schema):
    period: PeriodOut
    totals: FiguresOut
    months: list[dict]


class BreakdownRow(FiguresOut):
    id: int
    name: str


class BreakdownOut(Schema):
    period: PeriodOut
    dimension: str
    rows: list[BreakdownRow]


def _read(request: HttpRequest):
    params = {key.replace("_", "-"): value for key, value in request.GET.items()}
    return period_from(params), filters_from(params)


def _period(period) -> dict:
    return {"first_month": f"{period.first:%Y-%m}", "last_month": f"{period.last:%Y-%m}"}


PARAMS_HELP = (
    "Kỳ: ky=2026-11 | 2026-Q4 | 2026, hoặc tu=2026-01&den=2026-06. Bộ lọc: linh-vuc, co-quan, xa, thu-tuc (mã số) "
    "và kenh (truc-tiep, truc-tuyen, buu-chinh)."
)


@router.get(
    "/overview",
    response={200: OverviewOut, 400: Problem},
    summary="Tổng quan theo kỳ",
    description=PARAMS_HELP,
)
def overview(request: HttpRequest):
    try:
        period, filters = _read(request)
    except BadQuery as error:
        return Status(400, {"detail": str(error)})
    totals, months = selectors.overview(period, filters)
    return {
        "period": _period(period),
        "totals": totals.as_dict(),
        "months": [{"month": f"{m:%Y-%m}", **f.as_dict()} for m, f in months],
    }


@router.get(
    "/by/{dimension}",
    response={200: BreakdownOut, 400: Problem, 404: Problem},
    summary="Theo lĩnh vực (linh-vuc), cơ quan (co-quan), xã (xa) hoặc thủ tục (thu-tuc)",
    description=PARAMS_HELP,
)
def by_dimension(request: HttpRequest, dimension: str):
    if dimension not in selectors.DIMENSIONS:
        return Status(404, {"detail": "Chiều thống kê phải là linh-vuc, co-quan, xa hoặc thu-tuc."})
    try:
        period, filters = _read(request)
    except BadQuery as error:
        return Status(400, {"detail": str(error)})
    by_key = selectors.breakdown(dimension, period, filters)
    names = names_of(selectors.DIMENSIONS[dimension], list(by_key))
    return {
        "period": _period(period),
        "dimension": dimension,
        "rows": [{"id": k, "name": names.get(k, ""), **f.as_dict()} for k, f in by_key.items()],
    }
