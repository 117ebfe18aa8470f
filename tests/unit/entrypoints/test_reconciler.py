"""The reconciler's pass: receipts matched, messages expired, long replies' stale parts stored."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from smscloud.domain.messages.receipts import Receipt
from smscloud.domain.messages.replies import REPLY_PARTS_TIMEOUT, PartOutcome, ReplyPart
from smscloud.domain.shared.clock import FixedClock
from smscloud.entrypoints.workers.reconciler import reconcile_once

NOW = datetime(2026, 1, 2, tzinfo=UTC)


class Store:
    """Records the cut-off times it is asked about."""

    def __init__(self) -> None:
        self.expired_before: list[datetime] = []
        self.flushed_before: list[datetime] = []

    async def apply(self, receipts: Sequence[Receipt], *, now: datetime) -> None:
        pass

    async def store_reply(
        self, *, carrier_id: int, source_addr: str, destination_addr: str, text: str, now: datetime
    ) -> None:
        pass

    async def store_reply_part(self, *, part: ReplyPart, now: datetime) -> PartOutcome:
        return PartOutcome.KEPT

    async def flush_reply_parts(self, *, received_before: datetime) -> int:
        self.flushed_before.append(received_before)
        return 1

    async def rematch(self, *, now: datetime) -> int:
        return 0

    async def expire_unanswered(self, *, submitted_before: datetime, now: datetime) -> int:
        self.expired_before.append(submitted_before)
        return 0


async def test_a_pass_stores_the_parts_of_long_replies_begun_a_day_ago() -> None:
    store = Store()
    assert await reconcile_once(receipts=store, clock=FixedClock(NOW), receipt_timeout_s=600) == (0, 0)
    assert store.flushed_before == [NOW - REPLY_PARTS_TIMEOUT]
    assert store.expired_before == [NOW - timedelta(seconds=600)]
    assert timedelta(hours=24) == REPLY_PARTS_TIMEOUT
