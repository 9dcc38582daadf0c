import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dossiers.models import Dossier
from loadtest.generator import generate_dossiers


class Command(BaseCommand):
    help = (
        "Tạo hồ sơ lịch sử giả lập (2 năm gần nhất) trên danh mục thủ tục và cơ quan thật, để phát triển và đo tải: "
        "mã hồ sơ, hạn xử lý, quá trình xử lý, tài khoản công dân. Cùng --seed cho cùng kết quả trong cùng một ngày."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="Số hồ sơ cần tạo.")
        parser.add_argument("--seed", type=int, default=0, help="Hạt giống ngẫu nhiên (mặc định 0).")
        parser.add_argument(
            "--agencies",
            nargs="+",
            metavar="MA_CO_QUAN",
            help="Chỉ tạo hồ sơ tiếp nhận tại các cơ quan này (mã định danh, ví dụ 000.00.01.H01).",
        )
        parser.add_argument("--chunk", type=int, default=20_000, help="Số hồ sơ mỗi lần ghi (một giao dịch).")

    def handle(self, *args, count, seed, agencies, chunk, **options):
        if settings.PRODUCTION:
            raise CommandError("Không tạo hồ sơ giả lập trong môi trường production.")
        if count < 1:
            raise CommandError("--count phải lớn hơn 0.")
        started = time.monotonic()
        tty = self.stdout.isatty()

        def progress(done: int, total: int) -> None:
            if not tty:
                return
            elapsed = time.monotonic() - started
            rate = done / elapsed if elapsed else 0.0
            self.stdout.write(
                f"\r  {done:>10,} / {total:,} hồ sơ ({100 * done / total:5.1f} %), {rate:,.0f} hồ sơ/giây",
                ending="",
            )
            self.stdout.flush()

        try:
            summary = generate_dossiers(
                count=count, seed=seed, agency_codes=agencies, chunk_size=chunk, progress=progress
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if tty:
            self.stdout.write("")
        rows = summary.count + summary.events + summary.supplements
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo {summary.count:,} hồ sơ ({summary.first_day:%d/%m/%Y}–{summary.last_day:%d/%m/%Y}), "
                f"{summary.events:,} bước xử lý, {summary.supplements:,} yêu cầu bổ sung trong "
                f"{summary.seconds:.1f} giây ({summary.count / summary.seconds:,.0f} hồ sơ/giây, "
                f"{rows / summary.seconds:,.0f} dòng/giây, {summary.backend})."
            )
        )
        states = ", ".join(
            f"{Dossier.State(state).label}: {n:,} ({100 * n / summary.count:.1f} %)"
            for state, n in summary.states.most_common()
        )
        channels = ", ".join(
            f"{Dossier.Channel(channel).label}: {100 * n / summary.count:.1f} %"
            for channel, n in sorted(summary.channels.items())
        )
        self.stdout.write(f"  Trạng thái: {states}")
        self.stdout.write(f"  Kênh nộp: {channels}")
        self.stdout.write(
            f"  Quá hạn: {summary.overdue:,} ({100 * summary.overdue / summary.count:.2f} %) · "
            f"bộ đếm mã theo ngày: {summary.counters:,} · tài khoản công dân: {summary.accounts_created:,} mới, "
            f"{summary.accounts_reused:,} dùng lại"
        )
        heavy = ", ".join(f"{username} ({n})" for username, n in summary.heavy_users)
        self.stdout.write(f"  Tài khoản có nhiều hồ sơ: {heavy}")
