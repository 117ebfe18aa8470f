"""`smscloud db backup` while serve runs and sends: the copy opens as a platform of its own.

Messages are sent from another thread during the backup; every message answered "Ok" before the
backup began is in the copy, and a server started on the copy answers the same SDK credentials
(its key file came with it) and delivers what it is sent.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from tests.e2e.test_sdk_send import pull_until, send
from tests.support.sdk import client
from tests.support.server import ServerProcess, server_process

pytestmark = pytest.mark.e2e


def serials_in(database: Path) -> set[str]:
    with sqlite3.connect(database) as conn:
        return {row[0] for row in conn.execute("SELECT serial_no FROM message")}


def test_a_backup_taken_while_sending_holds_every_accepted_message_and_runs(
    server: ServerProcess, database_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("sqlite"):
        refused = server.command("db", "backup", str(tmp_path / "copy"), check=False)
        assert refused.returncode == 2
        assert refused.stderr.startswith("smscloud: the database is PostgreSQL: back it up with pg_dump")
        return
    demo = server.demo()
    sms = client(server.endpoint, demo["secret_id"], demo["secret_key"])
    accepted: list[str] = []
    stop = threading.Event()

    def keep_sending() -> None:
        n = 0
        while not stop.is_set():
            answer = send(sms, demo, [f"+86139{n:08d}"], ["1234"])
            accepted.extend(s.SerialNo for s in answer.SendStatusSet if s.Code == "Ok")
            n += 1

    sender = threading.Thread(target=keep_sending)
    sender.start()
    try:
        while len(accepted) < 20:
            stop.wait(0.05)
        before = list(accepted)
        target = tmp_path / "copy"
        result = server.command("db", "backup", str(target), "--data-dir", str(server.data_dir))
        while len(accepted) < len(before) + 20:  # sending went on during the backup
            stop.wait(0.05)
    finally:
        stop.set()
        sender.join(timeout=60)
    assert result.stdout.splitlines()[0].endswith("checked sound")
    assert (target / "secret.key").read_bytes() == (server.data_dir / "secret.key").read_bytes()
    assert (target / "secret.key").stat().st_mode & 0o777 == 0o600
    copied = serials_in(target / "smscloud.db")
    assert set(before) <= copied <= set(accepted)  # all answered before; nothing never answered
    server.stop()

    restored = server_process(target, f"sqlite:///{target / 'smscloud.db'}")
    restored.start()
    try:
        sms = client(restored.endpoint, demo["secret_id"], demo["secret_key"])
        answer = send(sms, demo, ["+8613800000001"], ["5678"])
        assert [s.Code for s in answer.SendStatusSet] == ["Ok"]
        reports = pull_until(sms, demo["sdk_app_id"], len(copied) + 1, timeout=60)
        by_serial = {r.SerialNo: r.ReportStatus for r in reports}
        assert by_serial[answer.SendStatusSet[0].SerialNo] == "SUCCESS"
    finally:
        restored.stop()
