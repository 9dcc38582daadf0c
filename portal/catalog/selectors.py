"""Reads of the catalogue for pages and the API: filtering, ranked search and one procedure in full.

Each function runs a fixed number of queries whatever the page size (rows for one page, then one prefetch per
related list), so pages stay fast with 20,000 procedures.
"""

import re
from dataclasses import dataclass
from math import ceil

from django.db.models import QuerySet
from django.http import Http404

from portal import cache as versioned
from portal.agencies.models import Agency
from portal.catalog.collation import sort_key
from portal.catalog.models import (
    ApplicantType,
    Channel,
    Field,
    LegalDocument,
    Procedure,
    ProcedureAgency,
    RequiredDocument,
)
from portal.catalog.search_index import search_index
from portal.converters import CodeConverter
from portal.numbers import id_or_none
from portal.prepared import NO_ID, Prepared, builder, no_ids

# What the public catalogue shows comes from these namespaces: kept pages and options are made again when either
# app bumps its own (portal/catalog/signals.py, portal/agencies/signals.py).
PUBLIC_NAMESPACES = ("catalog", "agencies")
SEARCH_RESULT_LIMIT = 500  # a citizen never pages past this; it bounds the id list sent to the database


@dataclass(frozen=True)
class CatalogFilters:
    query: str = ""
    field: str = ""
    level: str = ""
    agency: str = ""
    online: str = ""
    applicant: str = ""


