"""The statistics section of a procedure's catalogue page (``portal/catalog/sections.py``): this year's and last
year's figures, and how long it really takes over the last 12 months (median and 90th percentile of working days
from reception to result) beside the legal limit the catalogue publishes."""

from datetime import date

from django.utils import timezone

from public_statistics import selectors
from public_statistics.periods import Filters, Period


def procedure_figures(procedure) -> dict | None:
    today = timezone.localdate()
    this_month = date(today.year, today.month, 1)
    filters = Filters(procedure_id=procedure.pk)
    years = []
    for year in (today.year, today.year - 1):
        last = this_month if year == today.year else date(year, 12, 1)
        years.append((year, selectors.figures(Period(date(year, 1, 1), last), filters)))
    if not any(f.received or f.resolved or f.pending for _year, f in years):
        return None
    limits = [c for c in procedure.channels.all() if c.duration is not None]
    return {
        "years": years,
        "times": selectors.processing_times(procedure.pk, last_month=this_month),
        "limits": limits,
        "filters_query": f"thu-tu={procedure.pk}",
        "procedure_id": procedure.pk,
    }
