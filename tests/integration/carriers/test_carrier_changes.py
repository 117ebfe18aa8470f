"""The connector follows carrier changes without a restart: `CarrierManager.apply` moves a carrier
whose address changed to its new SMSC (real SMPP, two built-in simulators), stops a carrier
turned off, and starts one turned on; what was queued goes out through the new bind."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from smscloud.adapters.carriers.manager import CarrierManager
from smscloud.adapters.carriers.sender import SenderPolicy
from smscloud.adapters.carriers.wakeups import InProcessSignal
from smscloud.adapters.simulator import Simulator, SimulatorConfig
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.leases import FileLeases
from tests.support.builders import CARRIER_PASSWORD, Builder, make_stores
from tests.support.fake_smsc import eventually

pytestmark = pytest.mark.integration


@pytest.fixture
async def two_smscs() -> AsyncIterator[tuple[Simulator, Simulator]]:
    pair = tuple(
        Simulator(SimulatorConfig(port=0, credentials=[("smscloud", CARRIER_PASSWORD)], receipt_delay_s=0.0))
        for _ in range(2)
    )
    for simulator in pair:
        await simulator.start()
    try:
        yield pair[0], pair[1]
    finally:
        for simulator in pair:
            await simulator.stop()


async def test_a_carrier_moved_turned_off_and_on_is_followed_without_a_restart(
    db: Database, tmp_path: Path, two_smscs: tuple[Simulator, Simulator]
) -> None:
    first, second = two_smscs
    stores = make_stores(db)
    build = Builder(stores)
    sender = await build.sender()
    carrier = await stores.carriers.save(replace(sender.carrier, port=first.address[1]), now=stores.clock.now())
    manager = CarrierManager(
        queue=stores.queue,
        receipts=stores.receipts,
        leases=FileLeases(tmp_path / "leases", retry_s=0.05),
        signal=InProcessSignal(),
        clock=stores.clock,
        policy=SenderPolicy(poll_interval_s=0.05),
    )
    manager.start(await stores.carriers.enabled())
    try:
        await eventually(lambda: first.stats().sessions_active == 1)
        await build.add_messages(sender)
        await eventually(lambda: first.stats().submits_received == 1)

        # Moved to another SMSC: the old bind goes, the new one comes, and sends go there.
        moved = await stores.carriers.save(replace(carrier, port=second.address[1]), now=stores.clock.now())
        await manager.apply(await stores.carriers.enabled())
        await eventually(lambda: first.stats().sessions_active == 0 and second.stats().sessions_active == 1)
        await build.add_messages(sender)
        await eventually(lambda: second.stats().submits_received == 1)
        assert first.stats().submits_received == 1

        # Unchanged settings: nothing restarts.
        await manager.apply(await stores.carriers.enabled())
        assert second.stats().sessions_opened == 1

        # Turned off: no bind, no sender; turned on again: back.
        await stores.carriers.set_enabled(moved.id, False)
        await manager.apply(await stores.carriers.enabled())
        assert manager.senders == []
        await eventually(lambda: second.stats().sessions_active == 0)
        await stores.carriers.set_enabled(moved.id, True)
        await manager.apply(await stores.carriers.enabled())
        await eventually(lambda: second.stats().sessions_active == 1)
        assert [s.carrier.id for s in manager.senders] == [moved.id]
    finally:
        await manager.stop()
