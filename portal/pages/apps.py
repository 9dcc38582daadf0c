from django.apps import AppConfig
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "portal.pages"
    verbose_name = "Trang thông tin"

    def ready(self):
        from django.contrib import admin

        # The Django admin (/quan-tri/) says whose it is, not "Django administration" (templates/admin/ adds the
        # login page's h1).
        admin.site.site_header = format_lazy("{} · {}", settings.PORTAL_SITE_NAME, _("Quản trị hệ thống"))
        admin.site.site_title = settings.PORTAL_SITE_NAME
        admin.site.index_title = _("Quản trị hệ thống")
