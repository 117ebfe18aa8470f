"""SmppClient against the scriptable fake SMSC (tests/support/fake_smsc.py), over loopback TCP.

Every wait is on a condition (`eventually`), never on elapsed time; the few short sleeps only
give the client a chance to do something it must not do.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from structlog.testing import capture_logs

from smscloud.adapters.carriers.smpp_client import (
    LinkLost,
    NotBound,
    SmppClient,
    SubmitTimeout,
    UnreadableResponse,
)
from smscloud.protocols.smpp import (
    AlertNotification,
    CommandId,
    CommandStatus,
    DataSm,
    DataSmResp,
    DeliverSm,
    EsmClass,
    GenericNack,
    Pdu,
    SubmitSm,
    TlvError,
    Unbind,
)
from tests.support.fake_smsc import FakeSmsc, eventually

S = CommandStatus
HEADER = struct.Struct(">IIII")
RECEIPT = DeliverSm(
    source_addr="8613800000000",
    destination_addr="10690000",
    esm_class=EsmClass.DELIVERY_RECEIPT,
    short_message=b"id:1 sub:001 dlvrd:001 submit date:2611270000 done date:2611270000 stat:DELIVRD err:000 text:",
)


def message(n: int = 0) -> SubmitSm:
    return SubmitSm(destination_addr=f"86138{n:08d}", short_message=b"hello", registered_delivery=1)


async def accept_all(pdu: DeliverSm) -> int:
    return S.ESME_ROK


@pytest.fixture
async def smsc() -> AsyncIterator[FakeSmsc]:
    async with FakeSmsc() as fake:
        yield fake


class Harness:
    """Runs clients against the fake and always stops them, so no task or socket outlives a test."""

    def __init__(self, smsc: FakeSmsc) -> None:
        self.smsc = smsc
        self.runs: list[tuple[SmppClient, asyncio.Task[None]]] = []

    def client(self, **overrides: Any) -> SmppClient:
        options: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": self.smsc.port,
            "system_id": "esme1",
            "password": "secret",
            "window": 10,
            "on_deliver": accept_all,
            "response_timeout_s": 2.0,
            "reconnect_backoff": (0.005, 0.02),
            "name": "test",
        }
        options.update(overrides)
        return SmppClient(**options)

    async def start(self, **overrides: Any) -> SmppClient:
        client = self.client(**overrides)
        self.runs.append((client, asyncio.create_task(client.run())))
        return client

    async def bound(self, **overrides: Any) -> SmppClient:
        client = await self.start(**overrides)
        assert await client.wait_bound(5)
        return client

    def task_of(self, client: SmppClient) -> asyncio.Task[None]:
        return next(task for c, task in self.runs if c is client)

    async def close(self) -> None:
        for client, task in self.runs:
            await asyncio.wait_for(client.stop(timeout_s=1), 10)
            await asyncio.wait([task], timeout=10)
            assert task.done()
            if not task.cancelled():
                task.result()  # run() returned rather than raised


@pytest.fixture
async def harness(smsc: FakeSmsc) -> AsyncIterator[Harness]:
    h = Harness(smsc)
    try:
        yield h
    finally:
        await h.close()


def gate_submits(smsc: FakeSmsc) -> asyncio.Event:
    """Hold every submit_sm_resp until the returned event is set."""
    gate = asyncio.Event()

    async def held(pdu: SubmitSm) -> Pdu | None:
        await gate.wait()
        return pdu.response(message_id="held")

    smsc.on_submit = held
    return gate


def script(*answers: Callable[[SubmitSm], Pdu | None]) -> Callable[[SubmitSm], Awaitable[Pdu | None]]:
    """Answer the n-th submit_sm with answers[n] (the last one repeats)."""
    calls = 0

    async def answer(pdu: SubmitSm) -> Pdu | None:
        nonlocal calls
        result = answers[min(calls, len(answers) - 1)](pdu)
        calls += 1
        return result

    return answer


# Binding.


async def test_binds_as_transceiver_and_reports_the_state(harness: Harness, smsc: FakeSmsc) -> None:
    states: list[bool] = []
    client = await harness.bound(on_state=states.append, system_type="SMS")
    assert client.bound
    (bind,) = smsc.binds
    assert bind.command_id == CommandId.BIND_TRANSCEIVER
    assert (bind.system_id, bind.password, bind.system_type) == ("esme1", "secret", "SMS")  # type: ignore[attr-defined]
    assert client.stats.binds == 1
    assert states == [True]
    await client.stop()
    assert states == [True, False]
    assert not client.bound


async def test_wrong_password_logs_an_error_and_waits_until_the_credentials_are_fixed(
    harness: Harness, smsc: FakeSmsc
) -> None:
    with capture_logs() as logs:
        # The longest backoff is far beyond this test: only update_credentials can cut it short.
        client = await harness.start(password="wrong", reconnect_backoff=(0.005, 600.0))
        await eventually(lambda: client.stats.bind_failures == 1)
        await asyncio.sleep(0.05)
    assert not client.bound
    assert len(smsc.binds) == 1  # not retried at the short end of the backoff
    refused = [entry for entry in logs if entry["event"] == "smpp.bind_refused"]
    assert refused[0]["log_level"] == "error"
    assert refused[0]["status"] == "ESME_RINVPASWD"
    assert refused[0]["smpp_client"] == "test"

    client.update_credentials(password="secret")
    assert await client.wait_bound(5)
    assert len(smsc.binds) == 2


async def test_other_bind_refusals_are_retried_with_backoff(harness: Harness, smsc: FakeSmsc) -> None:
    smsc.bind_status = S.ESME_RALYBND
    client = await harness.start()
    await eventually(lambda: client.stats.bind_failures >= 3)
    assert not client.bound
    smsc.bind_status = None
    assert await client.wait_bound(5)
    assert client.stats.reconnects >= 3


async def test_connection_refused_is_retried_and_run_does_not_raise(harness: Harness) -> None:
    async with FakeSmsc() as gone:
        port = gone.port
    client = await harness.start(port=port)
    await eventually(lambda: client.stats.reconnects >= 3)
    assert client.stats.connects == 0
    assert not harness.task_of(client).done()


async def test_bad_credentials_are_refused_at_construction(harness: Harness) -> None:
    with pytest.raises(ValueError, match="password"):
        harness.client(password="much-too-long-password")


def unbind_on_bind(smsc: FakeSmsc, bound_at: list[float], *, times: int = 1_000) -> Callable[[bool], None]:
    """An on_state callback that records when each bind came up and has the SMSC unbind the first
    ``times`` of them at once (an SMSC that accepts the bind and then drops the link)."""
    loop = asyncio.get_running_loop()

    def on_state(up: bool) -> None:
        if up:
            bound_at.append(loop.time())
            if len(bound_at) <= times:
                smsc.session.unbind()

    return on_state


async def test_a_bind_dropped_at_once_does_not_reset_the_backoff(harness: Harness, smsc: FakeSmsc) -> None:
    bound_at: list[float] = []
    await harness.start(on_state=unbind_on_bind(smsc, bound_at), reconnect_backoff=(0.05, 0.8), stable_bind_s=60)
    await eventually(lambda: len(bound_at) >= 6)
    # The n-th delay in a row is 0.05·2^n s (capped at 0.8) times a jitter in [0.5, 1): the fifth
    # is at least 0.4 s. Were each bind a success, every delay would be below 0.05 s.
    assert bound_at[5] - bound_at[4] >= 0.4
    assert len(smsc.sessions) == len(bound_at)


async def test_a_bind_whose_link_is_gone_before_it_is_seen_is_never_reported_bound(
    harness: Harness, smsc: FakeSmsc
) -> None:
    smsc.close_after_bind = True
    states: list[bool] = []
    client = await harness.start(on_state=states.append, reconnect_backoff=(0.01, 0.05))
    await eventually(lambda: client.stats.binds >= 3)
    assert True not in states
    assert not client.bound
    assert "closed" in client.last_error


async def test_a_bind_that_stays_up_long_enough_resets_the_backoff(harness: Harness, smsc: FakeSmsc) -> None:
    bound_at: list[float] = []
    await harness.start(
        on_state=unbind_on_bind(smsc, bound_at, times=4), reconnect_backoff=(0.05, 5.0), stable_bind_s=0.1
    )
    await eventually(lambda: len(bound_at) == 5)  # four dropped at once; the fifth stays up
    await asyncio.sleep(0.15)  # longer than stable_bind_s
    dropped = asyncio.get_running_loop().time()
    smsc.session.unbind()
    await eventually(lambda: len(bound_at) == 6)
    # Without the reset the next delay would be at least 0.05·2^4·0.5 = 0.4 s; with it, under 0.05 s.
    assert bound_at[5] - dropped < 0.3


# Submitting.


async def test_submit_round_trip(harness: Harness, smsc: FakeSmsc) -> None:
    client = await harness.bound()
    response = await client.submit(message(1))
    assert response.command_status == S.ESME_ROK
    assert response.message_id == "1"
    (submitted,) = smsc.submits
    assert submitted.destination_addr == "8613800000001"
    assert submitted.sequence_number == response.sequence_number > 1  # the bind had the first
    assert (client.stats.submitted, client.stats.responses) == (1, 1)
    assert client.window_free == client.window == 10


async def test_submit_without_a_bind_raises_not_bound(harness: Harness) -> None:
    client = harness.client()
    with pytest.raises(NotBound):
        await client.submit(message())


async def test_window_is_never_exceeded(harness: Harness, smsc: FakeSmsc) -> None:
    gate = gate_submits(smsc)
    client = await harness.bound(window=3)
    submits = [asyncio.create_task(client.submit(message(n))) for n in range(10)]
    await eventually(lambda: smsc.outstanding == 3)
    await asyncio.sleep(0.05)  # room for a fourth, which must not come
    assert len(smsc.submits) == 3
    assert client.window_free == 0
    gate.set()
    responses = await asyncio.gather(*submits)
    assert all(r.command_status == S.ESME_ROK for r in responses)
    assert len(smsc.submits) == 10
    assert smsc.max_outstanding == 3
    assert client.window_free == 3


async def test_wait_window_returns_when_a_slot_frees(harness: Harness, smsc: FakeSmsc) -> None:
    gate = gate_submits(smsc)
    client = await harness.bound(window=1)
    await client.wait_window()  # free now: returns at once
    in_flight = asyncio.create_task(client.submit(message()))
    await eventually(lambda: smsc.outstanding == 1)
    waiter = asyncio.create_task(client.wait_window())
    await asyncio.sleep(0.02)
    assert not waiter.done()
    gate.set()
    await in_flight
    await asyncio.wait_for(waiter, 5)


async def test_tps_cap_spaces_submits(harness: Harness, smsc: FakeSmsc) -> None:
    # A lower bound on elapsed time holds on any machine; the bucket itself is tested with a
    # fake clock in test_throttle.py.
    client = await harness.bound(tps=50, window=100)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.gather(*(client.submit(message(n)) for n in range(6)))
    assert loop.time() - started >= 5 / 50 - 0.002
    assert len(smsc.submits) == 6


async def test_error_statuses_are_returned_not_raised(harness: Harness, smsc: FakeSmsc) -> None:
    smsc.on_submit = script(
        lambda pdu: pdu.response(command_status=S.ESME_RMSGQFUL),
        lambda pdu: pdu.response(command_status=S.ESME_RINVDSTADR),
    )
    client = await harness.bound()
    first = await client.submit(message())
    second = await client.submit(message())
    assert (first.command_status, second.command_status) == (S.ESME_RMSGQFUL, S.ESME_RINVDSTADR)
    assert client.throttled_for_s == 0  # only ESME_RTHROTTLED pauses


async def test_throttled_response_pauses_new_submits(harness: Harness, smsc: FakeSmsc) -> None:
    smsc.on_submit = script(lambda pdu: pdu.response(command_status=S.ESME_RTHROTTLED))
    client = await harness.bound(throttle_pause_s=60)
    response = await client.submit(message())
    assert response.command_status == S.ESME_RTHROTTLED
    assert client.stats.throttled == 1
    assert client.throttled_for_s > 50
    paused = asyncio.create_task(client.submit(message()))
    await asyncio.sleep(0.05)
    assert len(smsc.submits) == 1  # the second waits out the pause
    assert client.window_free == client.window - 1
    paused.cancel()
    with pytest.raises(asyncio.CancelledError):
        await paused
    assert client.window_free == client.window


async def test_generic_nack_to_a_submit_comes_back_as_its_status(harness: Harness, smsc: FakeSmsc) -> None:
    smsc.on_submit = script(
        lambda pdu: GenericNack(sequence_number=pdu.sequence_number, command_status=S.ESME_RTHROTTLED),
        lambda pdu: GenericNack(sequence_number=pdu.sequence_number),
    )
    client = await harness.bound(throttle_pause_s=0)
    first = await client.submit(message())
    second = await client.submit(message())
    assert (first.command_status, second.command_status) == (S.ESME_RTHROTTLED, S.ESME_RSYSERR)
    assert (client.stats.nacks, client.stats.throttled) == (2, 1)


def answer_raw(smsc: FakeSmsc, body: bytes, *, status: int = 0) -> Callable[[SubmitSm], Awaitable[Pdu | None]]:
    """Answer each submit_sm with a submit_sm_resp whose header is readable and whose body is ``body``."""

    async def answer(pdu: SubmitSm) -> Pdu | None:
        smsc.session.write_raw(
            HEADER.pack(16 + len(body), CommandId.SUBMIT_SM_RESP, status, pdu.sequence_number) + body
        )
        return None

    return answer


async def test_an_accepted_submit_whose_response_is_unreadable_completes_at_once_unanswered(
    harness: Harness, smsc: FakeSmsc
) -> None:
    smsc.on_submit = answer_raw(smsc, b"A" * 70)  # a message_id without its NUL
    client = await harness.bound(response_timeout_s=30)
    with capture_logs():
        with pytest.raises(UnreadableResponse):
            await asyncio.wait_for(client.submit(message()), 5)  # not after the 30 s timeout
        smsc.on_submit = None
        assert (await client.submit(message())).command_status == S.ESME_ROK
    # Nothing was said back to the response: the next submit_sm came straight after the first.
    assert [type(pdu) for pdu in smsc.sessions[0].received[1:]] == [SubmitSm, SubmitSm]
    assert (client.stats.responses, client.stats.unreadable, client.stats.timeouts) == (2, 1, 0)
    assert client.window_free == client.window
    assert client.bound


async def test_a_refused_submit_whose_response_is_unreadable_comes_back_with_its_status(
    harness: Harness, smsc: FakeSmsc
) -> None:
    smsc.on_submit = answer_raw(smsc, b"A" * 70, status=S.ESME_RINVDSTADR)
    client = await harness.bound()
    with capture_logs():
        response = await asyncio.wait_for(client.submit(message()), 5)
    assert (response.command_status, response.message_id) == (S.ESME_RINVDSTADR, "")
    assert not smsc.of_type(GenericNack)


async def test_response_timeout_frees_the_slot_and_a_late_response_is_ignored(harness: Harness, smsc: FakeSmsc) -> None:
    gate = asyncio.Event()

    async def late_then_prompt(pdu: SubmitSm) -> Pdu | None:
        if len(smsc.submits) == 1:
            await gate.wait()
        return pdu.response(message_id=str(len(smsc.submits)))

    smsc.on_submit = late_then_prompt
    client = await harness.bound(window=1, response_timeout_s=0.1)
    with pytest.raises(SubmitTimeout):
        await client.submit(message())
    assert client.window_free == 1
    assert client.stats.timeouts == 1
    response = await client.submit(message())
    assert response.command_status == S.ESME_ROK
    gate.set()
    await eventually(lambda: client.stats.late_responses == 1)
    assert client.bound


async def test_link_loss_fails_pending_submits_and_reconnects(harness: Harness, smsc: FakeSmsc) -> None:
    states: list[bool] = []
    gate_submits(smsc)
    client = await harness.bound(window=5, on_state=states.append)
    submits = [asyncio.create_task(client.submit(message(n))) for n in range(3)]
    await eventually(lambda: smsc.outstanding == 3)
    smsc.session.abort()
    results = await asyncio.gather(*submits, return_exceptions=True)
    assert all(isinstance(result, LinkLost) for result in results)
    assert client.window_free == 5
    assert client.stats.lost_in_flight == 3
    assert await client.wait_bound(5)
    assert len(smsc.sessions) == 2
    assert (client.stats.link_losses, client.stats.binds) == (1, 2)
    assert states == [True, False, True]
    smsc.on_submit = None
    assert (await client.submit(message())).command_status == S.ESME_ROK


async def test_submits_waiting_for_the_window_are_not_sent_after_a_link_loss(harness: Harness, smsc: FakeSmsc) -> None:
    gate_submits(smsc)
    client = await harness.bound(window=1, reconnect_backoff=(30, 30))
    in_flight = asyncio.create_task(client.submit(message(1)))
    await eventually(lambda: smsc.outstanding == 1)
    queued = asyncio.create_task(client.submit(message(2)))
    await asyncio.sleep(0.01)
    smsc.session.abort()
    with pytest.raises(LinkLost):
        await in_flight
    with pytest.raises(NotBound):  # never sent: safe to retry elsewhere
        await queued
    assert len(smsc.submits) == 1


# Receipts and MO.


async def test_deliver_sm_is_answered_only_after_the_handler_returns(harness: Harness, smsc: FakeSmsc) -> None:
    stored = asyncio.Event()
    seen: list[DeliverSm] = []

    async def store(pdu: DeliverSm) -> int:
        seen.append(pdu)
        await stored.wait()  # the durable write
        return S.ESME_ROK

    client = await harness.bound(on_deliver=store)
    sequence = smsc.session.deliver(RECEIPT)
    await eventually(lambda: len(seen) == 1)
    await asyncio.sleep(0.05)  # time enough for a premature answer
    assert smsc.deliver_responses == []
    stored.set()
    await eventually(lambda: len(smsc.deliver_responses) == 1)
    response = smsc.session.deliver_responses[sequence]
    assert response.command_status == S.ESME_ROK
    assert seen[0].is_receipt
    assert seen[0].short_message == RECEIPT.short_message
    assert client.stats.delivers == 1


async def test_deliver_sm_are_handled_concurrently_and_each_is_answered(harness: Harness, smsc: FakeSmsc) -> None:
    release = asyncio.Event()
    entered: list[int] = []

    async def slow(pdu: DeliverSm) -> int:
        entered.append(pdu.sequence_number)
        await release.wait()
        return S.ESME_ROK

    await harness.bound(on_deliver=slow)
    sequences = [smsc.session.deliver(RECEIPT) for _ in range(5)]
    await eventually(lambda: len(entered) == 5)  # all five in the handler at once
    assert smsc.deliver_responses == []
    release.set()
    await eventually(lambda: len(smsc.deliver_responses) == 5)
    assert sorted(smsc.session.deliver_responses) == sorted(sequences)


async def test_deliver_concurrency_is_bounded(harness: Harness, smsc: FakeSmsc) -> None:
    release = asyncio.Event()
    entered: list[int] = []

    async def slow(pdu: DeliverSm) -> int:
        entered.append(pdu.sequence_number)
        await release.wait()
        return S.ESME_ROK

    await harness.bound(on_deliver=slow, deliver_concurrency=2)
    for _ in range(5):
        smsc.session.deliver(RECEIPT)
    await eventually(lambda: len(entered) == 2)
    await asyncio.sleep(0.05)
    assert len(entered) == 2
    release.set()
    await eventually(lambda: len(smsc.deliver_responses) == 5)


async def test_submits_are_answered_while_every_handler_is_busy(harness: Harness, smsc: FakeSmsc) -> None:
    release = asyncio.Event()
    entered: list[int] = []

    async def stuck(pdu: DeliverSm) -> int:  # a database that stopped answering
        entered.append(pdu.sequence_number)
        await release.wait()
        return S.ESME_ROK

    client = await harness.bound(on_deliver=stuck, deliver_concurrency=2, response_timeout_s=1)
    for _ in range(10):
        smsc.session.deliver(RECEIPT)
    await eventually(lambda: len(entered) == 2)

    # The reader goes on reading: the submit's response is seen, not timed out (which would send
    # the SMS a second time), and the waiting receipts are not answered before they are stored.
    response = await client.submit(SubmitSm(destination_addr="8613800000000", short_message=b"hi"))
    assert response.command_status == S.ESME_ROK
    assert client.stats.timeouts == 0
    assert smsc.deliver_responses == []
    release.set()
    await eventually(lambda: len(smsc.deliver_responses) == 10)
    assert len(entered) == 10
    assert {r.command_status for r in smsc.session.deliver_responses.values()} == {S.ESME_ROK}


async def test_receipts_beyond_the_backlog_are_deferred_at_once(harness: Harness, smsc: FakeSmsc) -> None:
    release = asyncio.Event()

    async def stuck(pdu: DeliverSm) -> int:
        await release.wait()
        return S.ESME_ROK

    client = await harness.bound(on_deliver=stuck, deliver_concurrency=1, deliver_backlog=2)
    sequences = [smsc.session.deliver(RECEIPT) for _ in range(5)]
    # one in the handler, two waiting, two answered "try again later" without being handled
    await eventually(lambda: len(smsc.deliver_responses) == 2)
    deferred = [smsc.session.deliver_responses[s].command_status for s in sequences[3:]]
    assert deferred == [S.ESME_RX_T_APPN, S.ESME_RX_T_APPN]
    assert client.stats.delivers_deferred == 2
    release.set()
    await eventually(lambda: len(smsc.deliver_responses) == 5)
    assert [smsc.session.deliver_responses[s].command_status for s in sequences[:3]] == [S.ESME_ROK] * 3


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (RuntimeError("database is down"), S.ESME_RX_T_APPN),
        (TlvError("bad message_state", command_status=S.ESME_RINVOPTPARAMVAL), S.ESME_RINVOPTPARAMVAL),
        (S.ESME_RX_P_APPN, S.ESME_RX_P_APPN),
    ],
)
async def test_handler_failures_and_statuses_are_answered(
    harness: Harness, smsc: FakeSmsc, outcome: Exception | int, status: int
) -> None:
    async def handler(pdu: DeliverSm) -> int:
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    with capture_logs():
        client = await harness.bound(on_deliver=handler)
        smsc.session.deliver(RECEIPT)
        await eventually(lambda: len(smsc.deliver_responses) == 1)
    assert smsc.deliver_responses[0].command_status == status
    assert client.bound


# Link upkeep.


async def test_enquire_link_from_the_smsc_is_answered(harness: Harness, smsc: FakeSmsc) -> None:
    await harness.bound()
    sequence = smsc.session.enquire_link()
    await eventually(lambda: sequence in smsc.session.enquire_link_responses)
    assert smsc.session.enquire_link_responses[sequence].command_status == S.ESME_ROK


async def test_idle_link_is_probed_with_enquire_link(harness: Harness, smsc: FakeSmsc) -> None:
    client = await harness.bound(enquire_link_interval_s=0.02)
    await eventually(lambda: client.stats.enquire_links_sent >= 3)
    assert client.stats.dead_links == 0
    assert len(smsc.sessions) == 1


async def test_unanswered_enquire_link_means_a_dead_link_and_a_reconnect(harness: Harness, smsc: FakeSmsc) -> None:
    smsc.answer_enquire_link = False
    client = await harness.bound(enquire_link_interval_s=0.02, response_timeout_s=0.1)
    await eventually(lambda: client.stats.dead_links >= 1 and len(smsc.sessions) >= 2)
    assert smsc.sessions[0].closed
    assert any(pdu.command_id == CommandId.ENQUIRE_LINK for pdu in smsc.sessions[0].received)
    assert await client.wait_bound(5)


async def test_unbind_from_the_smsc_is_answered_and_the_client_rebinds(harness: Harness, smsc: FakeSmsc) -> None:
    client = await harness.bound()
    first = smsc.session
    first.unbind()
    await eventually(lambda: len(first.unbind_responses) == 1 and len(smsc.sessions) == 2)
    assert await client.wait_bound(5)
    assert smsc.session is not first


async def test_malformed_pdu_is_nacked_and_the_session_goes_on(harness: Harness, smsc: FakeSmsc) -> None:
    client = await harness.bound()
    with capture_logs():
        smsc.session.write_raw(struct.pack(">IIII", 16, 0x00000099, 0, 77))  # unknown command id
        await eventually(lambda: bool(smsc.of_type(GenericNack)))
    (nack,) = smsc.of_type(GenericNack)
    assert (nack.sequence_number, nack.command_status) == (77, S.ESME_RINVCMDID)
    assert client.stats.bad_pdus == 1
    assert (await client.submit(message())).command_status == S.ESME_ROK
    assert len(smsc.sessions) == 1


async def test_broken_framing_is_nacked_and_the_link_rebuilt(harness: Harness, smsc: FakeSmsc) -> None:
    client = await harness.bound()
    first = smsc.session
    with capture_logs():
        first.write_raw(struct.pack(">IIII", 8, 0x00000004, 0, 78))  # command_length below 16
        await eventually(lambda: len(smsc.sessions) == 2)
    (nack,) = [pdu for pdu in first.received if isinstance(pdu, GenericNack)]
    assert (nack.sequence_number, nack.command_status) == (78, S.ESME_RINVCMDLEN)
    assert await client.wait_bound(5)


@pytest.mark.parametrize(
    "frame",
    [
        bytes.fromhex("00000012 00000015 00000000 0000000d 7878"),  # enquire_link with a body
        HEADER.pack(21, CommandId.DELIVER_SM, 0, 13) + b"\0" * 5,  # deliver_sm ending inside its fields
    ],
)
async def test_a_length_that_does_not_fit_the_command_is_answered_with_generic_nack(
    harness: Harness, smsc: FakeSmsc, frame: bytes
) -> None:
    client = await harness.bound()
    with capture_logs():
        smsc.session.write_raw(frame)
        await eventually(lambda: bool(smsc.of_type(GenericNack)))
    (nack,) = smsc.of_type(GenericNack)
    assert (nack.sequence_number, nack.command_status) == (13, S.ESME_RINVCMDLEN)  # SMPP 3.4 §4.3
    assert smsc.session.enquire_link_responses == {}
    assert smsc.deliver_responses == []
    assert client.bound


async def test_data_sm_is_refused_visibly(harness: Harness, smsc: FakeSmsc) -> None:
    await harness.bound()
    with capture_logs():
        smsc.session.send(DataSm(source_addr="8613800000000", destination_addr="10690000"))
        await eventually(lambda: bool(smsc.of_type(DataSmResp)))
    assert smsc.of_type(DataSmResp)[0].command_status == S.ESME_RINVCMDID


async def test_an_alert_notification_is_logged_and_not_answered(harness: Harness, smsc: FakeSmsc) -> None:
    client = await harness.bound()
    with capture_logs() as logs:
        smsc.session.send(AlertNotification(source_addr="8613800000001", esme_addr="106900"))
        await eventually(lambda: any(e["event"] == "smpp.alert_notification" for e in logs))
        # A request after it is answered as usual, and nothing answered the alert.
        sequence = smsc.session.enquire_link()
        await eventually(lambda: sequence in smsc.session.enquire_link_responses)
    assert smsc.of_type(GenericNack) == []
    assert client.stats.bad_pdus == 0
    assert client.bound


# Stopping.


async def test_stop_waits_for_in_flight_submits_then_unbinds(harness: Harness, smsc: FakeSmsc) -> None:
    gate = gate_submits(smsc)
    client = await harness.bound()
    in_flight = asyncio.create_task(client.submit(message()))
    await eventually(lambda: smsc.outstanding == 1)
    stopping = asyncio.create_task(client.stop(timeout_s=5))
    await asyncio.sleep(0.05)
    assert not smsc.of_type(Unbind)  # still waiting for the response
    with pytest.raises(NotBound):
        await client.submit(message())  # no new submits while stopping
    gate.set()
    assert (await in_flight).command_status == S.ESME_ROK
    await asyncio.wait_for(stopping, 5)
    assert smsc.of_type(Unbind)
    assert smsc.received.index(smsc.of_type(Unbind)[0]) > smsc.received.index(smsc.submits[0])
    assert harness.task_of(client).done()
    assert not client.bound


async def test_stop_gives_up_on_in_flight_submits_after_its_timeout(harness: Harness, smsc: FakeSmsc) -> None:
    gate_submits(smsc)  # never answered
    client = await harness.bound()
    in_flight = asyncio.create_task(client.submit(message()))
    await eventually(lambda: smsc.outstanding == 1)
    await asyncio.wait_for(client.stop(timeout_s=0.05), 5)
    with pytest.raises(LinkLost):
        await in_flight
    assert smsc.of_type(Unbind)


async def test_stop_before_run_makes_run_return_at_once(harness: Harness) -> None:
    client = harness.client()
    await client.stop()
    await asyncio.wait_for(client.run(), 5)
    assert client.stats.connects == 0


async def test_stop_while_the_bind_is_unanswered(harness: Harness, smsc: FakeSmsc) -> None:
    smsc.bind_status = S.ESME_RALYBND
    client = await harness.start()
    await eventually(lambda: client.stats.bind_failures >= 1)
    await asyncio.wait_for(client.stop(), 5)
    assert harness.task_of(client).done()


async def test_run_twice_is_an_error(harness: Harness) -> None:
    client = await harness.bound()
    with pytest.raises(RuntimeError, match="already running"):
        await client.run()


async def test_wait_bound_gives_up_on_timeout_and_on_stop(harness: Harness, smsc: FakeSmsc) -> None:
    smsc.bind_status = S.ESME_RSYSERR
    client = await harness.start()
    assert not await client.wait_bound(0.02)
    waiter = asyncio.create_task(client.wait_bound())
    await asyncio.sleep(0.01)
    await client.stop()
    assert not await asyncio.wait_for(waiter, 5)


async def test_stop_lets_a_receipt_being_stored_be_acknowledged_before_the_unbind(
    harness: Harness, smsc: FakeSmsc
) -> None:
    stored = asyncio.Event()
    entered = asyncio.Event()

    async def store(pdu: DeliverSm) -> int:
        entered.set()
        await stored.wait()
        return S.ESME_ROK

    client = await harness.bound(on_deliver=store)
    smsc.session.deliver(RECEIPT)
    await asyncio.wait_for(entered.wait(), 5)
    stopping = asyncio.create_task(client.stop(timeout_s=5))
    await asyncio.sleep(0.02)
    assert not smsc.of_type(Unbind)
    stored.set()
    await asyncio.wait_for(stopping, 5)
    (ack,) = smsc.deliver_responses
    assert ack.command_status == S.ESME_ROK
    assert smsc.received.index(ack) < smsc.received.index(smsc.of_type(Unbind)[0])


async def test_cancelling_run_drops_the_link_and_fails_what_is_in_flight(harness: Harness, smsc: FakeSmsc) -> None:
    gate_submits(smsc)
    client = await harness.bound()
    in_flight = asyncio.create_task(client.submit(message()))
    await eventually(lambda: smsc.outstanding == 1)
    task = harness.task_of(client)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    with pytest.raises(LinkLost):
        await in_flight
    assert not client.bound
    await eventually(lambda: smsc.session.closed)
    assert not smsc.of_type(Unbind)
