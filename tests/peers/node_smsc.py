"""The node-smpp SMSC (tests/peers/node_smsc/smsc.js) as a pytest fixture: an independent SMPP peer.

Wire it in a conftest with ``from tests.peers.node_smsc import node_smsc`` (a function-scoped
fixture), or make one with another scope: ``node_smsc = node_smsc_fixture(scope="module")``.
It yields a `NodeSmsc`: where to connect, and the JSON line the peer printed for every PDU it
received (see smsc.js), decoded by node-smpp rather than by our codec.

Needs ``node`` and ``npm`` on PATH (CI installs them): when they are missing the test fails, it
is not skipped. ``node_modules`` is installed with ``npm ci`` from the lock file on first use.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pytest

__all__ = ["PEER_DIR", "NodeSmsc", "node_smsc", "node_smsc_fixture", "run_node_smsc"]

PEER_DIR = Path(__file__).parent / "node_smsc"

Record = dict[str, Any]


class NodeSmsc:
    """A running node SMSC: ``host``/``port``, and what it printed about the PDUs it received."""

    def __init__(self, host: str, port: int, lines: queue.Queue[str | None], stderr: list[str]) -> None:
        self.host = host
        self.port = port
        self._lines = lines
        self._stderr = stderr
        self._records: list[Record] = []

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    def records(self) -> list[Record]:
        """Every JSON record printed so far, in order."""
        self._drain(timeout=0.0)
        return list(self._records)

    def wait_for(self, predicate: Callable[[Record], bool], *, timeout: float = 10.0) -> Record:
        """The first record (already printed or still to come) for which ``predicate`` is true."""
        deadline = time.monotonic() + timeout
        while True:
            for record in self._records:
                if predicate(record):
                    return record
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"the node SMSC printed no matching record in {timeout} s; it printed {self._records!r}"
                    f" and on stderr {''.join(self._stderr)!r}"
                )
            self._drain(timeout=min(remaining, 0.2))

    def wait_for_pdu(self, name: str, *, timeout: float = 10.0, **fields: Any) -> Record:
        """The first record for PDU ``name`` whose fields include ``fields``."""
        return self.wait_for(
            lambda record: record.get("pdu") == name and all(record.get(key) == value for key, value in fields.items()),
            timeout=timeout,
        )

    def wait_for_count(self, name: str, count: int, *, timeout: float = 10.0) -> list[Record]:
        """Wait until ``count`` records for PDU ``name`` were printed; return them."""
        deadline = time.monotonic() + timeout
        while True:
            found = [record for record in self._records if record.get("pdu") == name]
            if len(found) >= count:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"the node SMSC printed {len(found)} {name} records, not {count}")
            self._drain(timeout=min(remaining, 0.2))

    def _drain(self, *, timeout: float) -> None:
        try:
            line = self._lines.get(timeout=timeout) if timeout > 0 else self._lines.get_nowait()
        except queue.Empty:
            return
        while line is not None:
            self._records.append(json.loads(line))
            try:
                line = self._lines.get_nowait()
            except queue.Empty:
                return


def _pump(stream: IO[str], sink: Callable[[str | None], None]) -> None:
    for line in stream:
        sink(line)
    sink(None)


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"`{tool}` is not on PATH: the node-smpp interop tests need Node.js and npm", pytrace=False)
    return path


def _ensure_node_modules() -> None:
    if (PEER_DIR / "node_modules" / "smpp" / "package.json").is_file():
        return
    npm = _require("npm")
    result = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"],
        cwd=PEER_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"npm ci in {PEER_DIR} failed:\n{result.stdout}\n{result.stderr}", pytrace=False)


@contextmanager
def run_node_smsc(*, send_receipts: bool = True, startup_timeout: float = 20.0) -> Iterator[NodeSmsc]:
    """Start ``node smsc.js`` on a free loopback port; stop it on exit."""
    node = _require("node")
    _ensure_node_modules()
    env = {**os.environ, "PORT": "0", "DLR": "1" if send_receipts else "0"}
    process = subprocess.Popen(
        [node, "smsc.js"],
        cwd=PEER_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert process.stdout is not None
    assert process.stderr is not None
    lines: queue.Queue[str | None] = queue.Queue()
    stderr: list[str] = []
    pumps = [
        threading.Thread(target=_pump, args=(process.stdout, lines.put), daemon=True),
        threading.Thread(target=_pump, args=(process.stderr, lambda line: stderr.append(line or "")), daemon=True),
    ]
    for pump in pumps:
        pump.start()
    try:
        try:
            first = lines.get(timeout=startup_timeout)
        except queue.Empty:
            first = None
        if first is None or not first.startswith("LISTENING "):
            pytest.fail(
                f"the node SMSC did not start: first line {first!r}, stderr {''.join(stderr)!r}",
                pytrace=False,
            )
        yield NodeSmsc("127.0.0.1", int(first.split()[1]), lines, stderr)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        for pump in pumps:
            pump.join(timeout=5)
        process.stdout.close()
        process.stderr.close()


def node_smsc_fixture(*, scope: Any = "function", name: str = "node_smsc") -> Any:
    """A pytest fixture named ``name`` that runs one node SMSC for the given ``scope``."""

    @pytest.fixture(scope=scope, name=name)
    def fixture() -> Iterator[NodeSmsc]:
        with run_node_smsc() as peer:
            yield peer

    return fixture


node_smsc = node_smsc_fixture()
