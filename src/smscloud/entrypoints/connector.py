"""`smscloud connector`: the carrier senders, the receipt intake and the reconciler.

`smscloud serve` runs it as a child process; run it on its own to scale out (with PostgreSQL,
and `serve` told not to start one: SMSCLOUD_API__CONNECTOR=false).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal

import structlog

from smscloud.adapters.carriers.manager import CarrierManager
from smscloud.adapters.carriers.wakeups import doorbell_address, listen_for_doorbell
from smscloud.bootstrap import build_carrier_manager, open_platform
from smscloud.config import Settings
from smscloud.domain.carriers.ports import CarrierStore
from smscloud.entrypoints.locks import single_instance
from smscloud.entrypoints.workers.reconciler import run_reconciler

__all__ = ["CARRIER_REFRESH_S", "connector_role", "follow_carriers", "run_connector"]

log = structlog.get_logger(__name__)

CARRIER_REFRESH_S = 10.0
"""How often the connector reads the carriers' settings again (`smscloud carrier …` changes)."""


async def follow_carriers(
    manager: CarrierManager, carriers: CarrierStore, *, interval_s: float = CARRIER_REFRESH_S
) -> None:
    """Keep the senders in line with the stored carriers: a carrier added, changed, turned on or
    off is started, restarted or stopped within `interval_s`."""
    while True:
        await asyncio.sleep(interval_s)
        try:
            await manager.apply(await carriers.enabled())
        except Exception:
            log.exception("connector.carriers_refresh_failed")


def connector_role(process_index: int) -> str:
    """The name of connector `process_index` (its lock file, its log lines)."""
    return "connector" if process_index == 0 else f"connector-{process_index}"


async def run_connector(settings: Settings, *, process_index: int = 0) -> None:
    """Run connector `process_index` of `dispatch.connector_processes` until SIGTERM/SIGINT."""
    count = settings.dispatch.connector_processes
    if not 0 <= process_index < count:
        raise ValueError(f"connector index {process_index} is outside 0..{count - 1} (dispatch.connector_processes)")
    with single_instance(settings, connector_role(process_index)):
        platform = await open_platform(settings)
        try:
            manager = build_carrier_manager(platform, process_index=process_index)
            carriers = await platform.carriers.enabled()
            manager.start(carriers)
            following = asyncio.create_task(follow_carriers(manager, platform.carriers), name="carriers")
            doorbell = await listen_for_doorbell(
                doorbell_address(settings.database_url, process_index), platform.signal
            )
            reconciler = None
            if process_index == 0:  # one reconciler is enough (its work is idempotent anyway)
                reconciler = asyncio.create_task(
                    run_reconciler(
                        receipts=platform.receipts,
                        clock=platform.clock,
                        receipt_timeout_s=settings.dispatch.receipt_timeout_s,
                        interval_s=min(5.0, max(0.2, settings.dispatch.receipt_timeout_s / 4)),
                    ),
                    name="reconciler",
                )
            log.info("connector.running", carriers=[c.name for c in carriers], process=connector_role(process_index))
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            try:
                await stop.wait()
            finally:
                for sig in (signal.SIGINT, signal.SIGTERM):
                    loop.remove_signal_handler(sig)
                log.info("connector.stopping")
                following.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await following
                doorbell.close()
                if reconciler is not None:
                    reconciler.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await reconciler
                await manager.stop()
        finally:
            await platform.close()
