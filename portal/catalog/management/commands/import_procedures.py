import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.catalog.importer import ImportReport, import_procedures

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "procedures-2026.jsonl.gz"


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục hành chính từ tệp JSON Lines của Cổng DVC quốc gia (.jsonl hoặc .jsonl.gz). "
        "Cập nhật theo mã thủ tục, chạy lại nhiều lần cho cùng kết quả."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
        parser.add_argument(
            "--relink", action="store_true", help="Áp dụng lại quy tắc gán cơ quan cho mọi thủ tục."
        )
        parser.add_argument(
            "--quiet-incomplete", action="store_true", help="Chỉ in số thủ tục chưa phân tích hết."
        )

    def handle(self, *args, path: Path, relink: bool, quiet_incomplete: bool, **options):
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        progress = self._progress if sys.stdout.isatty() and options.get("verbosity", 1) > 0 else None
        report = import_procedures(path, progress=progress, relink=relink)
        if progress:
            self.stdout.write("")
        self._print(report, quiet_incomplete)

    def _progress(self, line: int) -> None:
        if line % 25 == 0:
            self.stdout.write(f"\r  đang nhập… dòng {line}", ending="")
            self.stdout.flush()

    def _print(self, report: ImportReport, quiet_incomplete: bool) -> None:
        self.stdout.write(
            f"Thủ tục: {report.created} mới, {report.updated} cập nhật, {report.unchanged} không đổi, "
            f"{len(report.errors)} dòng lỗi, {len(report.incomplete)} chưa phân tích hết"
        )
        for error in report.errors:
            self.stderr.write(f"  dòng {error.line}: {error.message}")
        if report.incomplete and not quiet_incomplete:
            self.stdout.write("Thủ tục có trường chưa phân tích hết (giữ nguyên văn bản gốc):")
            for item in report.incomplete:
                self.stdout.write(f"  {item.code}: {' | '.join(item.fields)}")
