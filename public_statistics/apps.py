from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicStatisticsConfig(AppConfig):
    name = "public_statistics"
    label = "public_statistics"
    verbose_name = _("Thống kê công khai")

    def ready(self) -> None:
        from portal.catalog.sections import procedure_section_register
        from portal.navigation import nav_register
        from public_statistics import receivers
        from public_statistics.procedure_section import procedure_figures

        receivers.connect()
        procedure_section_register("public_statistics/_procedure_section.html", procedure_figures)
        nav_register("public", "public_statistics/nav/_public.html")
