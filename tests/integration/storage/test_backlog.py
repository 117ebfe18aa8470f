"""The backlog per carrier: what is queued (and due, and for how long), in flight, and awaiting receipts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smscloud.adapters.storage.backlog import SqlBacklog
from smscloud.adapters.storage.binds import SqlBindReports
from smscloud.domain.carriers.model import BIND_REPORT_STALE_AFTER, BindState
from smscloud.domain.messages.backlog import CarrierBacklog
from smscloud.domain.messages.dispatch import SubmitRetry, Submitted
from tests.integration.storage.test_receipts import receipt
from tests.support.builders import NOW, Builder, Stores

pytestmark = pytest.mark.integration


async def test_each_stage_is_counted_per_carrier_and_an_idle_carrier_shows_zeros(
    stores: Stores, build: Builder
) -> None:
    acme = await build.sender()
    idle = await build.carrier("idle carrier")
    await build.add_messages(acme, 5, created_at=NOW - timedelta(seconds=60))
    claimed = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=3, now=NOW)
    assert len(claimed) == 3
    sent, retried, _in_flight = claimed
    await stores.queue.record(
        [Submitted(sent.id, ("c-1",)), SubmitRetry(retried.id, "ESME_RTHROTTLED", delay_s=30)],
        carrier_id=acme.carrier.id,
        now=NOW,
    )

    backlog = {b.carrier: b for b in await SqlBacklog(stores.db).per_carrier(now=NOW + timedelta(seconds=10))}

    assert backlog[acme.carrier.name] == CarrierBacklog(
        carrier=acme.carrier.name,
        binds=1,
        binds_up=0,  # no sender has reported
        queued=3,  # the retried one (due in 20 s) and the two never claimed
        due=2,
        oldest_due_s=70.0,  # due since it was accepted, 60 s before NOW
        submitting=1,
        submitted=1,
        oldest_submitted_s=10.0,
    )
    assert backlog[idle.name] == CarrierBacklog(idle.name, 1, 0, 0, 0, 0.0, 0, 0, 0.0)


async def test_final_messages_are_not_backlog(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    await build.add_messages(acme, 2)
    first, second = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=2, now=NOW)
    await stores.queue.record(
        [Submitted(first.id, ("c-1",)), Submitted(second.id, ("c-2",))], carrier_id=acme.carrier.id, now=NOW
    )
    await stores.receipts.apply([receipt(acme.carrier.id, "c-1")], now=NOW)

    [only] = [b for b in await SqlBacklog(stores.db).per_carrier(now=NOW) if b.carrier == acme.carrier.name]
    assert (only.queued, only.submitting, only.submitted) == (0, 0, 1)


async def test_binds_up_are_the_fresh_reports_that_say_bound(stores: Stores, build: Builder) -> None:
    acme = await build.carrier("acme", binds=3)
    off = await build.carrier("off", enabled=False)
    reports = SqlBindReports(stores.db)
    since = NOW - timedelta(hours=1)

    def state(slot: int, bound: bool, error: str = "") -> BindState:
        return BindState(acme.id, slot, "connector 0 (pid 7 on host)", bound, since, error)

    await reports.report(state(0, True), now=NOW)
    await reports.report(state(1, False, "bind refused: ESME_RBINDFAIL"), now=NOW)
    await reports.report(state(2, True), now=NOW - BIND_REPORT_STALE_AFTER - timedelta(seconds=1))  # its process died

    # Fresh "bound" reports that are not binds of an enabled carrier: a slot acme no longer has,
    # and the disabled carrier's (left from before it was disabled).
    await reports.report(state(5, True), now=NOW)
    await reports.report(BindState(off.id, 0, "connector 0 (pid 7 on host)", True, since, ""), now=NOW)

    backlog = {b.carrier: b for b in await SqlBacklog(stores.db).per_carrier(now=NOW)}
    assert (backlog["acme"].binds, backlog["acme"].binds_up) == (3, 1)
    assert (backlog["off"].binds, backlog["off"].binds_up) == (0, 0)
    assert off.enabled is False
    listed = [(b.carrier, b.state.slot, b.up(NOW)) for b in await reports.reported()]
    assert listed == [("acme", 0, True), ("acme", 1, False), ("acme", 2, False)]  # the same binds, the same verdicts

    await reports.report(state(1, True), now=NOW)  # the same slot's row is rewritten, not added
    await reports.report(state(2, True), now=NOW)
    backlog = {b.carrier: b for b in await SqlBacklog(stores.db).per_carrier(now=NOW)}
    assert backlog["acme"].binds_up == 3
