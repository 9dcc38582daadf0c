from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "portal.audit"
    verbose_name = "Nhật ký bảo mật"

    def ready(self) -> None:
        from portal.audit import signals

        signals.connect()
