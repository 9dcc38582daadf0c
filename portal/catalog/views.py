from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from portal.cache.pages import public_page
from portal.catalog import selectors
from portal.catalog.collation import sort_key
from portal.catalog.forms import CatalogFilterForm
from portal.catalog.options import filter_options, with_selected
from portal.catalog.questions import catalog_query
from portal.catalog.sections import procedure_sections
from portal.catalog.selectors import PUBLIC_NAMESPACES, CatalogFilters
from portal.security_headers import embeddable


def _filters_from(form: CatalogFilterForm) -> CatalogFilters:
    data = form.cleaned_data
    return CatalogFilters(
        query=catalog_query(data["q"]),
        field=data["field"],
        level=data["level"],
        agency=data["agency"],
        online=data["online"],
        applicant=data["applicant"],
    )


def _catalog_response(
    request: HttpRequest, template: str, context: dict, *, fixed: dict | None = None
) -> HttpResponse:
    """Validate the query string, fetch one page, render the page or (for htmx) only its results.

    The fragment is the results list (swapped whole, ``hx-swap="outerHTML"``) followed by the text of the one live
    region, the short status above the list (swapped into it out of band), so a screen reader hears "Tìm thấy …"
    and not the list. A history restore (Back after htmx pushed addresses, when htmx kept no copy of the page) gets
    the whole page, as a first visit does.
    """
    form = CatalogFilterForm(request.GET)
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
    params = canonical_params(request.GET)
    params.pop("page", None)
    context = {**context, "form": form, "page": page, "query_string": params.urlencode()}
    if is_fragment_request(request):
        response = render(request, f"{template}#results", {**context, "fragment": True}, status=status)
        # The form sends every field; the address bar gets one copy of each one in use, so a shared link stays short
        # and Back returns to exactly the search that was on screen.
        response["HX-Push-Url"] = canonical_url(request, page=page.number if page else None)
        return response
    kept = filter_options()  # the page's form: its option lists as rendered once, the chosen values selected
    context["options"] = {name: with_selected(html, form[name].value()) for name, html in kept.items()}
    return render(request, template, context, status=status)


def is_fragment_request(request: HttpRequest) -> bool:
    """An htmx request for the results only: not a boosted link, not a history restore (both want the page)."""
    return bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request


def canonical_params(query: QueryDict) -> QueryDict:
    """The query's parameters, one copy each (the last, the one the form reads), the form's first and in its order,
    without the empty ones and without page 1."""
    params = QueryDict(mutable=True)
    for name in [*CatalogFilterForm.base_fields, *query]:
        value = query.get(name, "").strip()
        if value and name not in params and not (name == "page" and value == "1"):
            params[name] = value
    return params


def canonical_url(request: HttpRequest, *, page: int | None = None) -> str:
    """The address of what is shown: ``canonical_params``, with the page actually shown when it is given (a page
    number past the end shows the last page)."""
    params = canonical_params(request.GET)
    if page is not None:
        params.pop("page", None)
        if page > 1:
            params["page"] = str(page)
    return f"{request.path}?{params.urlencode()}" if params else request.path


@require_safe
@public_page(*PUBLIC_NAMESPACES)
def procedure_list(request: HttpRequest) -> HttpResponse:
    return _catalog_response(request, "catalog/procedure_list.html", {})


@require_safe
@public_page(*PUBLIC_NAMESPACES)
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = selectors.procedure_get(code)
    links = sorted(procedure.agency_links.all(), key=lambda link: sort_key(link.agency.name))
    return render(
        request,
        "catalog/procedure_detail.html",
        {
            "procedure": procedure,
            "competent_links": [link for link in links if link.role == "competent"],
            "implementing_links": [link for link in links if link.role == "implementing"],
            "receiving_agencies": selectors.procedure_receiving_agencies(procedure),
            "sections": procedure_sections(procedure),
            # A time limit given as a bare number ("1"): the page shows it as published and says the unit is missing.
            "unit_unknown": any(
                c.duration is not None and not c.time_limit_known() for c in procedure.channels.all()
            ),
        },
    )


@require_safe
@public_page(*PUBLIC_NAMESPACES)
def agency_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/agency_list.html", {"groups": selectors.agencies_grouped()})


@require_safe
@public_page(*PUBLIC_NAMESPACES)
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
@public_page(*PUBLIC_NAMESPACES)
def agency_embed(request: HttpRequest, code: str) -> HttpResponse:
    """A small page agencies put on their own website in an iframe: their procedures and a search box."""
    agency = selectors.agency_get(code)
    return _catalog_response(request, "catalog/agency_embed.html", {"agency": agency}, fixed={"agency": code})
