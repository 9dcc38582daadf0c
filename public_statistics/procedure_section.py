"""The statistics section of a procedure's catalogue page (``portal/catalog/sections.py``): this year's and last
year's figures, and how long it really takes over the last 12 months (median and 90th percentile of working days
from reception to result) beside the legal limit the catalogue publishes."""

from datetime import date

from django.utils import timezone

from public_statistics import selectors


def procedure_figures(procedure) -> dict | None:
    today = timezone.localdate()
    years, times = selectors.procedure_summary(procedure.pk, this_month=date(today.year, today.month, 1))
    if not any(f.received or f.resolved or f.pending for _year, f in years):
        return None
    limits = [c for c in procedure.channels.all() if c.duration is not None]
    return {
        "years": years,
        "times": times,
        "limits": limits,
        "filters_query": f"thu-tu={procedure.pk}",
        "procedure_id": procedure.pk,
    }
