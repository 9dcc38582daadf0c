"""Mẫu 06, the tracking book of a receiving agency for one year, as CSV, XLSX or PDF."""

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from dossiers.forms.book import TrackingBookForm
from dossiers.queues import Clock
from dossiers.selectors import receiving_agencies_of
from dossiers.views.officer.common import officer_required, queue_nav

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@require_safe
@officer_required
def tracking_book(request: HttpRequest) -> HttpResponse:
    """Without parameters, the choice of year and format; with them, the file (or a 400 saying what is wrong)."""
    agencies = receiving_agencies_of(request.user)
    if not agencies.exists():
        raise Http404("Bạn chưa thuộc cơ quan nào")
    if not request.GET:
        return _page(request, TrackingBookForm(agencies=agencies))
    form = TrackingBookForm(request.GET, agencies=agencies)
    if not form.is_valid():
        return _page(request, form, status=400)
    from dossiers import (
        tracking_book as book,
    )  # written alongside; imported here so the URLconf loads without it

    agency, year, kind = form.chosen_agency(), form.cleaned_data["year"], form.cleaned_data["format"]
    filename = f"so-theo-doi-ho-so-{agency.code}-{year}.{kind}"
    if kind == "csv":
        lines = book.tracking_book_csv(agency=agency, year=year)
        response = StreamingHttpResponse(
            (line.encode("utf-8") for line in lines), content_type=CONTENT_TYPES[kind]
        )
    else:
        export = book.tracking_book_xlsx if kind == "xlsx" else book.tracking_book_pdf
        response = HttpResponse(export(agency=agency, year=year), content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _page(request: HttpRequest, form: TrackingBookForm, *, status: int = 200) -> HttpResponse:
    context = {**queue_nav(request, Clock.at()), "form": form}
    return render(request, "dossiers/officer/book.html", context, status=status)
