from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "signing"
    verbose_name = "Trình ký qua hệ thống quản lý văn bản"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from signing import signals  # noqa: F401  (connects the demo receiver)
