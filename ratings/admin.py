"""What administrators see of ratings: the thresholds and weights (dated rows a province admin corrects or supersedes
with a later "valid from"), and, read only, the ratings and the outbox towards the national portal. Changing a
threshold or a weight makes the kept ranking pages stale (``ratings/page_cache.py``)."""

from django.contrib import admin

from portal.admin_access import ProvinceAdminOnly
from ratings.models import IndexWeight, IndicatorRule, Rating, RatingOutbox


class ReadOnly(ProvinceAdminOnly):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IndicatorRule)
class IndicatorRuleAdmin(ProvinceAdminOnly):
    list_display = ["indicator", "valid_from", "params", "basis"]
    list_filter = ["indicator"]
    ordering = ["indicator", "-valid_from"]


@admin.register(IndexWeight)
class IndexWeightAdmin(ProvinceAdminOnly):
    list_display = ["component", "valid_from", "weight"]
    ordering = ["component", "-valid_from"]


@admin.register(Rating)
class RatingAdmin(ReadOnly):
    list_display = ["dossier", "i1", "i3", "i4", "i7", "i2", "i6", "source", "agency", "year", "quarter"]
    list_filter = ["source", "year", "quarter"]
    list_select_related = ["dossier", "agency"]
    exclude = ["comment"]


@admin.register(RatingOutbox)
class RatingOutboxAdmin(ReadOnly):
    list_display = ["idempotency_key", "kind", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["idempotency_key"]
