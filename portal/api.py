"""Public JSON API, version 1: the procedure catalogue. OpenAPI 3 document at /api/v1/openapi.json."""

from decimal import Decimal

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Query, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from pydantic import Field as SchemaField

from portal.catalog import selectors
from portal.catalog.forms import LEVEL_CHOICES, MAX_QUERY_LENGTH
from portal.catalog.page_cache import public_page_cache
from portal.catalog.selectors import CatalogFilters

api = NinjaAPI(
    title="Cổng Dịch vụ công – API danh mục thủ tục",
    version="1.0.0",
    description="Danh mục thủ tục hành chính của tỉnh, đã phân tích từ Cơ sở dữ liệu quốc gia về TTHC.",
    docs_url=None,  # the interactive docs page loads scripts from a CDN; the OpenAPI document is enough
    urls_namespace="api-v1",
)


class ErrorOut(Schema):
    detail: str
    errors: list[dict] = []


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    return api.create_response(
        request,
        {
            "detail": "Tham số không hợp lệ.",
            "errors": [{"loc": e.get("loc"), "msg": e.get("msg")} for e in exc.errors],
        },
        status=400,
    )


class ChannelOut(Schema):
    kind: str
    duration: Decimal | None
    duration_unit: str
    fee_text: str
    fee_amount: int | None
    fee_free: bool
    description: str


class DocumentOut(Schema):
    case: str
    name: str
    templates: list[str]
    originals: int | None
    copies: int | None


class LegalDocumentOut(Schema):
    title: str
    number: str


class AgencyOut(Schema):
    code: str
    name: str
    role: str


class ProcedureSummary(Schema):
    code: str
    name: str
    field: str | None
    levels: list[str]
    online_level: int
    online_scope: str
    url: str

    @staticmethod
    def resolve_field(obj) -> str | None:
        return obj.field.name if obj.field else None

    @staticmethod
    def resolve_levels(obj) -> list[str]:
        return [str(label) for label in obj.level_labels]

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class ProcedureDetail(ProcedureSummary):
    decision_number: str
    kind: str
    applicants: list[str]
    competent_authority: str
    where_to_file: str
    steps: list[str]
    conditions: str
    results: list[str]
    result_codes: list[str]
    is_national_synced: bool
    source_url: str
    parse_problems: list[str]
    channels: list[ChannelOut]
    documents: list[DocumentOut]
    legal_documents: list[LegalDocumentOut]
    agencies: list[AgencyOut]
    original: dict[str, str]

    @staticmethod
    def resolve_applicants(obj) -> list[str]:
        return [a.name for a in obj.applicant_types.all()]

    @staticmethod
    def resolve_agencies(obj) -> list[dict]:
        return [
            {"code": link.agency.code, "name": link.agency.name, "role": link.role}
            for link in obj.agency_links.all()
        ]

    @staticmethod
    def resolve_original(obj) -> dict[str, str]:
        return {
            "channels": obj.channels_raw,
            "documents": obj.documents_raw,
            "legal_basis": obj.legal_basis_raw,
            "result": obj.result_raw,
            "steps": obj.steps_raw,
            "levels": obj.levels_raw,
            "applicants": obj.applicants_raw,
        }


class ProcedurePage(Schema):
    count: int
    page: int
    pages: int
    results: list[ProcedureSummary]


class ProcedureQuery(Schema):
    q: str = SchemaField("", max_length=MAX_QUERY_LENGTH, description="Từ khóa, không phân biệt dấu")
    field: str = SchemaField("", max_length=200, description="Đường dẫn (slug) của lĩnh vực")
    level: str = SchemaField("", pattern="^(|" + "|".join(v for v, _ in LEVEL_CHOICES if v) + ")$")
    agency: str = SchemaField("", max_length=20, description="Mã định danh cơ quan")
    page: int = SchemaField(1, ge=1, le=1_000_000)


@api.get("/procedures", response={200: ProcedurePage, 400: ErrorOut}, summary="Tìm kiếm, lọc thủ tục")
@decorate_view(public_page_cache)
def procedure_search(request: HttpRequest, params: Query[ProcedureQuery]):
    if "\x00" in params.q:
        return Status(400, {"detail": "Từ khóa không được chứa ký tự rỗng (NUL)."})
    filters = CatalogFilters(
        query=params.q.strip(), field=params.field, level=params.level, agency=params.agency
    )
    page = selectors.procedure_page(
        filters=filters, page=params.page, page_size=settings.PORTAL_CATALOG_PAGE_SIZE
    )
    return {"count": page.total, "page": page.number, "pages": page.num_pages, "results": page.items}


@api.get("/procedures/{code}", response={200: ProcedureDetail, 404: ErrorOut}, summary="Một thủ tục đầy đủ")
@decorate_view(public_page_cache)
def procedure_get(request: HttpRequest, code: str):
    try:
        return selectors.procedure_get(code)
    except Http404:
        return Status(404, {"detail": "Không tìm thấy thủ tục."})


# Feature apps' routers (wiring: the core's own modules import no feature app).
api.add_router("/statistics/", "public_statistics.api.router")
