"""Create the test certificate authority and the agency's signing certificate where the settings look for them."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from signing.demo_ca import demo_ca_create


class Command(BaseCommand):
    help = "Tạo CA thử nghiệm và chứng thư ký số của cơ quan (chỉ cho demo và kiểm thử)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Tạo lại dù đã có.")

    def handle(self, *args, force=False, **options):
        if settings.PORTAL_ENV == "production":
            raise CommandError("Không tạo CA thử nghiệm trên môi trường production.")
        cert = Path(settings.SIGNING_CERT_PATH or "")
        if not settings.SIGNING_CERT_PATH or not settings.SIGNING_KEY_PATH or not settings.SIGNING_CA_PATH:
            raise CommandError("SIGNING_CERT_PATH, SIGNING_KEY_PATH và SIGNING_CA_PATH phải được đặt.")
        if cert.is_file() and not force:
            self.stdout.write(f"Đã có chứng thư ký số: {cert}")
            return
        directory = cert.parent
        paths = demo_ca_create(directory, password=settings.SIGNING_KEY_PASSWORD)
        for role, target in (
            ("cert", settings.SIGNING_CERT_PATH),
            ("key", settings.SIGNING_KEY_PATH),
            ("ca", settings.SIGNING_CA_PATH),
        ):
            if Path(target) != paths[role]:
                Path(target).parent.mkdir(parents=True, exist_ok=True)
                paths[role].replace(target)
        self.stdout.write(f"Đã tạo CA thử nghiệm và chứng thư ký số trong {directory}")
