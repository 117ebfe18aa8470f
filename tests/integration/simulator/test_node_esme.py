"""A foreign ESME (node-smpp, tests/peers/node_esme/esme.js) binds, submits and gets receipts.

This checks the simulator's bytes with a decoder we did not write. Needs ``node`` on PATH and the
node-smpp package in tests/peers/node_smsc/node_modules: when either is missing the test fails.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from smscloud.adapters.simulator import read_ledger
from smscloud.protocols.smpp import MessageState
from tests.integration.simulator.conftest import MakeSimulator
from tests.peers.node_smsc import PEER_DIR as NODE_SMSC_DIR

pytestmark = pytest.mark.integration

ESME_JS = Path(__file__).parents[2] / "peers" / "node_esme" / "esme.js"


async def run_node_esme(address: tuple[str, int], messages: list[dict[str, str]], receipts: int) -> list[Any]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("`node` is not on PATH: the node-smpp interop test needs Node.js", pytrace=False)
    node_modules = NODE_SMSC_DIR / "node_modules"
    if not (node_modules / "smpp" / "package.json").is_file():
        pytest.fail(f"node-smpp is not installed: run `npm ci` in {NODE_SMSC_DIR}", pytrace=False)
    env = {
        **os.environ,
        "NODE_PATH": str(node_modules),
        "HOST": address[0],
        "PORT": str(address[1]),
        "SYSTEM_ID": "esme1",
        "PASSWORD": "secret1",
        "MESSAGES": json.dumps(messages),
        "EXPECT_RECEIPTS": str(receipts),
    }
    process = await asyncio.create_subprocess_exec(
        node,
        str(ESME_JS),
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    assert process.returncode == 0, stderr.decode()
    return [json.loads(line) for line in stdout.decode().splitlines() if line.strip()]


async def test_node_smpp_client_gets_receipts(make_simulator: MakeSimulator, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    simulator = await make_simulator(ledger_path=ledger)
    messages = [
        {"to": "+8613800000001", "text": "hello from node"},
        {"to": "+8613800000002", "text": "验证码 4321"},
        {"to": "+8613800000007", "text": "refused"},
    ]
    events = await run_node_esme(simulator.address, messages, receipts=2)

    by_kind: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        by_kind.setdefault(event["event"], []).append(event)
    assert by_kind["bind_transceiver_resp"] == [
        {"event": "bind_transceiver_resp", "command_status": 0, "system_id": "SMSCLOUDSIM"}
    ]
    responses = {event["to"]: event for event in by_kind["submit_sm_resp"]}
    assert responses["+8613800000001"]["command_status"] == 0
    assert responses["+8613800000002"]["command_status"] == 0
    assert responses["+8613800000007"]["command_status"] == 0x0B  # ESME_RINVDSTADR

    receipts = {event["receipted_message_id"]: event for event in by_kind["deliver_sm"]}
    delivered = receipts[responses["+8613800000001"]["message_id"]]
    undeliverable = receipts[responses["+8613800000002"]["message_id"]]
    assert delivered["esm_class"] == 4
    assert delivered["source_addr"] == "+8613800000001"
    assert delivered["destination_addr"] == "NODEESME"
    assert delivered["message_state"] == MessageState.DELIVERED
    assert "stat:DELIVRD err:000" in delivered["short_message"]
    assert delivered["short_message"].startswith(f"id:{delivered['receipted_message_id']} sub:001 dlvrd:001")
    assert delivered["short_message"].endswith("text:hello from node")
    assert undeliverable["message_state"] == MessageState.UNDELIVERABLE
    assert "stat:UNDELIV err:001" in undeliverable["short_message"]
    assert by_kind["unbind_resp"] == [{"event": "unbind_resp", "command_status": 0}]

    entries = {entry.message_id: entry for entry in read_ledger(ledger)}
    assert entries[responses["+8613800000002"]["message_id"]].text == "验证码 4321"  # node sent UCS-2
    assert simulator.stats().receipts_acked == 2
