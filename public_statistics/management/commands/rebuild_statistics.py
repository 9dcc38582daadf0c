from django.core.management.base import BaseCommand

from public_statistics.rebuild import statistics_rebuild


class Command(BaseCommand):
    help = (
        "Tính lại từ đầu các bảng số liệu thống kê công khai từ toàn bộ hồ sơ (sau khi nhập hàng loạt, "
        "ví dụ generate_dossiers, hoặc khi nghi ngờ số liệu lệch)."
    )

    def handle(self, *args, verbosity, **options):
        progress = (lambda message: self.stdout.write(f"  {message}")) if verbosity > 1 else None
        summary = statistics_rebuild(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tính lại thống kê từ {summary.dossiers:,} hồ sơ đã tiếp nhận: {summary.figure_rows:,} dòng số "
                f"liệu tháng, {summary.time_rows:,} dòng thời gian xử lý, trong {summary.seconds:.1f} giây."
            )
        )
