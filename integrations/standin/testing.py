"""A handle on a stand-in server running in its own process, for tests, the bench and ``make run``.

    standin = standin_start()            # python -m integrations.standin --port <free> in a subprocess
    standin.dvcqg_url                    # DVCQG_BASE_URL for the portal's client
    standin.faults(error=0.05, invalid=0.01, seed=7)
    standin.applied_count(key), standin.delivery_count(key), standin.statuses("H-0001")
    standin.stop()

It talks to the server only through its control API (``/_control/``), so what a test reads is what the server saw.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parents[2]


class StandinError(RuntimeError):
    """The stand-in did not start, or its control API refused a request (the message says why)."""


class Standin:
    def __init__(self, url: str, process: subprocess.Popen | None = None):
        self.url = url.rstrip("/")
        self.process = process
        self._http = requests.Session()

    def __repr__(self) -> str:
        return f"Standin({self.url!r})"

    @property
    def dvcqg_url(self) -> str:
        """The national portal's base address on this stand-in (DVCQG_BASE_URL)."""
        return f"{self.url}/dvcqg"

    @property
    def lgsp_url(self) -> str:
        """The provincial data-sharing platform's base address on this stand-in (POPULATION_LGSP_URL)."""
        return f"{self.url}/lgsp"

    @property
    def payment_url(self) -> str:
        """The payment platform's base address on this stand-in (PAYMENT_BASE_URL)."""
        return f"{self.url}/thanh-toan"

    @property
    def postal_url(self) -> str:
        """The postal service's base address on this stand-in (POSTAL_BASE_URL)."""
        return f"{self.url}/buu-chinh"

    @property
    def documents_url(self) -> str:
        """The document-management system's base address on this stand-in (DOCUMENTS_BASE_URL)."""
        return f"{self.url}/qlvb"

    # --- control ---------------------------------------------------------------------------------------------

    def _get(self, path: str, **params):
        return self._answer(self._http.get(f"{self.url}{path}", params=params or None, timeout=30))

    def _post(self, path: str, data: dict | None = None):
        return self._answer(self._http.post(f"{self.url}{path}", json=data or {}, timeout=60))

    @staticmethod
    def _answer(response: requests.Response):
        if response.status_code != 200:
            raise StandinError(f"stand-in answered {response.status_code}: {response.text[:500]}")
        return response.json()

    def reset(self) -> None:
        """Forget everything received, the faults, sessions, pushed data; the catalogue is the vendored one again."""
        self._post("/_control/reset")

    def faults(self, **rates) -> dict:
        """Replace the fault plan: rates 0..1 for reset, timeout, error, rate_limit, html, malformed, slow,
        session_expired, invalid, duplicate; options seed, services, slow_seconds, timeout_seconds,
        error_status. No arguments: no faults."""
        return self._post("/_control/faults", rates)["plan"]

    def fault_plan(self) -> dict:
        """The fault plan in force."""
        return self._get("/_control/faults")["plan"]

    def configure(self, **config) -> dict:
        """National portal settings: accounts {user: password}, agency, session_ttl, strict_codes,
        require_known_dossier."""
        return self._post("/_control/dvcqg/config", config)

    def expire_sessions(self) -> int:
        return self._post("/_control/dvcqg/expire-sessions")["expired"]

    def received(self, service: str | None = None, limit: int | None = None) -> list[dict]:
        params = {k: v for k, v in (("service", service), ("limit", limit)) if v is not None}
        return self._get("/_control/dvcqg/received", **params)

    def key(self, key: str) -> dict:
        return self._get(f"/_control/dvcqg/keys/{quote(key, safe='')}")

    def keys(self) -> dict[str, dict]:
        return self._get("/_control/dvcqg/keys")

    def delivery_count(self, key: str) -> int:
        """How many calls carrying this idempotency key reached the stand-in (whatever their outcome)."""
        return self.key(key)["deliveries"]

    def applied_count(self, key: str) -> int:
        """How many times a call with this key took effect (0 or 1: later deliveries are acknowledged only)."""
        return self.key(key)["applied"]

    def statuses(self, ma_ho_so: str, service: str | None = None) -> list[int]:
        """The statuses applied for a dossier, in arrival order (TrangThaiHoSo of DongBoHoSoMC and TrangThai of
        CapNhatTienDoHoSoMC; ``service`` keeps one of them)."""
        params = {"service": service} if service else {}
        return self._get(f"/_control/dvcqg/dossiers/{quote(ma_ho_so, safe='')}/statuses", **params)

    def dossier(self, ma_ho_so: str) -> dict:
        """{record: the last DongBoHoSoMC record, progress: [...], history: [{service, status, key}]}."""
        return self._get(f"/_control/dvcqg/dossiers/{quote(ma_ho_so, safe='')}")

    def feedback(self, code: str) -> list[dict]:
        """What the national feedback system received for MaPAKN ``code`` (DongBoPAKN), in arrival order."""
        return self._get(f"/_control/dvcqg/feedback/{quote(code, safe='')}")

    def ratings(self, code: str) -> list[dict]:
        """What arrived for MaDanhGia ``code`` (DongBoDanhGia), in arrival order."""
        return self._get(f"/_control/dvcqg/ratings/{quote(code, safe='')}")

    def push_incoming(self, records: list[dict]) -> list[dict]:
        """Dossiers filed on the national portal, as served by LayDanhSachHoSoMoi; returns them as stored (each
        document's DuongDan set). See dvcqg_control._incoming for the document fields."""
        return self._post("/_control/dvcqg/incoming", {"records": records})["records"]

    def seed_catalogue(self, records: list[dict], *, replace: bool = False) -> int:
        """Add (or, with replace, set) procedures in the national catalogue format; returns the catalogue's size."""
        return self._post("/_control/dvcqg/catalogue", {"records": records, "replace": replace})["catalogue"]

    # --- population database (population.py) ------------------------------------------------------------------

    def population_configure(self, **config) -> dict:
        """clients {id: secret}, agency, token_ttl (seconds), blocked (every lookup refused with 101)."""
        return self._post("/_control/population/config", config)

    def population_add(self, *people: dict) -> int:
        """Add (or replace) people, records as the platform answers them (SoDinhDanh, HoVaTen, ...)."""
        return self._post("/_control/population/people", {"people": list(people)})["people"]

    def population_people(self, limit: int = 20) -> list[dict]:
        """The first people of the seeded population."""
        return self._get("/_control/population/people", limit=limit)

    def population_expire_tokens(self) -> int:
        return self._post("/_control/population/expire-tokens")["expired"]

    def population_received(self) -> list[dict]:
        """Each lookup that reached the database: {SoDinhDanh, outcome}."""
        return self._get("/_control/population/received")

    # --- payment platform (payment.py) -------------------------------------------------------------------------

    def payment_configure(self, *, merchants: dict[str, str]) -> dict:
        return self._post("/_control/payment/config", {"merchants": merchants})

    def payment_order(self, order_id: str) -> dict:
        """An order as the platform saw it on its payment page (404 → StandinError when it never did)."""
        return self._get(f"/_control/payment/orders/{quote(order_id, safe='')}")

    def payment_pay(self, order_id: str) -> dict:
        """Pay an order as the citizen would on the payment page: {notice, return_query} (the notice is also sent to
        the order's notify address)."""
        return self._post(f"/_control/payment/orders/{quote(order_id, safe='')}/pay")

    def payment_notifications(self) -> list[dict]:
        """Each notification sent: {url, notice, answer: {status, body}}."""
        return self._get("/_control/payment/notifications")

    def payment_add_transaction(self, **row) -> dict:
        """A transaction on the platform's list (order_id, amount, paid_at yyyyMMddHHmmss, transaction_id?)."""
        return self._post("/_control/payment/transactions", row)

    # --- postal service (postal.py) ----------------------------------------------------------------------------

    def postal_configure(self, **config) -> dict:
        """keys [accepted API keys], fee (đồng per shipment)."""
        return self._post("/_control/postal/config", config)

    def postal_shipments(self) -> list[dict]:
        return self._get("/_control/postal/shipments")

    def postal_move(self, number: str, status: str) -> dict:
        """Move a shipment on: picked_up, in_transit, delivered or returned."""
        return self._post(f"/_control/postal/shipments/{quote(number, safe='')}/status", {"status": status})

    # --- document management (documents.py) --------------------------------------------------------------------

    def documents_configure(self, **config) -> dict:
        """keys [accepted API keys], secret (the callbacks' shared signing secret)."""
        return self._post("/_control/documents/config", config)

    def documents(self) -> list[dict]:
        return self._get("/_control/documents")

    def document_sign(self, doc_id: str, **options) -> dict:
        """The leader signs: options signer, number, deliver (send the callback; default true)."""
        return self._post(f"/_control/documents/{quote(doc_id, safe='')}/sign", options)

    def stats(self) -> dict:
        return self._get("/_control/stats")

    def measure_ceiling(self, *, calls: int = 2000, concurrency: int = 4, reset: bool = True) -> dict:
        """Requests per second the stand-in answers for valid DongBoHoSoMC calls with no faults (see ceiling.py).
        The fault plan is cleared for the measure; with ``reset`` everything is reset afterwards."""
        from integrations.standin.ceiling import measure

        self.faults()
        try:
            return measure(self.dvcqg_url, calls=calls, concurrency=concurrency)
        finally:
            if reset:
                self.reset()

    # --- process ---------------------------------------------------------------------------------------------

    def alive(self) -> bool:
        try:
            self._http.get(f"{self.url}/_control/stats", timeout=2)
        except requests.RequestException:
            return False
        return True

    def stop(self) -> None:
        """Stop the server process (SIGTERM, then SIGKILL after five seconds)."""
        self._http.close()
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def stop_with_parent() -> None:
    """In the child before exec (Linux): SIGTERM when the process that started it dies, even by SIGKILL."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def standin_start(
    port: int = 0,
    *,
    seed: int = 0,
    host: str = "127.0.0.1",
    wait: float = 30.0,
    die_with_parent: bool = False,
) -> Standin:
    """Start ``python -m integrations.standin`` in its own process (and process group) and return its handle once
    it answers. ``die_with_parent``: the stand-in also stops if this process is killed without a chance to stop
    it (Linux)."""
    command = [
        sys.executable,
        "-m",
        "integrations.standin",
        "--host",
        host,
        "--port",
        str(port),
        "--seed",
        str(seed),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=stop_with_parent if die_with_parent and sys.platform == "linux" else None,
    )
    first_line: list[str] = []
    reader = threading.Thread(target=lambda: first_line.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(wait)
    line = first_line[0].strip() if first_line else ""
    if not line.startswith("listening on "):
        with contextlib.suppress(Exception):
            process.kill()
        raise StandinError(f"the stand-in did not start (exit code {process.poll()}, said {line!r})")
    standin = Standin(line.removeprefix("listening on "), process)
    deadline = time.monotonic() + wait
    while not standin.alive():
        if time.monotonic() > deadline or process.poll() is not None:
            standin.stop()
            raise StandinError("the stand-in started but does not answer")
        time.sleep(0.05)
    atexit.register(standin.stop)
    return standin
