from django.apps import AppConfig


class FaqConfig(AppConfig):
    name = "faq"
    verbose_name = "Hỏi đáp"

    def ready(self) -> None:
        from faq import signals  # noqa: F401  (connects the receivers)
        from portal.navigation import nav_register

        nav_register("public", "faq/nav/_public.html")
