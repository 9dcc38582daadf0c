import json

from django.core.management.base import BaseCommand, CommandError

from eforms.models import FormDefinition
from eforms.services import definition_export


class Command(BaseCommand):
    help = "Xuất định nghĩa tờ khai điện tử đang dùng của một thủ tục ra JSON (stdout)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Mã thủ tục, ví dụ 1.001193")
        parser.add_argument(
            "--form-version", type=int, default=None, help="Phiên bản (mặc định: phiên bản đang dùng)."
        )

    def handle(self, *args, code, form_version, **options):
        rows = FormDefinition.objects.filter(procedure__code=code)
        definition = (
            rows.filter(version=form_version).first()
            if form_version
            else rows.filter(is_current=True).first()
        )
        if definition is None:
            raise CommandError(f"Không có tờ khai điện tử cho thủ tục {code}.")
        self.stdout.write(json.dumps(definition_export(definition), ensure_ascii=False, indent=2))
