from django.apps import AppConfig


class PostalConfig(AppConfig):
    name = "postal"
    verbose_name = "Bưu chính công ích"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from postal import signals  # noqa: F401 (receivers)
