from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("Đánh giá, xếp hạng")

    def ready(self) -> None:
        from ratings import receivers  # noqa: F401  (the invitation when a dossier's result is returned)
