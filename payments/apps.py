from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Thanh toán trực tuyến"
    default_auto_field = "django.db.models.BigAutoField"
