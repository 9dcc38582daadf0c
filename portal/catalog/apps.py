from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "portal.catalog"
    verbose_name = "Thủ tục hành chính"
