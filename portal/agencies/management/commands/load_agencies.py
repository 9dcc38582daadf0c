from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.agencies.services import AgencyDataMissing, agencies_load
from portal.territory.models import AdministrativeUnit


class Command(BaseCommand):
    help = "Nạp danh sách cơ quan của tỉnh (sở, ngành, UBND các xã) với mã định danh."

    def add_arguments(self, parser):
        parser.add_argument("--province", default=settings.PORTAL_PROVINCE_CODE)

    def handle(self, *args, province, **options):
        try:
            result = agencies_load(province_code=province)
        except AgencyDataMissing as exc:
            raise CommandError(str(exc)) from exc
        except AdministrativeUnit.DoesNotExist:
            raise CommandError(
                "Chưa có đơn vị hành chính của tỉnh: chạy `manage.py load_units` trước."
            ) from None
        self.stdout.write(
            f"Cơ quan: {result.created} mới, {result.updated} cập nhật, {result.unchanged} không đổi"
        )
