from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "portal.catalog"
    verbose_name = "Thủ tục hành chính"

    def ready(self) -> None:
        from portal import cache as versioned
        from portal.catalog import signals
        from portal.catalog.search_index import NAMESPACE, catalog_version_derived

        signals.connect()
        versioned.starts(NAMESPACE, catalog_version_derived)
