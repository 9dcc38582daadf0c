from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Phản ánh, kiến nghị")

    def ready(self) -> None:
        from feedback import receivers  # noqa: F401  (connects the notifications to the workflow's signal)
        from feedback.selectors import personal_data_of
        from portal.accounts.personal_data import personal_data_register
        from portal.navigation import nav_register

        personal_data_register(personal_data_of)

        nav_register("public", "feedback/nav/_public.html")
        nav_register("account", "feedback/nav/_account.html")