@dataclass
class CatalogPage:
    items: list[Procedure]
    total: int
    number: int
    page_size: int

    @property
    def num_pages(self) -> int:
        return max(1, ceil(self.total / self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def start_index(self) -> int:
        return 0 if not self.total else (self.number - 1) * self.page_size + 1

    @property
    def end_index(self) -> int:
        return min(self.total, self.number * self.page_size)


def procedures_filtered(filters: CatalogFilters) -> QuerySet[Procedure]:
    queryset = Procedure.objects.filter(is_active=True)
    if filters.field:
        queryset = queryset.filter(field__slug=filters.field)
    if filters.level == "tinh":
        queryset = queryset.filter(is_province_level=True)
    elif filters.level == "xa":
        queryset = queryset.filter(is_commune_level=True)
    elif filters.level == "bo":
        queryset = queryset.filter(is_ministry_level=True)
    # The agency and applicant type as ``id IN (subquery)``, not joins: a procedure counts once without DISTINCT
    # (a DISTINCT over every column of the procedure made the count of an agency's list cost 17 ms).
    if filters.agency:
        queryset = queryset.filter(
            id__in=ProcedureAgency.objects.filter(agency__code=filters.agency).values("procedure_id")
        )
    if filters.online == "toan-trinh":
        queryset = queryset.filter(online_scope=Procedure.OnlineScope.FULL)
    elif filters.online == "mot-phan":
        queryset = queryset.filter(online_scope=Procedure.OnlineScope.PARTIAL)
    elif id_or_none(filters.online) is not None:
        queryset = queryset.filter(online_level=id_or_none(filters.online))
    if filters.applicant:
        queryset = queryset.filter(
            id__in=Procedure.applicant_types.through.objects.filter(
                applicanttype__slug=filters.applicant
            ).values("procedure_id")
        )
    return queryset


# What a result row shows of a procedure: the long original texts stay in the database.
LIST_COLUMNS = (
    "id",
    "code",
    "name",
    "online_level",
    "online_scope",
    "is_ministry_level",
    "is_province_level",
    "is_commune_level",
    "field",
)


# A result page's rows, read with three prepared queries (portal/prepared.py) instead of the ORM compiling two on
# every request: the procedures, their fields and their channels (the row shows the first one's time limit).
# Rows read by one query: psycopg converts the SQL of a query with more than 50 parameters on every call instead of
# once, which costs more than a second query for a page of more than 50 rows.
ROWS_AT_ONCE = 50
_IDS = no_ids(ROWS_AT_ONCE)
_list_procedures = Prepared(
    lambda ids: Procedure.objects.filter(id__in=ids).order_by().only(*LIST_COLUMNS), sentinel=_IDS
)
_list_fields = Prepared(lambda ids: Field.objects.filter(id__in=ids).order_by(), sentinel=_IDS)
_list_channels = Prepared(lambda ids: Channel.objects.filter(procedure_id__in=ids), sentinel=_IDS)


def procedure_rows(ids: list[int]) -> list[Procedure]:
    """The procedures with these ids, in this order (those that are gone left out), with what a result row shows:
    the field and the channels, as if read with ``select_related`` and ``prefetch_related``."""
    found = {p.pk: p for p in _list_procedures(ids)}
    rows = [found[i] for i in ids if i in found]
    field_ids = list({p.field_id for p in rows if p.field_id is not None})
    fields = {f.pk: f for f in _list_fields(field_ids)} if field_ids else {}
    channels: dict[int, list[Channel]] = {p.pk: [] for p in rows}
    for channel in _list_channels([p.pk for p in rows]):
        channels[channel.procedure_id].append(channel)
    for procedure in rows:
        if procedure.field_id is not None:
            Procedure.field.field.set_cached_value(procedure, fields.get(procedure.field_id))
        _prefetched(procedure, {"channels": channels[procedure.pk]})
    return rows


def _prefetched(procedure: Procedure, lists: dict[str, list]) -> None:
    """Give ``procedure`` these related lists as ``prefetch_related`` would (``procedure.channels.all()``)."""
    procedure._prefetched_objects_cache = {}
    for name, rows in lists.items():
        queryset = getattr(procedure, name).get_queryset()
        queryset._result_cache, queryset._prefetch_done = rows, True
        procedure._prefetched_objects_cache[name] = queryset


def procedure_page(*, filters: CatalogFilters, page: int, page_size: int) -> CatalogPage:
    """One page of procedures: ranked by relevance when there is a query, in Vietnamese alphabetical order of their
    names otherwise."""
    queryset = procedures_filtered(filters)
    if filters.query:
        hits = search_index().search(filters.query, limit=SEARCH_RESULT_LIMIT)
        if filters == CatalogFilters(query=filters.query):
            # Words alone: the index holds exactly the active procedures (rebuilt with every change to them), so the
            # hits are the answer, in order, without sending 500 ids to the database and back.
            matching = list(dict.fromkeys(hit.id for hit in hits))
        else:
            rank = {hit.id: position for position, hit in enumerate(hits)}
            # Ordered by rank here, so the database is asked for no order (it would sort by the long keys for nothing).
            matching = sorted(
                queryset.filter(id__in=list(rank)).order_by().values_list("id", flat=True),
                key=rank.get,
            )
        total = len(matching)
        number = _clamp(page, total, page_size)
        page_ids = matching[(number - 1) * page_size : number * page_size]
        return CatalogPage(procedure_rows(page_ids), total, number, page_size)
    total = queryset.count()
    number = _clamp(page, total, page_size)
    start = (number - 1) * page_size
    page_ids = list(
        queryset.order_by("sort_key", "code").values_list("id", flat=True)[start : start + page_size]
    )
    return CatalogPage(procedure_rows(page_ids), total, number, page_size)


def _clamp(page: int, total: int, page_size: int) -> int:
    return max(1, min(page, max(1, ceil(total / page_size))))


AGENCY_LINK_COLUMNS = (
    "agency__code",
    "agency__name",
    "agency__short_name",
    "agency__kind",
    "agency__is_active",
)

# The reads of a procedure's page, compiled once per process (portal/prepared.py): the page is the catalogue's most
# visited, and compiling its six queries cost more than running them.
_procedure_by_code = Prepared(
    lambda code: Procedure.objects.filter(is_active=True, code=code)[:1], sentinel="\x00"
)
_field_by_id = Prepared(lambda pk: Field.objects.filter(pk=pk), sentinel=NO_ID)
_procedure_lists = {
    "channels": Prepared(lambda pk: Channel.objects.filter(procedure_id=pk), sentinel=NO_ID),
    "documents": Prepared(lambda pk: RequiredDocument.objects.filter(procedure_id=pk), sentinel=NO_ID),
    "legal_documents": Prepared(lambda pk: LegalDocument.objects.filter(procedure_id=pk), sentinel=NO_ID),
    "applicant_types": Prepared(lambda pk: ApplicantType.objects.filter(procedures=pk), sentinel=NO_ID),
}
_agency_links = Prepared(
    lambda pk: (
        ProcedureAgency.objects.filter(procedure_id=pk)
        .order_by("role", "agency__code")
        .values_list("pk", "role", "agency_id", *AGENCY_LINK_COLUMNS)
    ),
    sentinel=NO_ID,
)
_active_agencies_of_kind = Prepared(
    lambda kind: Agency.objects.filter(kind=kind, is_active=True), sentinel="\x00"
)
_AGENCY_ATTNAMES = ("id", "code", "name", "short_name", "kind", "is_active")
_LINK_ATTNAMES = ("id", "role", "procedure_id", "agency_id")


def procedure_get(code: str) -> Procedure:
    """The procedure with everything its page shows (its field, channels, documents, legal documents, applicant
    types, and its agency links with only the agencies' names, kinds and codes: a commune-level procedure links
    102 of them), as if read with ``select_related`` and ``prefetch_related``; 404 when there is no active procedure
    with that code (or the code could not be one: the API passes whatever is in the path)."""
    if not re.fullmatch(CodeConverter.regex, code):
        raise Http404("Không tìm thấy thủ tục")
    found = _procedure_by_code(code)
    if not found:
        raise Http404("Không tìm thấy thủ tục")
    procedure = found[0]
    if procedure.field_id is not None:
        Procedure.field.field.set_cached_value(procedure, next(iter(_field_by_id(procedure.field_id)), None))
    lists = {name: read(procedure.pk) for name, read in _procedure_lists.items()}
    links = []
    link_of = builder(ProcedureAgency, "default", _LINK_ATTNAMES)
    agency_of = builder(Agency, "default", _AGENCY_ATTNAMES)
    for link_id, role, agency_id, *agency_values in _agency_links(procedure.pk):
        link = link_of((link_id, role, procedure.pk, agency_id))
        agency = agency_of((agency_id, *agency_values))
        ProcedureAgency.agency.field.set_cached_value(link, agency)
        ProcedureAgency.procedure.field.set_cached_value(link, procedure)
        links.append(link)
    lists["agency_links"] = links
    _prefetched(procedure, lists)
    return procedure


def filter_choices() -> dict:
    """The options for the catalogue's filter form, in Vietnamese alphabetical order (agencies by kind first): three
    queries, then kept until the catalogue or the agencies change."""
    return versioned.get_or_set("catalog:filter-choices", PUBLIC_NAMESPACES, _filter_choices, 3600)


def _filter_choices() -> dict:
    agencies = Agency.objects.filter(is_active=True).values_list("code", "name", "kind")
    return {
        "field_choices": list(Field.objects.order_by("sort_key", "name").values_list("slug", "name")),
        "agency_choices": sorted(
            agencies, key=lambda a: (_KIND_ORDER.get(a[2], len(_KIND_ORDER)), sort_key(a[1]))
        ),
        "applicant_choices": list(
            ApplicantType.objects.order_by("sort_key", "name").values_list("slug", "name")
        ),
    }


# Agencies are listed by kind, the province's own bodies first and the communes last, then by name.
_KIND_ORDER = {kind: position for position, kind in enumerate(Agency.Kind.values)}


def agencies_sorted(agencies) -> list[Agency]:
    """``agencies`` in Vietnamese alphabetical order of their names."""
    return sorted(agencies, key=lambda agency: sort_key(agency.name))


def agency_get(code: str) -> Agency:
    agency = Agency.objects.filter(code=code, is_active=True).select_related("unit").first()
    if agency is None:
        raise Http404("Không tìm thấy cơ quan")
    return agency


def agencies_grouped() -> list[tuple[str, list[Agency]]]:
    """Active agencies by kind (the province's own bodies first, the communes last), each kind alphabetical."""
    groups: dict[str, list[Agency]] = {}
    agencies = Agency.objects.filter(is_active=True)
    for agency in sorted(
        agencies, key=lambda a: (_KIND_ORDER.get(a.kind, len(_KIND_ORDER)), sort_key(a.name))
    ):
        groups.setdefault(agency.get_kind_display(), []).append(agency)
    return list(groups.items())


def procedure_receiving_agencies(procedure: Procedure) -> list[Agency]:
    """Where a dossier of ``procedure`` may be filed: a commune-level procedure at a commune; otherwise the
    provincial public administration service centre (it receives for every department) and the linked agencies."""
    prefetched = getattr(procedure, "_prefetched_objects_cache", {}).get("agency_links")
    links = prefetched if prefetched is not None else procedure.agency_links.select_related("agency")
    agencies = {link.agency.pk: link.agency for link in links if link.agency.is_active}
    if procedure.is_commune_level and not procedure.is_province_level:
        communes = [a for a in agencies.values() if a.kind == Agency.Kind.COMMUNE]
        if communes:
            return agencies_sorted(communes)
    centres = (
        agencies_sorted(_active_agencies_of_kind(Agency.Kind.SERVICE_CENTRE))
        if procedure.is_province_level
        else []
    )
    return centres + agencies_sorted(a for a in agencies.values() if a.pk not in {c.pk for c in centres})
