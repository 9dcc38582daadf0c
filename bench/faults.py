"""Fault battery: the production setup under load while its dependencies fail, one command:

    .venv/bin/python bench/faults.py [--fault-seconds 30] [--kills 20] [--drain-minutes 6]

What runs, all on 127.0.0.1 and all started (and stopped) by this script:
- gunicorn (2 sync workers) with production settings, a Celery worker and Celery beat;
- a Redis server of its own on a free port (the cache and the broker), so stopping it touches nobody else's;
- PostgreSQL behind a TCP proxy of this script, which can cut every connection and refuse new ones;
- an SMTP server of this script that receives the mail and can be stopped.

Traffic from this process: four threads read public pages (home, catalogue, searches, procedure pages, the API,
the tracking form) without pause; two citizens file dossiers through the pages (sign in, start, upload the required
documents, check and submit); an officer receives what was submitted (the reception renders the receipt, Mẫu 01,
in the worker, and notifies the citizen by e-mail).

Faults, one after another, each after a quiet spell: Redis stopped for ``--fault-seconds``; PostgreSQL cut for as
long; the SMTP server stopped for as long; the worker killed with SIGKILL ``--kills`` times, a few seconds apart.
Then traffic stops and the script waits (up to ``--drain-minutes``) for the sweeps to finish what was left.

It reports, per phase, the public requests and their 5xx; the submissions tried, done and failed; and at the end
the submissions lost (confirmed to the citizen but not in the database), the receipts never rendered, the
notifications never handed to mail, the mail never delivered, and how long /readyz took to say 200 after each fault.
Writes bench/results/faults.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fault_rigs import Celery, EventLoopThread, RedisServer, SmtpSink, TcpProxy  # noqa: E402 (bench/fault_rigs.py, beside this script)
from run import (  # noqa: E402 (bench/run.py, this script's neighbour)
    REPO,
    RESULTS,
    Gunicorn,
    django_env,
    http_get,
    log,
    manage,
    prepare_database,
    with_database,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_faults"
PASSWORD = "Mat-khau-thu-loi-2026"  # noqa: S105 (accounts of this benchmark only)
SERVICE_CENTRE = "000.00.01.H01"
JUSTICE = "000.00.05.H01"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"  # noqa: E501
SEARCHES = ["khai sinh", "dang ky ket hon", "giay phep xay dung", "chung thuc", "ho kinh doanh", "dat dai"]


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def world() -> dict:
    """Two citizens with an e-mail address, a one-stop officer of the service centre, and a procedure to file."""
    from portal.accounts.models import AgencyMembership, User
    from portal.agencies.models import Agency
    from portal.catalog.models import Procedure

    centre = Agency.objects.get(code=SERVICE_CENTRE)
    tag = secrets.token_hex(3)
    citizens = []
    for n in (1, 2):
        user = User.objects.create_user(
            f"loi-{tag}-{n}", email=f"loi-{tag}-{n}@example.invalid", password=PASSWORD, phone="0912345678"
        )
        user.full_name, user.notify_email = f"Công dân thử lỗi {n}", True
        user.save()
        citizens.append(user.username)
    officer = User.objects.create_user(f"motcua-loi-{tag}", password=PASSWORD, role=User.Role.ONESTOP_OFFICER)
    AgencyMembership.objects.create(user=officer, agency=centre)
    procedure = (
        Procedure.objects.filter(
            is_active=True,
            online_level__gte=3,
            agency_links__agency__code=JUSTICE,
            is_province_level=True,
            is_commune_level=False,
            documents__isnull=False,
            channels__duration__isnull=False,
            channels__duration_unit="working_day",
        )
        .distinct()
        .order_by("code")
        .first()
    )
    codes = list(Procedure.objects.filter(is_active=True).values_list("code", flat=True)[:400])
    return {"citizens": citizens, "officer": officer.pk, "procedure": procedure.code, "codes": codes}


# --- traffic -----------------------------------------------------------------------------------------------------------


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.phase = "start"
        self.public: dict[str, Counter] = defaultdict(Counter)
        self.submissions: dict[str, Counter] = defaultdict(Counter)
        self.submitted_ids: list[int] = []
        self.errors: list[str] = []

    def count_public(self, status: int) -> None:
        outcome = "503" if status == 503 else "5xx" if status >= 500 else "ok" if status < 400 else "4xx"
        with self.lock:
            self.public[self.phase][outcome] += 1

    def count_submission(self, outcome: str, dossier_id: int | None = None) -> None:
        with self.lock:
            self.submissions[self.phase][outcome] += 1
            if dossier_id:
                self.submitted_ids.append(dossier_id)


def public_reader(base: str, codes: list[str], rec: Recorder, stop: threading.Event) -> None:
    rng = random.Random()
    while not stop.is_set():
        path = rng.choice(
            [
                "/",
                "/thu-tuc/",
                f"/thu-tuc/?q={rng.choice(SEARCHES).replace(' ', '+')}",
                f"/thu-tuc/{rng.choice(codes)}/",
                f"/api/v1/procedures?q={rng.choice(SEARCHES).replace(' ', '+')}",
                "/ho-so/tra-cuu/",
            ]
        )
        try:
            status, _body = http_get(base + path, timeout=10)
        except OSError:
            status = 599  # no answer at all counts as a server failure
        rec.count_public(status)


def submitter(base: str, username: str, procedure: str, rec: Recorder, stop: threading.Event) -> None:
    """One citizen filing dossier after dossier in the same browser session (signing in again only when needed)."""
    import requests

    session = requests.Session()
    session.signed_out = False
    while not stop.is_set():
        try:
            outcome, dossier_id = _file_one(session, base, username, procedure)
        except requests.RequestException as error:
            outcome, dossier_id = f"no answer ({type(error).__name__})", None
        rec.count_submission(outcome, dossier_id)
        # A person tries again after a moment, and waits longer when told to slow down (429).
        time.sleep(0.5 if outcome == "done" else 10 if "429" in outcome else 2)


def _insecure_cookies(session) -> None:
    """Production cookies are marked Secure and this traffic is plain HTTP on loopback: send them back anyway
    (called before each request: requests stores a response's cookies after its hooks run)."""
    for cookie in session.cookies:
        cookie.secure = False


def _csrf(session, base: str) -> dict:
    _insecure_cookies(session)
    return {"X-CSRFToken": session.cookies.get("csrftoken", ""), "Referer": base + "/"}


def _failure(step: str, status: int) -> str:
    return str(status) if status >= 500 else f"{step} {status}"


def _sign_in(session, base: str, username: str) -> str:
    """Sign in on the sign-in page; "" when signed in, else what went wrong."""
    page = session.get(base + "/tai-khoan/dang-nhap/", timeout=15)
    if page.status_code >= 500:
        return _failure("sign-in page", page.status_code)
    signed = session.post(
        base + "/tai-khoan/dang-nhap/",
        data={
            "login": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
        },
        headers=_csrf(session, base),
        allow_redirects=False,
        timeout=15,
    )
    return "" if signed.status_code == 302 else _failure("sign-in", signed.status_code)


def _file_one(session, base: str, username: str, procedure: str) -> tuple[str, int | None]:
    """Sign in, start a draft, attach a PDF to every document slot, continue, submit: ("done", id) or what failed."""
    if "sessionid" not in session.cookies or session.signed_out:
        session.signed_out = False
        outcome = _sign_in(session, base, username)
        if outcome:
            return outcome, None
    start = session.post(
        f"{base}/ho-so/nop/{procedure}/",
        data={"co_quan": SERVICE_CENTRE, "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")},
        headers=_csrf(session, base),
        allow_redirects=False,
        timeout=15,
    )
    if start.status_code == 302 and "/dang-nhap/" in start.headers["Location"]:
        session.signed_out = True  # the session ended: sign in again next time
    if start.status_code != 302 or session.signed_out:
        return _failure("start", start.status_code), None
    draft_url = base + start.headers["Location"]
    _insecure_cookies(session)
    draft = session.get(draft_url, timeout=15)
    if draft.status_code != 200:
        return _failure("draft", draft.status_code), None
    version = re.search(r'name="expected_version" value="(\d+)"', draft.text).group(1)
    slots = sorted(set(re.findall(r'name="(tep_\d+)"', draft.text)))
    data = {
        "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
        "expected_version": version,
        "applicant_kind": "1",
        "applicant_name": "Công dân thử lỗi",
        "applicant_phone": "0912345678",
        "delivery": "office",
        "hanh_dong": "kiem_tra",
    }
    files = [(slot, ("giay-to.pdf", PDF, "application/pdf")) for slot in slots]
    saved = session.post(
        draft_url, data=data, files=files, headers=_csrf(session, base), allow_redirects=False
    )
    if saved.status_code != 302:
        return _failure("save", saved.status_code), None
    review_url = base + saved.headers["Location"]
    _insecure_cookies(session)
    review = session.get(review_url, timeout=15)
    version = re.search(r'name="expected_version" value="(\d+)"', review.text).group(1)
    done = session.post(
        review_url,
        data={"expected_version": version, "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")},
        headers=_csrf(session, base),
        allow_redirects=False,
        timeout=15,
    )
    if done.status_code != 302:
        return _failure("submit", done.status_code), None
    return "done", int(re.search(r"/ho-so/(\d+)/$", done.headers["Location"]).group(1))


