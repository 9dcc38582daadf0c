from django.core.management.base import BaseCommand, CommandError

from integrations.dvcqg.client import dvcqg_configured
from integrations.dvcqg.errors import DvcqgError
from portal.catalog.national import catalogue_pull


class Command(BaseCommand):
    help = (
        "Lấy danh mục thủ tục hành chính từ Cổng DVC quốc gia (LayDanhSachTTHC) và cập nhật danh mục của tỉnh theo "
        "mã thủ tục, theo cùng quy tắc với import_procedures."
    )

    def handle(self, *args, **options):
        if not dvcqg_configured():
            raise CommandError(
                "Chưa cấu hình kết nối Cổng DVCQG (DVCQG_BASE_URL, DVCQG_USERNAME, DVCQG_PASSWORD, DVCQG_AGENCY_CODE)."
            )
        try:
            report = catalogue_pull()
        except DvcqgError as error:
            raise CommandError(f"Không lấy được danh mục từ Cổng DVCQG: {error}") from error
        self.stdout.write(
            f"Thủ tục: {report.created} mới, {report.updated} cập nhật, {report.unchanged} không đổi, "
            f"{len(report.errors)} lỗi"
        )
        for error in report.errors:
            self.stderr.write(f"  bản ghi {error.line}: {error.message}")
