"""Loopback stand-ins for a provider that misbehaves: a canned token endpoint, a port that never answers, a port
where nothing listens. The real provider (tests/sso/op) is what the success path goes through."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class CannedEndpoint:
    """Answers POST (the token endpoint) with ``token`` and GET (the user info endpoint) with ``userinfo``.

    ``status`` and ``body`` override the answer for a provider that fails; ``requests`` records the paths called.
    """

    def __init__(self):
        self.token: dict = {}
        self.userinfo: dict = {}
        self.status = 200
        self.body: bytes | None = None
        self.requests: list[str] = []
        canned = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, payload: dict) -> None:
                canned.requests.append(f"{self.command} {self.path}")
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                body = canned.body if canned.body is not None else json.dumps(payload).encode()
                self.send_response(canned.status)
                self.send_header("Content-Type", "application/json" if canned.body is None else "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):  # noqa: N802 (http.server's naming)
                self._answer(canned.token)

            def do_GET(self):  # noqa: N802
                self._answer(canned.userinfo)

            def log_message(self, format, *args):  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> CannedEndpoint:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def silent_port() -> Iterator[str]:
    """A loopback address that accepts connections and never answers (a provider that hangs)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)  # the kernel completes the handshakes; nobody ever reads or writes
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def closed_port() -> str:
    """A loopback address where nothing listens (a provider that is down): connections are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
