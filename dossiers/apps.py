from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Hồ sơ thủ tục hành chính"

    def ready(self) -> None:
        from celery.signals import worker_process_init

        from dossiers import signals  # noqa: F401  (connects the receivers)
        from dossiers.selectors import personal_data_of
        from portal.accounts.personal_data import personal_data_register
        from portal.navigation import nav_register

        personal_data_register(personal_data_of)
        nav_register("public", "dossiers/nav/_public.html")
        nav_register("account", "dossiers/nav/_account.html")
        worker_process_init.connect(worker_ready_to_render, dispatch_uid="dossiers_pdf_warm_up")


def worker_ready_to_render(**kwargs) -> None:
    """Each Celery worker process loads the PDF fonts and stylesheets before its first task (``portal/pdf/render.py``):
    the forms and the tracking book are rendered by this app's tasks."""
    from portal.pdf.render import worker_warm_up

    worker_warm_up()
