from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Hồ sơ thủ tục hành chính"
