from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from smscloud.adapters.simulator import Ledger, LedgerConcat, LedgerEntry, read_ledger


def entry(message_id: str, udh: LedgerConcat | None = None) -> LedgerEntry:
    return LedgerEntry(
        message_id=message_id,
        system_id="esme1",
        destination="+8613800000001",
        source="106900",
        text="验证码 1234",
        udh=udh,
        data_coding=8,
        received_at=datetime(2026, 11, 27, 11, 41, tzinfo=UTC),
    )


def test_appends_json_lines_and_reads_them_back(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "ledger.jsonl"
    ledger = Ledger(path)
    ledger.record(entry("a"))
    ledger.record(entry("b", LedgerConcat(ref=7, total=2, seq=1)))
    ledger.close()
    ledger = Ledger(path)  # reopening appends
    ledger.record(entry("c"))
    ledger.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        '{"message_id":"a","system_id":"esme1","destination":"+8613800000001","source":"106900",'
        '"text":"验证码 1234","udh":null,"data_coding":8,"received_at":"2026-11-27T11:41:00Z"}'
    )
    assert '"udh":{"ref":7,"total":2,"seq":1}' in lines[1]
    assert [item.message_id for item in read_ledger(path)] == ["a", "b", "c"]


def test_a_torn_last_line_is_left_out(tmp_path: Path) -> None:
    path = tmp_path / "ledger.jsonl"
    ledger = Ledger(path)
    ledger.record(entry("a"))
    ledger.close()
    with path.open("ab") as file:
        file.write(b'{"message_id":"b","sys')
    assert [item.message_id for item in read_ledger(path)] == ["a"]
