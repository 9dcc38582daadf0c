from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.territory.services import DEFAULT_UNITS_FILE, UnknownProvince, units_load


class Command(BaseCommand):
    help = "Nạp cây đơn vị hành chính của tỉnh (PORTAL_PROVINCE_CODE) từ danh mục quốc gia đi kèm."

    def add_arguments(self, parser):
        parser.add_argument("--province", default=settings.PORTAL_PROVINCE_CODE)
        parser.add_argument("--path", type=Path, default=DEFAULT_UNITS_FILE)

    def handle(self, *args, province, path, **options):
        try:
            result = units_load(province_code=province, path=path)
        except (UnknownProvince, OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đơn vị hành chính: {result.created} mới, {result.updated} cập nhật, {result.unchanged} không đổi"
        )
