"""Rebuilding the summaries from the ratings themselves: after a bulk load, a restore, or to check that the
incremental sums have not drifted. One grouped query per scope and period kind; the agencies' facts are refreshed
for every agency and commune that has ratings."""

from django.db import transaction
from django.db.models import Count, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce

from ratings import page_cache
from ratings.models import AgencyPeriodFacts, Rating, RatingOfficer, RatingSummary
from ratings.periods import Period
from ratings.services import agency_facts_refresh

Scope = RatingSummary.Scope


def _sums(prefix: str = "") -> dict:
    def total(name):
        return Coalesce(Sum(f"{prefix}{name}"), Value(0), output_field=IntegerField())

    def count_true(name):
        return Count("pk", filter=Q(**{f"{prefix}{name}": True}))

    return {
        "rated": Count("pk"),
        "s1": total("i1"),
        "s3": total("i3"),
        "s4": total("i4"),
        "s7": total("i7"),
        "s2": total("i2"),
        "n2": Count("pk", filter=Q(**{f"{prefix}i2__isnull": False})),
        "s6": total("i6"),
        "on_time": count_true("on_time"),
        "online": count_true("online"),
        "digitised": count_true("digitised"),
        "one_stop": count_true("one_stop"),
    }


def summaries_computed() -> list[RatingSummary]:
    """Every summary row, computed directly from the ratings (not saved)."""
    rows = []
    sources = [
        (Scope.AGENCY, Rating.objects.all(), "agency_id", ""),
        (Scope.COMMUNE, Rating.objects.filter(commune__isnull=False), "commune_id", ""),
        (Scope.FIELD, Rating.objects.filter(field__isnull=False), "field_id", ""),
        (Scope.OFFICER, RatingOfficer.objects.all(), "user_id", "rating__"),
    ]
    for scope, queryset, key, prefix in sources:
        for by_quarter in (True, False):
            group = [key, f"{prefix}year"] + ([f"{prefix}quarter"] if by_quarter else [])
            for values in queryset.values(*group).annotate(**_sums(prefix)).order_by():
                rows.append(
                    RatingSummary(
                        scope=scope,
                        key=values.pop(key),
                        year=values.pop(f"{prefix}year"),
                        quarter=values.pop(f"{prefix}quarter") if by_quarter else 0,
                        **values,
                    )
                )
    return rows


@transaction.atomic
def summaries_rebuild(*, refresh_facts: bool = True) -> int:
    """Replace every summary by a direct computation; the number of rows written."""
    RatingSummary.objects.all().delete()
    rows = summaries_computed()
    RatingSummary.objects.bulk_create(rows, batch_size=2000)
    if refresh_facts:
        AgencyPeriodFacts.objects.all().delete()
        for row in rows:
            if row.scope in (Scope.AGENCY, Scope.COMMUNE):
                agency_facts_refresh(agency_id=row.key, period=Period(row.year, row.quarter))
    page_cache.everything_changed()
    return len(rows)
