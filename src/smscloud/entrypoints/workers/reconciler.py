"""The reconciler: matches receipts that arrived early, and expires messages that got none."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import structlog

from smscloud.domain.messages.ports import ReceiptStore
from smscloud.domain.shared.clock import Clock

__all__ = ["reconcile_once", "run_reconciler"]

log = structlog.get_logger(__name__)


async def reconcile_once(*, receipts: ReceiptStore, clock: Clock, receipt_timeout_s: float) -> tuple[int, int]:
    now = clock.now()
    matched = await receipts.rematch(now=now)
    expired = await receipts.expire_unanswered(submitted_before=now - timedelta(seconds=receipt_timeout_s), now=now)
    if matched or expired:
        log.info("reconciler.pass", receipts_matched=matched, messages_expired=expired)
    return matched, expired


async def run_reconciler(
    *, receipts: ReceiptStore, clock: Clock, receipt_timeout_s: float, interval_s: float = 5.0
) -> None:
    while True:
        await asyncio.sleep(interval_s)
        try:
            await reconcile_once(receipts=receipts, clock=clock, receipt_timeout_s=receipt_timeout_s)
        except Exception:
            log.exception("reconciler.failed")
