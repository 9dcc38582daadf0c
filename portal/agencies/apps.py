from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "portal.agencies"
    verbose_name = "Cơ quan, đơn vị"

    def ready(self) -> None:
        from portal.agencies import signals  # noqa: F401 (connects the receivers)
