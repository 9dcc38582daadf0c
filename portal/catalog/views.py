from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from portal.catalog import selectors
from portal.catalog.forms import CatalogFilterForm
from portal.catalog.page_cache import public_page_cache
from portal.catalog.selectors import CatalogFilters
from portal.security_headers import embeddable


def _filters_from(form: CatalogFilterForm) -> CatalogFilters:
    data = form.cleaned_data
    return CatalogFilters(
        query=data["q"].strip(),
        field=data["field"],
        level=data["level"],
        agency=data["agency"],
        online=data["online"],
        applicant=data["applicant"],
    )


def _catalog_response(
    request: HttpRequest, template: str, context: dict, *, fixed: dict | None = None
) -> HttpResponse:
    """Validate the query string, fetch one page, render the page or (for htmx) only its results."""
    form = CatalogFilterForm(request.GET, **selectors.filter_choices())
    status = 200
    page = None
    if form.is_valid():
        filters = _filters_from(form)
        if fixed:
            filters = CatalogFilters(**{**filters.__dict__, **fixed})
        page = selectors.procedure_page(
            filters=filters, page=form.cleaned_data["page"], page_size=settings.PORTAL_CATALOG_PAGE_SIZE
        )
    else:
        status = 400
    context = {**context, "form": form, "page": page, "query_string": _query_without_page(request)}
    if request.htmx and not request.htmx.boosted:
        response = render(request, f"{template}#results", context, status=status)
        # Live search sends every field; the address bar keeps only the ones in use, so a shared link stays short.
        response["HX-Push-Url"] = _canonical_url(request)
        return response
    return render(request, template, context, status=status)


def _canonical_url(request: HttpRequest) -> str:
    params = request.GET.copy()
    for name in [name for name, value in params.items() if not value.strip()]:
        del params[name]
    return f"{request.path}?{params.urlencode()}" if params else request.path


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_safe
@public_page_cache
def procedure_list(request: HttpRequest) -> HttpResponse:
    return _catalog_response(request, "catalog/procedure_list.html", {})


@require_safe
@public_page_cache
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = selectors.procedure_get(code)
    links = list(procedure.agency_links.all())
    return render(
        request,
        "catalog/procedure_detail.html",
        {
            "procedure": procedure,
            "competent_links": [link for link in links if link.role == "competent"],
            "implementing_links": [link for link in links if link.role == "implementing"],
            "receiving_agencies": selectors.procedure_receiving_agencies(procedure),
        },
    )


@require_safe
@public_page_cache
def agency_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/agency_list.html", {"groups": selectors.agencies_grouped()})


@require_safe
@public_page_cache
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    agency = selectors.agency_get(code)
    embed_url = request.build_absolute_uri(agency.get_absolute_url() + "nhung/")
    return _catalog_response(
        request,
        "catalog/agency_detail.html",
        {"agency": agency, "embed_url": embed_url},
        fixed={"agency": code},
    )


@require_safe
@xframe_options_exempt
@embeddable
@public_page_cache
def agency_embed(request: HttpRequest, code: str) -> HttpResponse:
    """A small page agencies put on their own website in an iframe: their procedures and a search box."""
    agency = selectors.agency_get(code)
    return _catalog_response(request, "catalog/agency_embed.html", {"agency": agency}, fixed={"agency": code})
