"""The services ``bench/faults.py`` starts, breaks and stops, all on 127.0.0.1: a Redis server of its own, a TCP proxy in
front of PostgreSQL that can cut every connection, an SMTP sink that can be stopped, and a Celery worker and beat."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (  # noqa: E402 (bench/run.py, this script's neighbour)
    PYTHON,
    REPO,
    free_port,
)

# --- services this script controls -----------------------------------------------------------------------------------


class RedisServer:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        cmd = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        cmd += ["--dir", str(self.workdir)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        time.sleep(0.5)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


class EventLoopThread(threading.Thread):
    """An asyncio event loop in a thread, for the proxy and the SMTP server."""

    def __init__(self):
        super().__init__(daemon=True)
        self.loop = asyncio.new_event_loop()

    def run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=10)


class TcpProxy:
    """Forwards 127.0.0.1:<port> to PostgreSQL; ``cut()`` closes every connection and stops listening."""

    def __init__(self, loop: EventLoopThread, upstream_port: int = 5432):
        self.loop, self.upstream = loop, upstream_port
        self.port = free_port()
        self.server = None
        self.writers: set = set()

    async def _pipe(self, reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _client(self, reader, writer):
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream)
        except OSError:
            writer.close()
            return
        self.writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        self.writers -= {writer, up_writer}

    async def _start(self):
        self.server = await asyncio.start_server(self._client, "127.0.0.1", self.port)

    async def _cut(self):
        self.server.close()
        for writer in list(self.writers):
            writer.transport.abort()
        self.writers.clear()
        await (
            self.server.wait_closed()
        )  # since Python 3.12 it waits for the connections too: abort them first

    def start(self) -> None:
        self.loop.call(self._start())

    def cut(self) -> None:
        self.loop.call(self._cut())


class SmtpSink:
    """A mail server that accepts every message and keeps its recipients; ``stop()`` makes connections fail."""

    def __init__(self, loop: EventLoopThread):
        self.loop = loop
        self.port = free_port()
        self.server = None
        self.received: list[str] = []
        self.writers: set = set()

    async def _session(self, reader, writer):
        async def reply(line: str):
            writer.write((line + "\r\n").encode())
            await writer.drain()

        recipients: list[str] = []
        self.writers.add(writer)
        await reply("220 sink ESMTP")
        try:
            while line := await reader.readline():
                command = line.decode(errors="replace").strip()
                verb = command[:4].upper()
                if verb in {"EHLO", "HELO"}:
                    await reply("250 sink")
                elif verb == "MAIL":
                    recipients = []
                    await reply("250 OK")
                elif verb == "RCPT":
                    recipients.append(re.sub(r"^RCPT TO:\s*<?([^>]*)>?.*$", r"\1", command, flags=re.I))
                    await reply("250 OK")
                elif verb == "DATA":
                    await reply("354 go ahead")
                    while (data := await reader.readline()) and data not in {b".\r\n", b".\n"}:
                        pass
                    self.received.extend(recipients)
                    await reply("250 queued")
                elif verb == "QUIT":
                    await reply("221 bye")
                    break
                else:
                    await reply("250 OK")
        except (ConnectionError, OSError):
            pass
        finally:
            self.writers.discard(writer)
            writer.close()

    async def _start(self):
        self.server = await asyncio.start_server(self._session, "127.0.0.1", self.port)

    async def _stop(self):
        self.server.close()
        for writer in list(self.writers):  # a mail server that is down drops the sessions it had
            writer.transport.abort()
        await self.server.wait_closed()

    def start(self) -> None:
        self.loop.call(self._start())

    def stop(self) -> None:
        self.loop.call(self._stop())


class Celery:
    """A Celery worker or beat in its own process group."""

    def __init__(self, env: dict[str, str], kind: str, log_path: Path):
        self.env, self.kind, self.log_path = env, kind, log_path
        self.proc: subprocess.Popen | None = None
        self._log = log_path.open("a")

    def start(self) -> None:
        if self.kind == "worker":
            args = [
                "worker",
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
            ]
        else:
            args = [
                "beat",
                "--loglevel",
                "WARNING",
                "--schedule",
                str(self.log_path.with_suffix(".schedule")),
            ]
        self.proc = subprocess.Popen(  # noqa: S603
            [PYTHON, "-m", "celery", "-A", "portal", *args],
            cwd=REPO,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)
        self._log.close()


# --- the portal's side, in this process (direct to PostgreSQL, not through the proxy) ---------------------------------
