"""Public statistics pages (no sign-in): the overview, the drill-downs, the commune map, and the monthly report for
province admins. Period and filters come from the URL (``periods.py``); ``?dinh-dang=csv`` or ``json`` gives the
page's table as open data."""

import json
import re
from pathlib import Path

from django.apps import apps
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_safe

from portal.cache.pages import public_page
from portal.html import html_join
from public_statistics import charts, selectors
from public_statistics.exports import FORMATS, table_response
from public_statistics.names import communes, names_of
from public_statistics.periods import BadQuery, Filters, Period, filters_from, period_from
from public_statistics.templatetags.statistics_format import cell_writer, numbers

# Marked for translation here, translated where shown (``_()`` in the views, ``{% translate %}`` in the templates).
DIMENSION_TITLES = {
    "linh-vuc": (gettext_noop("Theo lĩnh vực"), gettext_noop("Lĩnh vực")),
    "co-quan": (gettext_noop("Theo cơ quan"), gettext_noop("Cơ quan")),
    "xa": (gettext_noop("Theo xã, phường, đặc khu"), gettext_noop("Xã, phường, đặc khu")),
    "thu-tuc": (gettext_noop("Theo thủ tục"), gettext_noop("Thủ tục")),
}
SORTS = ("ten", "tiep-nhan", "giai-quyet", "dung-han", "ton", "qua-han")
COLUMNS = [
    ("received", "Tiếp nhận mới"),
    ("received_online", "Trực tuyến"),
    ("received_direct", "Trực tiếp"),
    ("received_postal", "Bưu chính"),
    ("carried_over", "Kỳ trước chuyển sang"),
    ("early", "Giải quyết trước hạn"),
    ("on_time", "Giải quyết đúng hạn"),
    ("late", "Giải quyết quá hạn"),
    ("closed", "Rút, dừng, từ chối"),
    ("within", "Đang giải quyết trong hạn"),
    ("overdue", "Đang giải quyết quá hạn"),
]
MAP_DATA = Path(__file__).resolve().parent / "data" / "an_giang_communes.json"


def _bad(request: HttpRequest, error: BadQuery) -> HttpResponse:
    return render(request, "public_statistics/bad_query.html", {"error": str(error)}, status=400)


def _format(request: HttpRequest) -> str:
    fmt = request.GET.get("dinh-dang", "")
    if fmt and fmt not in FORMATS:
        raise BadQuery(
            _("Định dạng “%(value)s” không được hỗ trợ; chọn csv hoặc json.") % {"value": fmt[:10]}
        )
    return fmt


def _query(period: Period, filters: Filters, **more) -> str:
    return urlencode({**period.query(), **filters.query(), **more})


def _link_to_overview(period: Period, filters: Filters, name: str):
    """A function of a key: the overview's address for the period and filters with ``name`` set to that key (the
    query written once per page, not once per row)."""
    rest = {k: v for k, v in {**period.query(), **filters.query()}.items() if k != name}
    prefix = reverse("public_statistics:overview") + "?" + (urlencode(rest) + "&" if rest else "")
    return lambda key: f"{prefix}{name}={int(key)}"


def _table_rows(rows: list[dict]):
    """The body of a table of keys: each row's name linked to its overview, then its cells."""
    return html_join(
        "",
        '<tr><th scope="row"><a href="{}">{}</a></th>{}</tr>',
        ((r["link"], r["name"], r["cells"]) for r in rows),
    )


def _meta(period: Period, filters: Filters) -> dict:
    return {
        "period": {"from": f"{period.first:%Y-%m}", "to": f"{period.last:%Y-%m}"},
        "filters": filters.query(),
    }


def _filter_names(filters: Filters) -> list[tuple[str, str]]:
    out = []
    for dim, attr in selectors.DIMENSIONS.items():
        value = getattr(filters, attr)
        if value:
            out.append((_(DIMENSION_TITLES[dim][1]), names_of(attr, [value]).get(value, str(value))))
    if filters.channel:
        out.append(
            (
                _("Kênh nộp"),
                {"truc-tiep": _("Trực tiếp"), "truc-tuyen": _("Trực tuyến"), "buu-chinh": _("Bưu chính")}[
                    filters.channel
                ],
            )
        )
    return out


def _feedback(period: Period, filters: Filters):
    if not apps.is_installed("feedback"):
        return None
    from feedback.selectors import feedback_figures  # noqa: PLC0415

    return feedback_figures(period_start=period.first, period_end=period.end_day)


