from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from portal.agencies.models import Agency
from portal.catalog.models import Procedure


class StaticSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["home", "catalog:procedure_list", "catalog:agency_list", "site_map", "accessibility"]

    def location(self, item):
        return reverse(item)


class ProcedureSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 5000

    def items(self):
        return Procedure.objects.filter(is_active=True).only("code", "updated_at").order_by("code")

    def lastmod(self, obj):
        return obj.updated_at


class AgencySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Agency.objects.filter(is_active=True).only("code").order_by("code")


SITEMAPS = {"pages": StaticSitemap, "procedures": ProcedureSitemap, "agencies": AgencySitemap}
