"""Reads of the FAQ: published entries for the public pages, and each agency's count against its quota."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from faq import conf
from faq.models import FaqEntry
from portal.agencies.models import Agency
from portal.catalog.models import ProcedureAgency
from portal.catalog.search import normalize


def entries_published() -> QuerySet[FaqEntry]:
    return FaqEntry.objects.filter(state=FaqEntry.State.PUBLISHED)


def entry_get_published(pk: int) -> FaqEntry:
    try:
        return entries_published().select_related("agency", "field").prefetch_related("procedures").get(pk=pk)
    except FaqEntry.DoesNotExist as exc:
        raise Http404("Không tìm thấy câu hỏi.") from exc


def entries_filtered(
    *, field_slug: str = "", agency_code: str = "", procedure_code: str = ""
) -> QuerySet[FaqEntry]:
    """Published entries of a field, of an agency (its own, and those on procedures it receives) or of a procedure."""
    queryset = entries_published()
    if field_slug:
        queryset = queryset.filter(field__slug=field_slug)
    if agency_code:
        queryset = queryset.filter(
            Q(agency__code=agency_code) | Q(procedures__agency_links__agency__code=agency_code)
        ).distinct()
    if procedure_code:
        queryset = queryset.filter(procedures__code=procedure_code).distinct()
    return queryset.select_related("agency", "field").order_by("field__sort_key", "id")


def faq_filter_choices() -> dict:
    """Fields and agencies that have published entries, for the public page's filters."""
    fields = (
        entries_published()
        .filter(field__isnull=False)
        .values_list("field__slug", "field__name", "field__sort_key")
        .distinct()
        .order_by("field__sort_key")
    )
    agencies = (
        Agency.objects.filter(faq_entries__state=FaqEntry.State.PUBLISHED)
        .values_list("code", "name")
        .distinct()
        .order_by("kind", "name")
    )
    return {"fields": [(slug, name) for slug, name, _ in fields], "agencies": list(agencies)}


@dataclass(frozen=True)
class QuotaRow:
    agency: Agency
    own: int
    applicable: int
    quota: int

    @property
    def counted(self) -> int:
        return self.applicable

    @property
    def met(self) -> bool:
        return self.counted >= self.quota

    @property
    def missing(self) -> int:
        return max(0, self.quota - self.counted)


def quota_rows() -> dict:
    """Each department's and commune's published entries against its quota (settings).

    ``own`` counts the entries the agency keeps; ``applicable`` adds the entries on procedures the agency receives
    (for a commune: the commune-level procedures kept by the sector's department), which is what a person there
    finds. The quota is measured against ``applicable``.
    """
    published = FaqEntry.State.PUBLISHED
    own = dict(
        FaqEntry.objects.filter(state=published, agency__isnull=False)
        .values_list("agency")
        .annotate(n=Count("id"))
        .values_list("agency", "n")
    )
    through_procedures = dict(
        ProcedureAgency.objects.filter(procedure__faq_entries__state=published)
        .values("agency")
        .annotate(
            n=Count(
                "procedure__faq_entries",
                distinct=True,
                # The agency's own entries are counted in ``own`` already.
                filter=Q(procedure__faq_entries__agency__isnull=True)
                | ~Q(procedure__faq_entries__agency=F("agency")),
            )
        )
        .values_list("agency", "n")
    )
    rows: dict[str, list[QuotaRow]] = {"department": [], "commune": []}
    agencies = Agency.objects.filter(
        is_active=True, kind__in=[Agency.Kind.DEPARTMENT, Agency.Kind.CENTRAL, Agency.Kind.COMMUNE]
    )
    for agency in agencies.order_by("kind", "name"):
        key = "commune" if agency.kind == Agency.Kind.COMMUNE else "department"
        quota = conf.commune_quota() if key == "commune" else conf.department_quota()
        own_count = own.get(agency.pk, 0)
        applicable = own_count + (through_procedures.get(agency.pk, 0) if key == "commune" else 0)
        rows[key].append(QuotaRow(agency=agency, own=own_count, applicable=applicable, quota=quota))
    rows["department"].sort(key=lambda r: (r.met, r.counted, normalize(r.agency.name)))
    rows["commune"].sort(key=lambda r: (r.met, r.counted, normalize(r.agency.name)))
    return {
        **rows,
        "province_total": entries_published().count(),
        "province_quota": conf.province_quota(),
    }
