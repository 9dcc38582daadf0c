from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "portal.workdays"
    verbose_name = "Lịch ngày làm việc"

    def ready(self) -> None:
        from portal.workdays import signals  # noqa: F401 (connects the receivers)
