from django.core.management.base import BaseCommand, CommandError

from faq.importer import ImportFileError, faq_import_file
from faq.models import FaqEntry


class Command(BaseCommand):
    help = (
        "Nhập câu hỏi thường gặp từ tệp CSV (cột question, answer bắt buộc; id, agency, field, procedure_codes, "
        "state tùy chọn). Nhập lại cùng tệp thì cập nhật, không tạo bản trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Đường dẫn tệp CSV (UTF-8, có dòng tiêu đề).")
        parser.add_argument(
            "--state",
            choices=FaqEntry.State.values,
            default=FaqEntry.State.PUBLISHED,
            help="Trạng thái cho dòng không có cột state (mặc định: published).",
        )

    def handle(self, *args, path, state, **options):
        try:
            report = faq_import_file(path, state=state)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for line, message in report.warnings:
            self.stderr.write(f"Dòng {line}: cảnh báo: {message}")
        for line, reason in report.refused:
            self.stderr.write(f"Dòng {line}: từ chối: {reason}")
        self.stdout.write(report.summary())
