from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "portal.workdays"
    verbose_name = "Lịch ngày làm việc"
