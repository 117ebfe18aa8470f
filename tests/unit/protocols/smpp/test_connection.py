"""The sans-I/O session: framing of chunked bytes, sequence numbers, and the bind state machine."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smscloud.protocols.smpp import (
    MAX_SEQUENCE_NUMBER,
    BindReceiver,
    BindTransceiver,
    BindTransceiverResp,
    BindTransmitter,
    CommandStatus,
    Connection,
    DataSm,
    DeliverSm,
    DeliverSmResp,
    EnquireLink,
    EnquireLinkResp,
    FramingError,
    GenericNack,
    Outbind,
    Pdu,
    PduEncodeError,
    PduError,
    ProtocolStateError,
    QuerySm,
    Role,
    SessionState,
    SubmitSm,
    SubmitSmResp,
    Unbind,
    UnbindResp,
    UnexpectedPduError,
    UnknownCommandError,
    decode,
    encode,
    error_response,
)
from tests.unit.protocols.smpp.strategies import pdus

S = CommandStatus


def state(conn: Connection) -> SessionState:
    """The session state, read through a call so mypy does not narrow it between assertions."""
    return conn.state


def bound_esme(bind: BindTransmitter | BindReceiver | BindTransceiver | None = None) -> Connection:
    conn = Connection(Role.ESME)
    sent = decode(conn.send(bind or BindTransceiver(system_id="esme1", password="secret")))
    assert isinstance(sent, BindTransmitter | BindReceiver | BindTransceiver)
    response = sent.response(system_id="SMSC")
    assert conn.receive_data(encode(response)) == [response]
    return conn


def bound_smsc() -> Connection:
    conn = Connection(Role.SMSC)
    bind = BindTransceiver(sequence_number=1, system_id="esme1", password="secret")
    assert conn.receive_data(encode(bind)) == [bind]
    conn.send(bind.response(system_id="SMSC"))
    assert state(conn) is SessionState.BOUND_TRX
    return conn


STREAM = [
    BindTransceiverResp(sequence_number=1, system_id="SMSC"),
    DeliverSm(sequence_number=5, esm_class=4, short_message=b"id:1 stat:DELIVRD"),
    EnquireLink(sequence_number=6),
    SubmitSmResp(sequence_number=2, message_id="abc"),
    SubmitSmResp(sequence_number=3, command_status=S.ESME_RTHROTTLED),
]


def fresh_bound_esme_expecting_stream() -> Connection:
    conn = Connection(Role.ESME)
    conn.send(BindTransceiver(system_id="esme1", password="secret"))
    return conn


# Framing.


def test_several_pdus_in_one_chunk():
    conn = fresh_bound_esme_expecting_stream()
    events = conn.receive_data(b"".join(encode(pdu) for pdu in STREAM))
    assert events == STREAM
    assert state(conn) is SessionState.BOUND_TRX


def test_one_byte_at_a_time():
    conn = fresh_bound_esme_expecting_stream()
    data = b"".join(encode(pdu) for pdu in STREAM)
    events: list[object] = []
    for i in range(len(data)):
        got = conn.receive_data(data[i : i + 1])
        # a PDU completes exactly on its last byte
        assert len(got) <= 1
        events.extend(got)
    assert events == STREAM


@given(st.lists(pdus, min_size=1, max_size=6), st.data())
def test_any_chunking_gives_the_same_pdus(stream, data):
    wire = b"".join(encode(pdu) for pdu in stream)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(wire)), max_size=10)))
    chunks = [wire[a:b] for a, b in zip([0, *cuts], [*cuts, len(wire)], strict=True)]
    conn = Connection(Role.SMSC)
    events = [event for chunk in chunks for event in conn.receive_data(chunk)]
    decoded = [event.pdu if isinstance(event, UnexpectedPduError) else event for event in events]
    assert decoded == stream


def test_empty_data_gives_nothing():
    assert Connection(Role.ESME).receive_data(b"") == []


def test_a_malformed_frame_is_reported_and_the_stream_goes_on():
    conn = bound_esme()
    bad = bytes.fromhex("00000014 00000099 00000000 00000007 01020304")  # unknown command id
    worse = bytes.fromhex("00000011 80000005 00000000 00000008 41")  # deliver_sm_resp without NUL
    events = conn.receive_data(bad + worse + encode(EnquireLink(sequence_number=9)))
    assert isinstance(events[0], UnknownCommandError)
    assert events[0].sequence_number == 7
    assert isinstance(events[1], PduError)
    assert events[1].command_status == S.ESME_RINVCMDLEN
    assert events[2] == EnquireLink(sequence_number=9)


def test_a_framing_error_is_fatal():
    conn = bound_esme()
    events = conn.receive_data(bytes.fromhex("00000008 00000015 00000000 00000003") + encode(EnquireLink()))
    assert len(events) == 1
    error = events[0]
    assert isinstance(error, FramingError)
    assert error.sequence_number == 3
    assert conn.receive_data(encode(EnquireLink(sequence_number=4))) == []
    # the session can still answer before the transport is closed
    nack = error_response(error)
    assert nack == GenericNack(sequence_number=3, command_status=S.ESME_RINVCMDLEN)
    assert conn.send(nack) == encode(nack)


def test_max_command_length_is_configurable():
    conn = Connection(Role.SMSC, max_command_length=100)
    [event] = conn.receive_data(encode(SubmitSm(short_message=b"x" * 200)))
    assert isinstance(event, FramingError)


@given(st.lists(st.binary(max_size=64), max_size=8))
def test_fuzz_receive_data_never_raises(chunks):
    for role in Role:
        conn = Connection(role)
        for chunk in chunks:
            for event in conn.receive_data(chunk):
                assert isinstance(event, Pdu | PduError)


@given(st.lists(pdus, max_size=6), st.binary(max_size=40), st.lists(pdus, max_size=3))
def test_fuzz_garbage_between_valid_pdus(before, garbage, after):
    conn = Connection(Role.ESME)
    wire = b"".join(map(encode, before)) + garbage + b"".join(map(encode, after))
    events = conn.receive_data(wire)
    assert all(isinstance(event, Pdu | PduError) for event in events)
    assert len(events) >= len(before)


# Sequence numbers.


def test_sequence_numbers_are_assigned_to_requests():
    conn = bound_esme()  # the bind took 1
    first = decode(conn.send(SubmitSm(destination_addr="1")))
    second = decode(conn.send(EnquireLink()))
    assert (first.sequence_number, second.sequence_number) == (2, 3)
    assert conn.next_sequence() == 4


def test_an_explicit_sequence_number_is_kept():
    conn = bound_esme()
    assert decode(conn.send(SubmitSm(sequence_number=77))).sequence_number == 77


def test_responses_keep_their_sequence_number_even_zero():
    conn = bound_esme()
    assert decode(conn.send(GenericNack(command_status=S.ESME_RINVCMDLEN))).sequence_number == 0
    assert decode(conn.send(EnquireLinkResp(sequence_number=12))).sequence_number == 12


def test_sequence_numbers_wrap_to_one():
    conn = Connection(Role.ESME)
    conn._sequence = MAX_SEQUENCE_NUMBER - 1
    assert [conn.next_sequence() for _ in range(3)] == [MAX_SEQUENCE_NUMBER, 1, 2]


# Bind state, ESME side.


@pytest.mark.parametrize(
    ("bind", "expected"),
    [
        (BindTransmitter(), SessionState.BOUND_TX),
        (BindReceiver(), SessionState.BOUND_RX),
        (BindTransceiver(), SessionState.BOUND_TRX),
    ],
)
def test_esme_binds(bind, expected):
    assert bound_esme(bind).state is expected


def test_failed_bind_stays_open_and_may_be_retried():
    conn = Connection(Role.ESME)
    conn.send(BindTransceiver(system_id="esme1", password="wrong"))
    [resp] = conn.receive_data(encode(BindTransceiverResp(sequence_number=1, command_status=S.ESME_RBINDFAIL)))
    assert resp.command_status == S.ESME_RBINDFAIL
    assert state(conn) is SessionState.OPEN
    conn.send(BindTransceiver(system_id="esme1", password="secret"))
    conn.receive_data(encode(BindTransceiverResp(sequence_number=2)))
    assert state(conn) is SessionState.BOUND_TRX


def test_generic_nack_of_a_bind_allows_a_retry():
    conn = Connection(Role.ESME)
    conn.send(BindTransceiver())
    conn.receive_data(encode(GenericNack(sequence_number=1, command_status=S.ESME_RINVCMDLEN)))
    conn.send(BindTransceiver())


def test_second_bind_while_binding_is_refused():
    conn = Connection(Role.ESME)
    conn.send(BindTransceiver())
    with pytest.raises(ProtocolStateError, match="already bound or binding"):
        conn.send(BindTransmitter())


def test_submit_before_bind_is_refused_with_a_hint():
    conn = Connection(Role.ESME)
    with pytest.raises(ProtocolStateError, match=r"submit_sm needs a BOUND_TRX or BOUND_TX session.*bind first"):
        conn.send(SubmitSm())


def test_receiver_may_not_submit():
    conn = bound_esme(BindReceiver())
    with pytest.raises(ProtocolStateError, match="submit_sm"):
        conn.send(SubmitSm())
    with pytest.raises(ProtocolStateError):
        conn.send(QuerySm())


def test_esme_may_not_send_smsc_pdus():
    conn = bound_esme()
    with pytest.raises(ProtocolStateError, match="deliver_sm is not sent by the ESME"):
        conn.send(DeliverSm())
    with pytest.raises(ProtocolStateError):
        conn.send(Outbind())


def test_an_encoding_error_leaves_the_state_alone():
    conn = Connection(Role.ESME)
    with pytest.raises(PduEncodeError):
        conn.send(BindTransceiver(system_id="x" * 40))
    conn.send(BindTransceiver())  # not "already binding"


def test_esme_receives_deliver_sm_and_answers():
    conn = bound_esme()
    dlr = DeliverSm(sequence_number=40, esm_class=4)
    assert conn.receive_data(encode(dlr)) == [dlr]
    assert decode(conn.send(dlr.response())) == DeliverSmResp(sequence_number=40)


def test_esme_gets_unexpected_pdus_as_events():
    conn = bound_esme(BindTransmitter())
    submit = SubmitSm(sequence_number=3)
    deliver = DeliverSm(sequence_number=4)
    events = conn.receive_data(encode(submit) + encode(deliver))
    assert isinstance(events[0], UnexpectedPduError)
    assert events[0].pdu == submit
    assert events[0].command_status == S.ESME_RINVCMDID
    assert isinstance(events[1], UnexpectedPduError)
    assert events[1].command_status == S.ESME_RINVBNDSTS  # deliver_sm to a transmitter
    assert error_response(events[1]) == DeliverSmResp(sequence_number=4, command_status=S.ESME_RINVBNDSTS)


def test_outbind_is_received_by_an_open_esme():
    conn = Connection(Role.ESME)
    outbind = Outbind(sequence_number=1, system_id="SMSC")
    assert conn.receive_data(encode(outbind)) == [outbind]
    conn.send(BindReceiver())


def test_enquire_link_in_any_state_but_closed():
    conn = Connection(Role.ESME)
    conn.send(EnquireLink())
    assert conn.receive_data(encode(EnquireLink(sequence_number=5))) == [EnquireLink(sequence_number=5)]


# Unbind and close.


def test_esme_unbinds():
    conn = bound_esme()
    sent = decode(conn.send(Unbind()))
    assert state(conn) is SessionState.BOUND_TRX
    conn.receive_data(encode(UnbindResp(sequence_number=sent.sequence_number)))
    assert state(conn) is SessionState.UNBOUND
    with pytest.raises(ProtocolStateError, match="UNBOUND"):
        conn.send(SubmitSm())


def test_peer_unbinds():
    conn = bound_esme()
    [unbind] = conn.receive_data(encode(Unbind(sequence_number=9)))
    assert isinstance(unbind, Unbind)
    conn.send(unbind.response())
    assert state(conn) is SessionState.UNBOUND


def test_a_stray_unbind_resp_does_not_unbind():
    conn = bound_esme()
    conn.receive_data(encode(UnbindResp(sequence_number=9)))
    assert state(conn) is SessionState.BOUND_TRX


def test_unbind_before_bind_is_refused():
    with pytest.raises(ProtocolStateError):
        Connection(Role.ESME).send(Unbind())


def test_closed_connection():
    conn = bound_esme()
    conn.close()
    assert state(conn) is SessionState.CLOSED
    with pytest.raises(ProtocolStateError, match="closed"):
        conn.send(EnquireLink())
    with pytest.raises(ProtocolStateError, match="closed"):
        conn.receive_data(b"")


# SMSC side.


def test_smsc_accepts_a_bind():
    assert state(bound_smsc()) is SessionState.BOUND_TRX


def test_smsc_refuses_a_bind():
    conn = Connection(Role.SMSC)
    [bind] = conn.receive_data(encode(BindTransmitter(sequence_number=1, password="wrong")))
    assert isinstance(bind, BindTransmitter)
    conn.send(bind.response(command_status=S.ESME_RBINDFAIL))
    assert state(conn) is SessionState.OPEN


def test_smsc_gets_submit_before_bind_as_an_event():
    conn = Connection(Role.SMSC)
    [event] = conn.receive_data(encode(SubmitSm(sequence_number=3)))
    assert isinstance(event, UnexpectedPduError)
    assert error_response(event) == SubmitSmResp(sequence_number=3, command_status=S.ESME_RINVBNDSTS)


def test_smsc_gets_a_second_bind_as_already_bound():
    conn = bound_smsc()
    [event] = conn.receive_data(encode(BindTransceiver(sequence_number=2)))
    assert isinstance(event, UnexpectedPduError)
    assert event.command_status == S.ESME_RALYBND
    assert error_response(event) == BindTransceiverResp(sequence_number=2, command_status=S.ESME_RALYBND)


def test_smsc_may_not_accept_a_bind_nobody_sent():
    conn = Connection(Role.SMSC)
    with pytest.raises(ProtocolStateError, match="no bind_transceiver with sequence_number 1 is waiting"):
        conn.send(BindTransceiverResp(sequence_number=1))
    conn.receive_data(encode(BindTransceiver(sequence_number=2)))
    with pytest.raises(ProtocolStateError):
        conn.send(BindTransceiverResp(sequence_number=3))


def test_smsc_answers_a_malformed_bind_with_an_error_bind_resp():
    conn = Connection(Role.SMSC)
    bad = bytes.fromhex("00000020 00000009 00000000 00000004") + b"esme1\0" + b"p" * 9 + b"\0"
    [error] = conn.receive_data(bad)
    assert isinstance(error, PduError)
    assert error.command_status == S.ESME_RINVPASWD
    response = error_response(error)
    assert response == BindTransceiverResp(sequence_number=4, command_status=S.ESME_RINVPASWD)
    conn.send(response)
    assert state(conn) is SessionState.OPEN


def test_smsc_refuses_a_second_bind_while_the_first_is_pending():
    conn = Connection(Role.SMSC)
    first = BindTransceiver(sequence_number=1)
    conn.receive_data(encode(first))
    [second] = conn.receive_data(encode(BindTransceiver(sequence_number=2)))
    assert isinstance(second, UnexpectedPduError)
    assert second.command_status == S.ESME_RALYBND
    reply = error_response(second)
    assert reply is not None
    conn.send(reply)
    conn.send(first.response())
    assert state(conn) is SessionState.BOUND_TRX


def test_smsc_delivers_and_submits_are_answered():
    conn = bound_smsc()
    submit = SubmitSm(sequence_number=2, registered_delivery=1)
    assert conn.receive_data(encode(submit)) == [submit]
    conn.send(submit.response(message_id="1"))
    delivered = decode(conn.send(DeliverSm(esm_class=4)))
    assert delivered.sequence_number == 1
    conn.send(DataSm())
    with pytest.raises(ProtocolStateError, match="submit_sm is not sent by the SMSC"):
        conn.send(SubmitSm())
