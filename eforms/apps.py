from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EformsConfig(AppConfig):
    name = "eforms"
    verbose_name = _("Tờ khai điện tử")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from dossiers.national.mapping import dossier_part_register
        from dossiers.selectors import queue_text_matcher_register
        from eforms.demo import shipped_definitions_load_for_demo
        from eforms.national import dossier_declaration_part
        from eforms.search import dossiers_matching
        from portal.demo import demo_data_loading

        queue_text_matcher_register(dossiers_matching)
        dossier_part_register(dossier_declaration_part)
        demo_data_loading.connect(shipped_definitions_load_for_demo, dispatch_uid="eforms.demo")
