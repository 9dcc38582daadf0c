from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("Đánh giá, xếp hạng")

    def ready(self) -> None:
        # The invitation when a dossier's result is returned; kept pages made stale by a changed rule.
        from portal.navigation import nav_register
        from ratings import page_cache, receivers  # noqa: F401

        nav_register("public", "ratings/nav/_public.html")
        nav_register("account", "ratings/nav/_account.html")
