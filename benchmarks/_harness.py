"""What the platform benchmarks share: a real `smscloud serve`, demo credentials, signed requests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smscloud.adapters.http.tencent_v3.signing import sign_tc3

SMSCLOUD = str(Path(sys.executable).with_name("smscloud"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_per_message(before: dict[str, float], after: dict[str, float], messages: int) -> str:
    """Like "serve 41 µs, connector 60 µs, …", from two `Server.cpu_seconds` readings (each with the
    load generator's own CPU time under "load generator")."""
    return ", ".join(f"{role} {(after[role] - before.get(role, 0.0)) / messages * 1e6:,.0f} µs" for role in after)


def percentile(values: Sequence[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    env: dict[str, str]
    port: int
    data_dir: Path
    database_url: str
    log: Path

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def demo(self) -> dict[str, Any]:
        out = subprocess.run([SMSCLOUD, "demo", "--json"], env=self.env, check=True, capture_output=True)
        details: dict[str, Any] = json.loads(out.stdout)
        return details

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) so far of serve and of each child, by role."""
        tick = os.sysconf("SC_CLK_TCK")
        found: dict[str, float] = {}
        pids = [self.process.pid]
        while pids:
            pid = pids.pop()
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                continue
            words = [word.decode() for word in argv if word]
            role = (
                "serve" if pid == self.process.pid else " ".join(words[words.index("smscloud.entrypoints.cli") + 1 :])
            )
            role = role.replace(" --index ", " ")
            found[role] = (int(stat[11]) + int(stat[12])) / tick
            pids.extend(int(child) for child in children)
        found["load generator"] = time.process_time()
        return found

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(database_url: str | None, extra_env: dict[str, str] | None = None) -> Server:
    data_dir = Path(tempfile.mkdtemp(prefix="smscloud-bench-"))
    port, simulator_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMSCLOUD_")}
    env.update(
        {
            "SMSCLOUD_DATA_DIR": str(data_dir),
            "SMSCLOUD_API__PORT": str(port),
            "SMSCLOUD_SIMULATOR__PORT": str(simulator_port),
            "SMSCLOUD_LOG_LEVEL": "WARNING",
        }
    )
    if database_url:
        env["SMSCLOUD_DATABASE_URL"] = database_url
    env.update(extra_env or {})
    log = data_dir / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen([SMSCLOUD, "serve"], env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while b"smscloud is running." not in log.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("smscloud serve did not start:\n" + log.read_text())
        time.sleep(0.1)
    return Server(process, env, port, data_dir, database_url or f"sqlite:///{data_dir / 'smscloud.db'}", log)


def reset_postgres(url: str) -> None:
    """Empty the benchmark database (all smscloud tables) before a run, creating it if missing."""
    import asyncio

    import asyncpg
    from sqlalchemy.engine import make_url

    from smscloud.adapters.storage import tables

    async def run() -> None:
        dsn = url.replace("postgresql+asyncpg://", "postgresql://")
        try:
            conn = await asyncpg.connect(dsn)
        except asyncpg.InvalidCatalogNameError:
            parsed = make_url(dsn)
            admin = await asyncpg.connect(parsed.set(database="postgres").render_as_string(hide_password=False))
            try:
                await admin.execute(f'CREATE DATABASE "{parsed.database}"')
            finally:
                await admin.close()
            conn = await asyncpg.connect(dsn)
        try:
            # Only the tables there are: a database of an older schema has not got the newest
            # ones yet (serve migrates it when it starts).
            present = {
                row["tablename"]
                for row in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            }
            names = ", ".join(t.name for t in tables.metadata.sorted_tables if t.name in present)
            if names:
                await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        finally:
            await conn.close()

    asyncio.run(run())


def send_sms_body(demo: dict[str, Any], numbers: list[str], params: list[str]) -> bytes:
    return json.dumps(
        {
            "PhoneNumberSet": numbers,
            "SmsSdkAppId": demo["sdk_app_id"],
            "TemplateId": demo["templates"]["verification"],
            "SignName": demo["sign_name"],
            "TemplateParamSet": params,
        }
    ).encode()


def signed_send(demo: dict[str, Any], host: str, numbers: list[str], params: list[str]) -> tuple[dict[str, str], bytes]:
    body = send_sms_body(demo, numbers, params)
    headers = sign_tc3(
        secret_id=demo["secret_id"],
        secret_key=demo["secret_key"],
        host=host,
        action="SendSms",
        version="2021-01-11",
        body=body,
        timestamp=int(time.time()),
        region="ap-guangzhou",
    )
    return headers, body
