"""A client too slow to send its request loses the connection; a punctual one is served.

`smscloud serve` runs with deadlines of 1 s for the headers and 1.5 s for the body, so that the
tests wait seconds; each waits up to 30 s for the server to close, so a slow machine only makes
them slower, and a server that closed before its deadline would fail them.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server import ServerProcess, server_process

pytestmark = pytest.mark.e2e

HEADERS_S = 1.0
BODY_S = 1.5


@pytest.fixture
def strict_server(tmp_path: Path, database_url: str) -> Iterator[ServerProcess]:
    process = server_process(
        tmp_path / "data",
        database_url,
        {"SMSCLOUD_API__HEADER_TIMEOUT_S": str(HEADERS_S), "SMSCLOUD_API__BODY_TIMEOUT_S": str(BODY_S)},
    )
    process.start()
    try:
        yield process
    finally:
        process.stop()


def connect(server: ServerProcess) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.api_port), timeout=30)
    return sock


def closed_after(sock: socket.socket, *, trickle: bytes = b"", every_s: float = 0.1) -> float:
    """Seconds until the server closes `sock` (sending `trickle` a byte at a time meanwhile);
    fails if it answers instead."""
    started = time.monotonic()
    sock.settimeout(every_s if trickle else 30)
    remaining = list(trickle)
    while time.monotonic() - started < 30:
        try:
            data = sock.recv(4096)
        except TimeoutError:
            if remaining:
                try:
                    sock.send(bytes([remaining.pop(0)]))
                except (BrokenPipeError, ConnectionResetError):
                    return time.monotonic() - started
            continue
        except ConnectionResetError:
            return time.monotonic() - started
        assert data == b"", f"answered instead of closing: {data[:200]!r}"
        return time.monotonic() - started
    raise AssertionError("the server kept a slow client's connection for 30 s")


def unsigned_get(sock: socket.socket) -> dict[str, object]:
    """An API call without credentials, answered with Tencent's envelope (an AuthFailure)."""
    sock.sendall(b"GET /?Action=SendSms HTTP/1.1\r\nHost: x\r\n\r\n")
    sock.settimeout(30)
    received = b""
    while b"\r\n\r\n" not in received:
        received += sock.recv(4096)
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
    )
    while len(body) < length:
        body += sock.recv(4096)
    answer: dict[str, object] = json.loads(body)
    return answer


def test_a_connection_that_sends_nothing_or_trickles_its_headers_is_closed_at_the_deadline(
    strict_server: ServerProcess,
) -> None:
    with connect(strict_server) as sock:
        assert closed_after(sock) >= HEADERS_S * 0.9
    endless = b"POST / HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 1000
    with connect(strict_server) as sock:
        assert closed_after(sock, trickle=endless) >= HEADERS_S * 0.9


def test_a_body_that_stops_coming_loses_the_connection_and_the_server_goes_on(strict_server: ServerProcess) -> None:
    for path in ("/", "/console/login"):
        head = (
            f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            "Content-Length: 100\r\n\r\n"
        )
        with connect(strict_server) as sock:
            sock.sendall(head.encode() + b"email=a")
            assert closed_after(sock) >= BODY_S * 0.9, path
    with connect(strict_server) as sock:
        answer = unsigned_get(sock)
    assert answer["Response"]["Error"]["Code"] == "AuthFailure.InvalidAuthorization"  # type: ignore[index]
    assert not [line for line in strict_server.output if "Traceback" in line or "Error" in line], strict_server.output


def test_the_deadline_is_per_request_on_a_kept_alive_connection(strict_server: ServerProcess) -> None:
    with connect(strict_server) as sock:
        unsigned_get(sock)
        time.sleep(HEADERS_S * 1.5)  # longer than the header deadline, shorter than keep-alive (5 s)
        answer = unsigned_get(sock)
    assert "Error" in answer["Response"]  # type: ignore[operator]
