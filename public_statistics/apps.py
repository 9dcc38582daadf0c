from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicStatisticsConfig(AppConfig):
    name = "public_statistics"
    label = "public_statistics"
    verbose_name = _("Thống kê công khai")

    def ready(self) -> None:
        from portal.navigation import nav_register
        from public_statistics import receivers

        receivers.connect()
        nav_register("public", "public_statistics/nav/_public.html")
