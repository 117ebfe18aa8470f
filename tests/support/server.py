"""Run `smscloud serve` as a real process for end-to-end tests, on free ports and a test database."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

SMSCLOUD = str(Path(sys.executable).with_name("smscloud"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerProcess:
    data_dir: Path
    database_url: str
    api_port: int
    simulator_port: int
    env: dict[str, str]
    process: subprocess.Popen[str] | None = None
    output: list[str] = field(default_factory=list)
    _pump: threading.Thread | None = None

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.api_port}"

    def command(self, *args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [SMSCLOUD, *args], env=self.env, capture_output=True, text=True, check=check, timeout=timeout
        )

    def demo(self, *, via_cli: bool = False) -> dict[str, Any]:
        """The demo tenant's credentials: made in this process on the server's database (as the
        command does, without the second or two it takes to start), or by `smscloud demo --json`."""
        if via_cli:
            result = self.command("demo", "--json")
            details: dict[str, Any] = json.loads(result.stdout)
            return details
        return asyncio.run(self._demo())

    async def _demo(self) -> dict[str, Any]:
        from smscloud.bootstrap import open_platform
        from smscloud.config import load_settings
        from smscloud.entrypoints.demo import ensure_demo

        platform = await open_platform(load_settings(environ=self.env), migrate=False)
        try:
            return await ensure_demo(platform)
        finally:
            await platform.close()

    def start(self, *, timeout: float = 60) -> None:
        self.output = []
        self.process = subprocess.Popen(
            [SMSCLOUD, "serve"],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started = threading.Event()

        def pump(stream: Any) -> None:
            for line in stream:
                self.output.append(line)
                if "smscloud is running." in line:
                    started.set()

        self._pump = threading.Thread(target=pump, args=(self.process.stdout,), daemon=True)
        self._pump.start()
        deadline = time.monotonic() + timeout
        while not started.wait(0.05):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                self.process.wait()
                self._reap()
                raise RuntimeError("smscloud serve did not start:\n" + "".join(self.output[-80:]))

    def _reap(self) -> None:
        if self._pump is not None:
            self._pump.join(timeout=10)
            self._pump = None
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()

    def children(self) -> list[int]:
        """Processes `serve` started (they carry its pid in SMSCLOUD__PARENT_PID), alive or not reaped."""
        if self.process is None:
            return []
        marker = f"SMSCLOUD__PARENT_PID={self.process.pid}".encode()
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
        return found

    def children_running(self, command: str) -> dict[int, list[str]]:
        """pid -> argv of the live children started as `smscloud <command> …`."""
        found: dict[int, list[str]] = {}
        for pid in self.children():
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
            except OSError:
                continue
            if command in argv:
                found[pid] = argv
        return found

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash. The children must go down with it."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)
            self._reap()
            deadline = time.monotonic() + 10
            while self.children():
                if time.monotonic() > deadline:
                    raise RuntimeError(f"children of the killed server survived: {self.children()}")
                time.sleep(0.05)

    def stop(self, timeout: float = 30) -> int:
        if self.process is None:
            return 0
        if self.process.poll() is not None:
            self._reap()
            return self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise RuntimeError("smscloud serve did not stop on SIGTERM:\n" + "".join(self.output[-80:])) from None
        finally:
            self._reap()


def server_process(data_dir: Path, database_url: str, extra_env: Mapping[str, str] | None = None) -> ServerProcess:
    api_port, simulator_port = free_port(), free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        # Any non-empty PYTHONASYNCIODEBUG (even "0") turns asyncio's debug mode on: leave it out.
        if not k.startswith("SMSCLOUD_") and k not in ("PYTHONTRACEMALLOC", "PYTHONDEVMODE", "PYTHONASYNCIODEBUG")
    }
    env.update(
        {
            "SMSCLOUD_DATA_DIR": str(data_dir),
            "SMSCLOUD_DATABASE_URL": database_url,
            "SMSCLOUD_API__PORT": str(api_port),
            "SMSCLOUD_SIMULATOR__PORT": str(simulator_port),
            "SMSCLOUD_SIMULATOR__RECEIPT_DELAY_S": "0.05",
            "SMSCLOUD_DISPATCH__RECEIPT_TIMEOUT_S": "3",
            "SMSCLOUD_DISPATCH__RETRY_BASE_S": "0.1",
            "SMSCLOUD_LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra_env or {})
    return ServerProcess(data_dir, database_url, api_port, simulator_port, env)


@dataclass
class SimulatorProcess:
    """`smscloud simulator` on its own, so it outlives a killed server and keeps a ledger."""

    port: int
    ledger: Path
    log: Path
    env: dict[str, str]
    receipt_delay_s: float = 0.05
    process: subprocess.Popen[bytes] | None = None

    def start(self, *, timeout: float = 30) -> None:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    SMSCLOUD,
                    "simulator",
                    "--port",
                    str(self.port),
                    "--ledger",
                    str(self.ledger),
                    "--receipt-delay",
                    str(self.receipt_delay_s),
                ],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while b"listening" not in self.log.read_bytes():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("smscloud simulator did not start:\n" + self.log.read_text())
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def established(pid: int, port: int, *, local: bool) -> int:
    """TCP connections of process `pid` in state ESTABLISHED whose local (or, with local=False,
    remote) port is `port`: read from /proc, so the test sees what is on the wire."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        address = fields[1] if local else fields[2]
        if int(address.split(":")[1], 16) == port and fields[3] == "01" and fields[9] in inodes:  # 01: ESTABLISHED
            count += 1
    return count


T = TypeVar("T")


def wait_for(condition: Callable[[], T], timeout: float = 30) -> T:
    """The first truthy value `condition` returns, polling; AssertionError after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")
