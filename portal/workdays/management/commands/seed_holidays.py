from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.workdays.services import holidays_seed


class Command(BaseCommand):
    help = "Nạp ngày nghỉ lễ, Tết của Việt Nam (theo gói holidays) vào lịch ngày làm việc; chạy lại không đổi gì."

    def add_arguments(self, parser):
        this_year = timezone.localdate().year
        parser.add_argument("--from-year", type=int, default=this_year - 1)
        parser.add_argument("--to-year", type=int, default=this_year + 2)

    def handle(self, *args, from_year, to_year, **options):
        try:
            result = holidays_seed(first_year=from_year, last_year=to_year)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Ngày nghỉ lễ {from_year}–{to_year}: {result.created} mới, {result.updated} cập nhật, "
            f"{result.unchanged} không đổi, {result.removed} bỏ, {result.kept_admin} giữ theo quản trị viên; "
            f"ngày làm bù: {result.working_days_created} mới"
        )