@require_safe
@public_page("statistics")
def overview(request: HttpRequest) -> HttpResponse:
    try:
        period, filters, fmt = period_from(request.GET), filters_from(request.GET), _format(request)
    except BadQuery as error:
        return _bad(request, error)
    figures, trend = selectors.overview(period, filters)
    if fmt:
        rows = [{"month": f"{m:%Y-%m}", **f.as_dict()} for m, f in trend]
        keys = [
            "month",
            "received",
            "received_online",
            "received_direct",
            "received_postal",
            "early",
            "on_time",
            "late",
            "closed",
            "pending",
            "overdue",
        ]
        header = [
            _("Tháng"),
            _("Tiếp nhận"),
            _("Trực tuyến"),
            _("Trực tiếp"),
            _("Bưu chính"),
            _("Trước hạn"),
            _("Đúng hạn"),
            _("Quá hạn"),
            _("Rút, dừng, từ chối"),
            _("Tồn cuối tháng"),
            _("Tồn quá hạn cuối tháng"),
        ]
        return table_response(
            fmt,
            "thong-ke-theo-thang",
            header,
            keys,
            rows,
            {**_meta(period, filters), "totals": figures.as_dict()},
        )
    count, share = numbers()
    chart = charts.trend_chart(trend)
    trend_labels = [
        _("Tiếp nhận mới"),
        _("Trực tuyến"),
        _("Đã giải quyết"),
        _("Đúng hạn"),
        _("Quá hạn"),
        _("Tồn cuối tháng"),
        _("Tồn quá hạn"),
    ]
    received, resolved = _("tiếp nhận"), _("giải quyết")
    for m in chart["months"]:
        m["title"] = f"{m['label']}: {received} {count(m['received'])}, {resolved} {count(m['resolved'])}"
    write = cell_writer(trend_labels)
    return render(
        request,
        "public_statistics/overview.html",
        {
            "period": period,
            "filters": filters,
            "filter_names": _filter_names(filters),
            "f": figures,
            "trend": trend,
            "chart": chart,
            "chart_marks": charts.trend_marks(chart, count),
            "trend_rows": [
                (
                    f"{month:%m/%Y}",
                    write(
                        count(m.received),
                        count(m.received_online),
                        count(m.resolved),
                        share(m.on_time_rate),
                        count(m.late),
                        count(m.pending),
                        count(m.overdue),
                    ),
                )
                for month, m in trend
            ],
            "query": _query(period, filters),
            "feedback": _feedback(period, filters),
            "dimensions": DIMENSION_TITLES,
        },
    )


def _rows_for(dimension: str, period: Period, filters: Filters) -> list[dict]:
    attr = selectors.DIMENSIONS[dimension]
    by_key = selectors.breakdown(dimension, period, filters)
    names = names_of(attr, list(by_key))
    return [
        {"id": key, "name": names.get(key, _("Không xác định")), "f": item, **item.as_dict()}
        for key, item in by_key.items()
    ]


def _sorted(rows: list[dict], sort: str, descending: bool) -> list[dict]:
    keys = {
        "ten": lambda r: r["name"].lower(),
        "tiep-nhan": lambda r: r["received"],
        "giai-quyet": lambda r: r["resolved"],
        "dung-han": lambda r: -1 if r["on_time_rate"] is None else r["on_time_rate"],
        "ton": lambda r: r["pending"],
        "qua-han": lambda r: r["overdue"],
    }
    return sorted(rows, key=keys[sort], reverse=descending)


@require_safe
@public_page("statistics")
def breakdown(request: HttpRequest, dimension: str) -> HttpResponse:
    if dimension not in selectors.DIMENSIONS:
        raise Http404
    try:
        period, filters, fmt = period_from(request.GET), filters_from(request.GET), _format(request)
    except BadQuery as error:
        return _bad(request, error)
    sort = request.GET.get("sap-xep", "tiep-nhan")
    sort = sort if sort in SORTS else "tiep-nhan"
    descending = request.GET.get("thu-tu", "giam" if sort != "ten" else "tang") != "tang"
    rows = _sorted(_rows_for(dimension, period, filters), sort, descending)
    if fmt:
        keys = [
            "id",
            "name",
            *[k for k, _label in COLUMNS],
            "resolved",
            "pending",
            "on_time_rate",
            "online_share",
        ]
        header = [
            "id",
            _(DIMENSION_TITLES[dimension][1]),
            *[_(label) for _k, label in COLUMNS],
            _("Đã giải quyết"),
            _("Tồn cuối kỳ"),
            _("Tỉ lệ đúng hạn"),
            _("Tỉ lệ trực tuyến"),
        ]
        return table_response(fmt, f"thong-ke-{dimension}", header, keys, rows, _meta(period, filters))
    attr = selectors.DIMENSIONS[dimension]
    count, share = numbers()
    link = _link_to_overview(period, filters, dimension)
    write = cell_writer(
        [
            _("Tiếp nhận mới"),
            _("Trực tuyến"),
            _("Đã giải quyết"),
            _("Tỉ lệ đúng hạn"),
            _("Quá hạn"),
            _("Tồn cuối kỳ"),
            _("Tồn quá hạn"),
        ]
    )
    for row in rows:
        row["link"] = link(row["id"])
        f = row["f"]
        row["cells"] = write(
            count(f.received),
            share(f.online_share),
            count(f.resolved),
            share(f.on_time_rate),
            count(f.late),
            count(f.pending),
            count(f.overdue),
        )
    sort_links = {
        key.replace("-", "_"): "?"
        + _query(
            period, filters, **{"sap-xep": key, "thu-tu": "tang" if key == sort and descending else "giam"}
        )
        for key in SORTS
    }
    return render(
        request,
        "public_statistics/breakdown.html",
        {
            "period": period,
            "filters": filters,
            "filter_names": _filter_names(filters),
            "dimension": dimension,
            "attr": attr,
            "title": _(DIMENSION_TITLES[dimension][0]),
            "column": _(DIMENSION_TITLES[dimension][1]),
            "rows": rows,
            "table_rows": _table_rows(rows),
            "sort": sort,
            "descending": descending,
            "sort_links": sort_links,
            "query": _query(period, filters),
            "dimensions": DIMENSION_TITLES,
        },
    )


