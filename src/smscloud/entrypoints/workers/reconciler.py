"""The reconciler: matches receipts that arrived early, expires messages that got none, and stores
the long replies whose last parts never came.

It runs in connector 0 every few seconds (`run_reconciler`); each pass is idempotent, so a pass
that fails is simply made again. The sweep of reply parts is here rather than in the receipt
intake because the parts it finishes are exactly those after which nothing more arrives.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Protocol

import structlog

from smscloud.domain.messages.ports import ReceiptStore
from smscloud.domain.messages.replies import REPLY_PARTS_TIMEOUT, ReplyPartStore
from smscloud.domain.shared.clock import Clock

__all__ = ["ReconcilerStore", "reconcile_once", "run_reconciler"]

log = structlog.get_logger(__name__)


class ReconcilerStore(ReceiptStore, ReplyPartStore, Protocol):
    """The receipts and the parts of long replies (one store, as the receipt intake's)."""


async def reconcile_once(*, receipts: ReconcilerStore, clock: Clock, receipt_timeout_s: float) -> tuple[int, int]:
    """One pass; returns (receipts matched, messages expired). Parts of long replies begun more
    than `REPLY_PARTS_TIMEOUT` ago are stored as replies with the text that came."""
    now = clock.now()
    matched = await receipts.rematch(now=now)
    expired = await receipts.expire_unanswered(submitted_before=now - timedelta(seconds=receipt_timeout_s), now=now)
    flushed = await receipts.flush_reply_parts(received_before=now - REPLY_PARTS_TIMEOUT)
    if matched or expired or flushed:
        log.info("reconciler.pass", receipts_matched=matched, messages_expired=expired, replies_incomplete=flushed)
    return matched, expired


async def run_reconciler(
    *, receipts: ReconcilerStore, clock: Clock, receipt_timeout_s: float, interval_s: float = 5.0
) -> None:
    while True:
        await asyncio.sleep(interval_s)
        try:
            await reconcile_once(receipts=receipts, clock=clock, receipt_timeout_s=receipt_timeout_s)
        except Exception:
            log.exception("reconciler.failed")
