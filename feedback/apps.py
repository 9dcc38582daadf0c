from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Phản ánh, kiến nghị")

    def ready(self) -> None:
        from feedback import receivers  # noqa: F401  (connects the notifications to the workflow's signal)
        from portal.navigation import nav_register

        nav_register("public", "feedback/nav/_public.html")
        nav_register("account", "feedback/nav/_account.html")
