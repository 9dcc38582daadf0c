from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "portal.territory"
    verbose_name = "Đơn vị hành chính"