_map_shapes = None


def _shapes() -> dict:
    global _map_shapes  # noqa: PLW0603  (read once per process)
    if _map_shapes is None:
        shapes = json.loads(MAP_DATA.read_text(encoding="utf-8"))
        # Path data are moves, lines and numbers only (checked here), so they go out unescaped: 138 kB a page
        # need not be run through the escaper on every request.
        shapes["paths"] = {
            code: mark_safe(path)  # noqa: S308
            for code, path in shapes["paths"].items()
            if re.fullmatch(r"[MLZ0-9., -]*", path)
        }
        _map_shapes = shapes
    return _map_shapes


@require_safe
@public_page("statistics")
def commune_map(request: HttpRequest) -> HttpResponse:
    try:
        period, filters, fmt = period_from(request.GET), filters_from(request.GET), _format(request)
    except BadQuery as error:
        return _bad(request, error)
    measure = request.GET.get("mau", "dung-han")
    if measure not in ("dung-han", "so-luong"):
        return _bad(request, BadQuery(_("Cách tô màu “%(value)s” không hợp lệ.") % {"value": measure[:20]}))
    by_unit = selectors.breakdown("xa", period, filters)
    shapes = _shapes()
    units = communes()
    rows = []
    for unit_id, code, name in units:
        item = by_unit.get(unit_id, selectors.Figures())
        value = item.on_time_rate if measure == "dung-han" else (item.received or None)
        rows.append({"id": unit_id, "code": code, "name": name, "f": item, "value": value, **item.as_dict()})
    rows.sort(key=lambda r: r["name"])
    if fmt:
        keys = ["code", "name", "received", "resolved", "on_time_rate", "pending", "overdue"]
        header = [
            _("Mã"),
            _("Xã, phường, đặc khu"),
            _("Tiếp nhận mới"),
            _("Đã giải quyết"),
            _("Tỉ lệ đúng hạn"),
            _("Tồn cuối kỳ"),
            _("Quá hạn cuối kỳ"),
        ]
        return table_response(fmt, "thong-ke-ban-do-xa", header, keys, rows, _meta(period, filters))
    bounds = charts.classes(
        [r["value"] for r in rows], fixed=[0.6, 0.8, 0.9, 0.95, 1.0] if measure == "dung-han" else None
    )
    count, share = numbers()
    link = _link_to_overview(period, filters, "xa")
    write = cell_writer(
        [_("Tiếp nhận mới"), _("Đã giải quyết"), _("Tỉ lệ đúng hạn"), _("Tồn cuối kỳ"), _("Tồn quá hạn")]
    )
    for row in rows:
        row["fill"] = charts.colour(row["value"], bounds)
        row["path"] = shapes["paths"].get(row["code"], "")
        row["link"] = link(row["id"])
        f = row["f"]
        row["label"] = share(f.on_time_rate) if measure == "dung-han" else count(f.received)
        row["cells"] = write(
            count(f.received),
            count(f.resolved),
            share(f.on_time_rate),
            count(f.pending),
            count(f.overdue),
        )
    areas = html_join(
        "",
        '<a href="{}"><title>{}: {}</title><path d="{}" fill="{}" stroke="#555" stroke-width="0.6"/></a>',
        ((r["link"], r["name"], r["label"], r["path"], r["fill"]) for r in rows if r["path"]),
    )
    lower = [None, *bounds[:-1]]
    legend = [
        {"fill": fill, "low": low, "high": high}
        for fill, low, high in zip(charts.PALETTE, lower, bounds, strict=True)
    ]
    return render(
        request,
        "public_statistics/map.html",
        {
            "period": period,
            "filters": filters,
            "filter_names": _filter_names(filters),
            "rows": rows,
            "areas": areas,
            "table_rows": _table_rows(rows),
            "shapes": shapes,
            "measure": measure,
            "legend": legend,
            "no_data": charts.NO_DATA,
            "query": _query(period, filters),
            "query_measure": _query(period, filters, mau=measure),
            "other_measure": _query(period, filters, mau="so-luong" if measure == "dung-han" else "dung-han"),
            "dimensions": DIMENSION_TITLES,
            "today": timezone.localdate(),
        },
    )
