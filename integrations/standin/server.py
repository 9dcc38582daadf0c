"""The stand-in's HTTP core: one threaded loopback server, a router the systems register their routes with, the
fault plan, counters, and the generic control API (``/_control/reset``, ``/_control/faults``, ``/_control/stats``).

A handler takes a ``Request`` and returns a ``Response``; a response may also be "no answer" (``drop``: the
connection is reset) or a delayed one (``delay``), which is how faults reach the wire.
"""

from __future__ import annotations

import json
import re
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from integrations.standin.faults import DESCRIPTIONS, FaultPlan, FaultSettingError

MAX_BODY_BYTES = 20 * 1024 * 1024


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    params: dict[str, str] = field(default_factory=dict)

    def json(self):
        """The body as JSON; ``BadRequest`` when it is not."""
        try:
            return json.loads(self.body or b"null")
        except ValueError as exc:
            raise BadRequest(f"body is not JSON: {exc}") from None


@dataclass
class Response:
    status: int = 200
    body: bytes | Iterable[bytes] = b""
    content_type: str = "application/json; charset=utf-8"
    length: int | None = None  # for an iterable body; None sends it chunked (no length announced)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    drop: bool = False  # answer nothing: reset the connection (after the delay)


class BadRequest(Exception):
    """A control or service request the stand-in cannot read; answered 400 with the message."""


def json_response(data, status: int = 200, **extra) -> Response:
    return Response(status=status, body=json.dumps(data, ensure_ascii=False).encode(), **extra)


Handler = Callable[[Request], Response]


class StandinCore:
    """The shared state of one stand-in process: routes, fault plan, counters, and the systems it plays."""

    def __init__(self, *, seed: int = 0, systems: Iterable = ()):
        self.default_seed = seed
        self.lock = threading.RLock()
        self.routes: list[tuple[str, re.Pattern, Handler]] = []
        self.plan = FaultPlan(seed=seed)
        self.started = time.time()
        self.requests = 0
        self.by_route: Counter[str] = Counter()
        self.faults_injected: Counter[str] = Counter()
        self.systems = []
        self.route("POST", "/_control/reset", self._control_reset)
        self.route("GET", "/_control/faults", self._control_faults_get)
        self.route("POST", "/_control/faults", self._control_faults_set)
        self.route("GET", "/_control/stats", self._control_stats)
        for system in systems:
            self.add_system(system)

    def add_system(self, system) -> None:
        system.attach(self)
        self.systems.append(system)

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        """Register ``handler`` for ``method`` and a path pattern (``{name}`` captures one path segment)."""
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
        self.routes.append((method, re.compile(f"^{regex}$"), handler))

    def dispatch(self, request: Request) -> Response:
        allowed = False
        for method, regex, handler in self.routes:
            match = regex.match(request.path)
            if not match:
                continue
            allowed = True
            if method != request.method:
                continue
            request.params = {name: unquote(value) for name, value in match.groupdict().items()}
            with self.lock:
                self.requests += 1
                self.by_route[f"{method} {regex.pattern}"] += 1
            try:
                return handler(request)
            except BadRequest as exc:
                return json_response({"error": str(exc)}, status=400)
        if allowed:
            return json_response({"error": "method not allowed"}, status=405)
        return json_response({"error": f"no such path {request.path}"}, status=404)

    def count_fault(self, name: str) -> None:
        with self.lock:
            self.faults_injected[name] += 1

    # --- generic control API ---------------------------------------------------------------------------------

    def _control_reset(self, request: Request) -> Response:
        with self.lock:
            self.plan = FaultPlan(seed=self.default_seed)
            self.requests = 0
            self.by_route.clear()
            self.faults_injected.clear()
            self.started = time.time()
            for system in self.systems:
                system.reset()
        return json_response({"reset": True})

    def _control_faults_get(self, request: Request) -> Response:
        return json_response({"plan": self.plan.as_dict(), "faults": DESCRIPTIONS})

    def _control_faults_set(self, request: Request) -> Response:
        data = request.json()
        if not isinstance(data, dict):
            raise BadRequest("faults: a JSON object of rates and options")
        try:
            plan = FaultPlan.from_request(data, default_seed=self.default_seed)
        except FaultSettingError as exc:
            raise BadRequest(str(exc)) from None
        with self.lock:
            self.plan = plan
        return json_response({"plan": plan.as_dict()})

    def _control_stats(self, request: Request) -> Response:
        with self.lock:
            stats = {
                "requests": self.requests,
                "uptime_seconds": round(time.time() - self.started, 3),
                # CPU the whole stand-in process has used (all threads): its own cost per call, apart from the
                # clients', is the difference over a run divided by the calls.
                "cpu_seconds": round(time.process_time(), 3),
                "by_route": dict(self.by_route),
                "faults_injected": dict(self.faults_injected),
            }
            for system in self.systems:
                stats[system.name] = system.stats()
        return json_response(stats)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: clients reuse their connections, as they would in production
    server_version = "PortalStandin/1"
    standin: StandinCore
    verbose = False

    def setup(self):
        super().setup()
        # Headers and body go out in separate writes; without this, delayed ACKs add ~40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def log_message(self, format, *args):
        if self.verbose:
            super().log_message(format, *args)

    def _handle(self) -> None:
        length = self.headers.get("Content-Length", "0")
        if not length.isdigit() or int(length) > MAX_BODY_BYTES:
            self._write(json_response({"error": "body too large or without Content-Length"}, status=413))
            self.close_connection = True
            return
        body = self.rfile.read(int(length)) if int(length) else b""
        parts = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=parts.path,
            query={k: v[-1] for k, v in parse_qs(parts.query).items()},
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        try:
            response = self.standin.dispatch(request)
        except Exception as exc:  # a bug in the stand-in must answer, not hang the client
            response = json_response({"error": f"stand-in failure: {type(exc).__name__}: {exc}"}, status=500)
        if response.delay:
            time.sleep(response.delay)
        if response.drop:
            self._reset()
            return
        self._write(response)

    def _write(self, response: Response) -> None:
        body = response.body
        single = isinstance(body, bytes)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        chunked = not single and response.length is None
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(body) if single else response.length))
        for name, value in response.headers.items():
            self.send_header(name, value)
        try:
            if single:
                # Headers and body in one write: one segment on the wire for a small answer.
                self._headers_buffer.append(b"\r\n" + body)
                self.flush_headers()
            else:
                self.end_headers()
                for chunk in body:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
                if chunked:
                    self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client stopped reading (a size limit): nothing to answer to

    def _reset(self) -> None:
        # SO_LINGER 0: close() sends a TCP RST, which the client sees as "connection reset by peer".
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()


class StandinServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def make_server(standin: StandinCore, host: str, port: int, *, verbose: bool = False) -> StandinServer:
    handler = type("Handler", (_RequestHandler,), {"standin": standin, "verbose": verbose})
    return StandinServer((host, port), handler)
