import secrets
import string

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.accounts.demo import DEMO_ACCOUNTS, demo_accounts_create
from portal.catalog.models import Procedure
from portal.pages.signals import demo_data_loaded


def _generated_password() -> str:
    alphabet = string.ascii_letters + string.digits
    return "Dvc-" + "".join(secrets.choice(alphabet) for _ in range(14))


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu cho môi trường phát triển: đơn vị hành chính, cơ quan, thủ tục và tài khoản mẫu."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default=None, help="Mật khẩu tài khoản mẫu (mặc định: DEMO_PASSWORD)."
        )

    def handle(self, *args, password, **options):
        if settings.PRODUCTION:
            raise CommandError("Không tạo dữ liệu mẫu trong môi trường production.")
        call_command("load_units", stdout=self.stdout)
        call_command("load_agencies", stdout=self.stdout)
        call_command("seed_holidays", stdout=self.stdout)
        if not Procedure.objects.exists():
            call_command("import_procedures", quiet_incomplete=True, stdout=self.stdout, stderr=self.stderr)
        password_file = settings.VAR_DIR / "demo-password.txt"
        password = password or settings.DEMO_PASSWORD
        if not password and password_file.exists():
            password = password_file.read_text().strip()
        if not password:
            password = _generated_password()
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        demo_accounts_create(password=password)
        demo_data_loaded.send(sender=self.__class__, stdout=self.stdout)
        self.stdout.write(f"\nTài khoản mẫu (mật khẩu chung: {password}):")
        for username, role, _agency, _is_superuser in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<11} {role.label}")
        self.stdout.write(
            "Tài khoản cán bộ (mọi vai trò trừ công dân) phải bật xác thực hai lớp ở lần đăng nhập đầu: cài một "
            "ứng dụng xác thực TOTP (Google Authenticator, FreeOTP…), quét mã QR trên trang rồi nhập mã 6 chữ số."
        )