def receiver(officer_id: int, rec: Recorder, stop: threading.Event) -> None:
    """The officer receives what was submitted (through this process's own Django, straight to PostgreSQL)."""
    from django.db import close_old_connections

    from dossiers import services
    from dossiers.models import Dossier
    from portal.accounts.models import User

    officer = User.objects.get(pk=officer_id)
    while not stop.wait(2):
        close_old_connections()
        for dossier in Dossier.objects.filter(
            state=Dossier.State.SUBMITTED, receiving_agency__code=SERVICE_CENTRE
        ):
            try:
                services.dossier_receive(dossier=dossier, actor=officer)
            except Exception as error:  # noqa: BLE001 (counted; the next round tries again)
                with rec.lock:
                    rec.errors.append(f"receive: {type(error).__name__}: {error}"[:200])


# --- the run ---------------------------------------------------------------------------------------------------------


def readyz_after(base: str, since: float, timeout: float = 120) -> float | None:
    """Seconds from ``since`` until /readyz answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if http_get(base + "/readyz", timeout=3)[0] == 200:
                return round(time.monotonic() - since, 1)
        except OSError:
            pass
        time.sleep(0.5)
    return None


def outcome_counts(submitted_ids: list[int], since) -> dict:
    from django.db import close_old_connections

    from dossiers.models import Dossier, DossierFile, FormRequest, Notification
    from portal.mail.models import OutgoingMail

    close_old_connections()
    stored = Dossier.objects.filter(pk__in=submitted_ids)
    received = stored.exclude(received_at=None)
    with_receipt = received.filter(files__kind=DossierFile.Kind.FORM, files__form_code="01").distinct()
    notifications = Notification.objects.filter(dossier__in=stored)
    return {
        "submissions_confirmed": len(submitted_ids),
        "submissions_lost": len(submitted_ids) - stored.count(),
        "received": received.count(),
        "receipts_never_rendered": received.count() - with_receipt.count(),
        "form_requests_pending": FormRequest.objects.filter(dossier__in=stored, rendered_at=None).count(),
        "notifications_to_email": (
            owed := notifications.filter(user__notify_email=True).exclude(user__email="")
        ).count(),
        "notifications_not_handed_to_mail": owed.filter(emailed_at=None).count(),
        "mail_not_sent": (mail := OutgoingMail.objects.filter(created_at__gte=since))
        .exclude(state=OutgoingMail.State.SENT)
        .count(),
        "mail_failed": mail.filter(state=OutgoingMail.State.FAILED).count(),
        "mail_sent": mail.filter(state=OutgoingMail.State.SENT).count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fault-seconds", type=int, default=30)
    parser.add_argument("--quiet-seconds", type=int, default=15)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--drain-minutes", type=float, default=6)
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    workdir = REPO / "var" / "bench" / "faults"
    workdir.mkdir(parents=True, exist_ok=True)

    loop = EventLoopThread()
    loop.start()
    redis, proxy, smtp = RedisServer(workdir), TcpProxy(loop), SmtpSink(loop)
    redis.start()
    proxy.start()
    smtp.start()
    database_url = os.environ.get("BENCH_FAULTS_DATABASE_URL", DEFAULT_DATABASE_URL)
    direct = django_env(database_url, redis.url, "faults")
    direct.update(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        CELERY_TASK_ALWAYS_EAGER="false",
        PORTAL_MAIL_SWEEP_SECONDS="10",
        PORTAL_FOLLOW_UP_SWEEP_SECONDS="15",
        PORTAL_FOLLOW_UP_GRACE_SECONDS="20",
        CELERY_VISIBILITY_TIMEOUT="60",
        PORTAL_BASE_URL="http://127.0.0.1",
        LOG_LEVEL="WARNING",
    )
    log("preparing the database (first run: a few minutes)")
    prepare_database(database_url, direct)
    manage(direct, "collectstatic", "--noinput", "-v", "0")
    served = {
        **direct,
        "DATABASE_URL": with_database(
            f"postgres://postgres@127.0.0.1:{proxy.port}/", database_url.rsplit("/", 1)[1]
        ),
    }
    setup_django(direct)
    from django.utils import timezone

    run_started = timezone.now()
    people = world()

    web = Gunicorn(served, 2, RESULTS / "faults-gunicorn.log")
    worker = Celery(served, "worker", RESULTS / "faults-worker.log")
    beat = Celery(served, "beat", RESULTS / "faults-beat.log")
    rec, stop = Recorder(), threading.Event()
    recovery: dict[str, float | None] = {}
    report: dict = {}
    try:
        web.wait_ready()
        worker.start()
        beat.start()
        threads = [
            threading.Thread(target=public_reader, args=(web.base, people["codes"], rec, stop))
            for _ in range(4)
        ]
        threads += [
            threading.Thread(target=submitter, args=(web.base, name, people["procedure"], rec, stop))
            for name in people["citizens"]
        ]
        threads.append(threading.Thread(target=receiver, args=(people["officer"], rec, stop)))
        for thread in threads:
            thread.daemon = True
            thread.start()

        def quiet(name: str) -> None:
            rec.phase = name
            log(f"phase: {name}")
            time.sleep(args.quiet_seconds)

        quiet("baseline")
        rec.phase = "redis down"
        log(f"phase: redis down for {args.fault_seconds} s")
        redis.stop()
        time.sleep(args.fault_seconds)
        redis.start()
        recovery["redis"] = readyz_after(web.base, time.monotonic())
        quiet("after redis")

        rec.phase = "postgresql down"
        log(f"phase: postgresql cut for {args.fault_seconds} s")
        proxy.cut()
        time.sleep(args.fault_seconds)
        proxy.start()
        recovery["postgresql"] = readyz_after(web.base, time.monotonic())
        quiet("after postgresql")

        rec.phase = "smtp down"
        log(f"phase: smtp stopped for {args.fault_seconds} s")
        smtp.stop()
        time.sleep(args.fault_seconds)
        smtp.start()
        recovery["smtp"] = 0.0  # /readyz does not look at mail: pages never waited on it
        quiet("after smtp")

        rec.phase = "worker killed"
        log(f"phase: worker killed with SIGKILL {args.kills} times")
        for _ in range(args.kills):
            time.sleep(3)
            worker.kill()
            time.sleep(0.5)
            worker.start()
        quiet("after worker kills")
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

        log(f"draining: waiting up to {args.drain_minutes} min for the sweeps")
        deadline = time.monotonic() + args.drain_minutes * 60
        started = time.monotonic()
        while True:
            counts = outcome_counts(rec.submitted_ids, run_started)
            settled = not (
                counts["receipts_never_rendered"] or counts["notifications_not_handed_to_mail"]
            ) and not (counts["mail_not_sent"] - counts["mail_failed"])
            if settled or time.monotonic() > deadline:
                break
            time.sleep(5)
        counts["drain_seconds"] = round(time.monotonic() - started)
        counts["mail_received_by_smtp_server"] = len(smtp.received)
        report = {
            "public": {phase: dict(c) for phase, c in rec.public.items()},
            "submissions": {phase: dict(c) for phase, c in rec.submissions.items()},
            "recovery_seconds": recovery,
            "outcome": counts,
            "receive_errors": Counter(e.split(":")[1].strip() for e in rec.errors),
        }
    finally:
        stop.set()
        beat.stop()
        worker.stop()
        web.stop()
        redis.stop()
    (RESULTS / "faults.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    print_report(report)
    return 0


def print_report(report: dict) -> None:
    if not report:
        return
    print("\nPublic pages (requests by outcome):")
    for phase, counts in report["public"].items():
        print(
            f"  {phase:<20} ok {counts.get('ok', 0):>6}   4xx {counts.get('4xx', 0):>4}"
            f"   503 {counts.get('503', 0):>4}   other 5xx {counts.get('5xx', 0):>4}"
        )
    print("Submissions through the pages:")
    for phase, counts in report["submissions"].items():
        print(f"  {phase:<20} " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print("Recovery (/readyz 200 after the fault ended, s):", report["recovery_seconds"])
    print("Outcome:")
    for key, value in report["outcome"].items():
        print(f"  {key:<36} {value}")


if __name__ == "__main__":
    raise SystemExit(main())
