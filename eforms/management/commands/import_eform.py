import json

from django.core.management.base import BaseCommand, CommandError

from eforms.demo import shipped_definitions_load
from eforms.errors import InvalidDefinition
from eforms.services import definition_import


class Command(BaseCommand):
    help = "Nhập định nghĩa tờ khai điện tử từ tệp JSON (tạo phiên bản mới nếu khác phiên bản đang dùng)."

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="*", help="Tệp JSON; bỏ trống cùng --shipped để nhập các tờ khai kèm theo."
        )
        parser.add_argument(
            "--shipped", action="store_true", help="Nhập mọi tờ khai trong eforms/definitions/."
        )

    def handle(self, *args, files, shipped, **options):
        if shipped:
            count = shipped_definitions_load(self.stdout)
            self.stdout.write(f"Đã nhập {count} phiên bản mới.")
        for name in files:
            try:
                with open(name, encoding="utf-8") as handle:
                    data = json.load(handle)
            except (OSError, ValueError) as error:
                raise CommandError(f"Không đọc được {name}: {error}") from error
            try:
                definition, new = definition_import(data=data)
            except InvalidDefinition as error:
                raise CommandError(f"{name}:\n  " + "\n  ".join(error.problems)) from error
            state = "phiên bản mới" if new else "không thay đổi"
            self.stdout.write(
                f"{definition.procedure.code}: {definition.title} v{definition.version} ({state})"
            )
