import sys

from django.core.management.base import BaseCommand

from faq.importer import faq_export_csv
from faq.models import FaqEntry


class Command(BaseCommand):
    help = "Xuất câu hỏi thường gặp ra CSV (cùng cột với import_faq), ra tệp hoặc ra màn hình."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="-", help="Tệp CSV ghi ra (mặc định: màn hình).")
        parser.add_argument(
            "--state", choices=FaqEntry.State.values, help="Chỉ xuất câu hỏi ở trạng thái này."
        )

    def handle(self, *args, path, state, **options):
        entries = FaqEntry.objects.all()
        if state:
            entries = entries.filter(state=state)
        if path == "-":
            for chunk in faq_export_csv(entries):
                sys.stdout.write(chunk)
            return
        with open(path, "w", encoding="utf-8", newline="") as handle:
            for chunk in faq_export_csv(entries):
                handle.write(chunk)
        self.stdout.write(f"Đã xuất {entries.count()} câu hỏi ra {path}.")
