import sys
from datetime import date

from django.contrib.sitemaps.views import sitemap
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_safe

from portal.cache.pages import public_page
from portal.catalog.forms import CatalogFilterForm
from portal.catalog.models import Field, Procedure
from portal.catalog.selectors import PUBLIC_NAMESPACES
from portal.pages import health
from portal.pages.sitemaps import SITEMAPS
from portal.security_headers import inline_styles_allowed


@require_safe
@public_page(*PUBLIC_NAMESPACES)
def home(request: HttpRequest) -> HttpResponse:
    stats = Procedure.objects.filter(is_active=True).aggregate(
        total=Count("id"),
        full=Count("id", filter=Q(online_scope=Procedure.OnlineScope.FULL)),
        partial=Count("id", filter=Q(online_scope=Procedure.OnlineScope.PARTIAL)),
    )
    fields = Field.objects.annotate(n=Count("procedures", filter=Q(procedures__is_active=True))).order_by(
        "-n"
    )[:12]
    return render(request, "pages/home.html", {"stats": stats, "fields": fields, "form": CatalogFilterForm()})


@require_safe
@public_page(*PUBLIC_NAMESPACES)
def site_map(request: HttpRequest) -> HttpResponse:
    fields = Field.objects.annotate(n=Count("procedures")).order_by("name")
    return render(request, "pages/site_map.html", {"fields": fields})


# The day the accessibility statement was last reviewed against the portal: change it with the statement's text.
ACCESSIBILITY_STATEMENT_REVIEWED = date(2026, 12, 7)


@require_safe
@public_page()
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (Tuyên bố về khả năng tiếp cận): the standard aimed at, how it is checked, the
    known gaps and whom to tell; the contact details are the site's own (``PORTAL_HOTLINE``, ``PORTAL_CONTACT_EMAIL``)."""
    return render(request, "pages/accessibility.html", {"reviewed": ACCESSIBILITY_STATEMENT_REVIEWED})


@require_safe
@cache_page(60 * 60)
def sitemap_xml(request: HttpRequest) -> HttpResponse:
    return sitemap(request, sitemaps=SITEMAPS)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /quan-tri/",
        "Disallow: /en/quan-tri/",
        "Disallow: /api/",
        "Disallow: /i18n/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive and serving; says nothing about its dependencies."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Ready when the database, the cache and the task broker all answer; 503 with the failing ones otherwise."""
    checks = {
        "database": health.database_problem(),
        "cache": health.cache_problem(),
        "broker": health.broker_problem(),
    }
    problems = {name: problem for name, problem in checks.items() if problem}
    body = {
        "status": "ok" if not problems else "unavailable",
        "checks": {n: p or "ok" for n, p in checks.items()},
    }
    return JsonResponse(body, status=503 if problems else 200)


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


# Seconds after which a visitor may try again when the database cannot be reached.
DATABASE_RETRY_AFTER = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """The page for an error the portal did not handle. When the database cannot be reached (it is restarting, the
    network to it is down), that is a service unavailable for a moment, not a fault: 503 with Retry-After, in
    Vietnamese, and no traceback. Rendered without context processors: they may need the database."""
    from django.db import DatabaseError, InterfaceError, OperationalError
    from django.template import loader

    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DatabaseError) and "connection" in str(error).lower()
    ):
        response = HttpResponse(loader.get_template("503.html").render({}), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return inline_styles_allowed(response)
    return inline_styles_allowed(HttpResponse(loader.get_template("500.html").render({}), status=500))
