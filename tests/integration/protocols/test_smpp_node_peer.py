"""Our SMPP codec and session against an independent implementation: node-smpp as the SMSC.

The test moves bytes with a plain blocking socket (the codec itself does no I/O), and checks what
node-smpp decoded from our PDUs through the JSON lines its SMSC prints.
"""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Callable

import msgspec
import pytest

from smscloud.protocols.smpp import (
    MESSAGE_PAYLOAD,
    SAR_MSG_REF_NUM,
    SAR_SEGMENT_SEQNUM,
    SAR_TOTAL_SEGMENTS,
    BindTransceiver,
    BindTransceiverResp,
    CommandStatus,
    Connection,
    DataCoding,
    DeliverSm,
    EnquireLink,
    EnquireLinkResp,
    EsmClass,
    Event,
    GenericNack,
    MessageState,
    Pdu,
    RegisteredDelivery,
    Role,
    SessionState,
    SubmitSm,
    SubmitSmResp,
    Ton,
    Unbind,
    UnbindResp,
    build_concat_udh,
    decode_text,
    encode_text,
    parse_receipt,
)
from tests.peers.node_smsc import NodeSmsc, node_smsc_fixture

pytestmark = pytest.mark.integration

node_smsc = node_smsc_fixture()


class Esme:
    """A blocking-socket ESME: the test moves bytes, `Connection` does the protocol."""

    def __init__(self, address: tuple[str, int]) -> None:
        self.sock = socket.create_connection(address, timeout=10)
        self.conn = Connection(Role.ESME)
        self.inbox: list[Event] = []
        self.peer_closed = False

    def send(self, pdu: Pdu) -> int:
        if not pdu.is_response and pdu.sequence_number == 0:
            pdu = msgspec.structs.replace(pdu, sequence_number=self.conn.next_sequence())
        self.sock.sendall(self.conn.send(pdu))
        return pdu.sequence_number

    def receive(self, predicate: Callable[[Event], bool], *, timeout: float = 10.0) -> Event:
        deadline = time.monotonic() + timeout
        while True:
            for index, event in enumerate(self.inbox):
                if predicate(event):
                    return self.inbox.pop(index)
            if self.peer_closed:
                raise AssertionError(f"the peer closed the connection; unclaimed events {self.inbox!r}")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"nothing matching arrived in {timeout} s; unclaimed events {self.inbox!r}")
            self.sock.settimeout(remaining)
            data = self.sock.recv(65536)
            if not data:
                self.peer_closed = True
            self.inbox.extend(self.conn.receive_data(data))

    def response_to(self, sequence_number: int) -> Pdu:
        event = self.receive(lambda e: isinstance(e, Pdu) and e.is_response and e.sequence_number == sequence_number)
        assert isinstance(event, Pdu)
        return event

    def bind(self, password: str) -> Pdu:
        seq = self.send(BindTransceiver(system_id="esme1", password=password))
        return self.response_to(seq)

    def state(self) -> SessionState:
        return self.conn.state

    def close(self) -> None:
        self.sock.close()
        self.conn.close()


@pytest.fixture
def esme(node_smsc: NodeSmsc):
    client = Esme(node_smsc.address)
    yield client
    client.close()


def test_bind_with_a_wrong_password_is_refused(esme: Esme, node_smsc: NodeSmsc):
    response = esme.bind("wrong")
    assert response == BindTransceiverResp(sequence_number=1, command_status=CommandStatus.ESME_RBINDFAIL)
    assert esme.state() is SessionState.OPEN
    assert node_smsc.wait_for_pdu("bind_transceiver", system_id="esme1")["command_status"] == 0


def test_unknown_command_gets_a_generic_nack(esme: Esme):
    esme.bind("secret")
    esme.sock.sendall(struct.pack(">IIII", 16, 0x00000099, 0, 4242))
    nack = esme.response_to(4242)
    assert nack == GenericNack(sequence_number=4242, command_status=CommandStatus.ESME_RINVCMDID)


GSM_TEXT = "Hello @£$ €{}[]~\\^| ÄÖÑÜ§ ok"
UCS2_TEXT = "验证码 123456，请勿泄露 😀"
LONG_PARTS = ["Part one of a long message, " * 2, "and part two: 你好 😀"]


def submit(destination: str, text: str, data_coding: int, **fields) -> SubmitSm:
    return SubmitSm(
        source_addr="smscloud",
        source_addr_ton=Ton.ALPHANUMERIC,
        dest_addr_ton=Ton.INTERNATIONAL,
        dest_addr_npi=1,
        destination_addr=destination,
        registered_delivery=RegisteredDelivery.SMSC_RECEIPT,
        data_coding=data_coding,
        short_message=encode_text(text, data_coding),
        **fields,
    )


def test_a_whole_session_against_node_smpp(esme: Esme, node_smsc: NodeSmsc):
    # bind
    bind_resp = esme.bind("secret")
    assert bind_resp == BindTransceiverResp(sequence_number=1, system_id="NODESMSC")
    assert esme.state() is SessionState.BOUND_TRX

    message_ids: dict[str, str] = {}

    # GSM-7 with extension characters
    gsm = submit("8613800000001", GSM_TEXT, DataCoding.DEFAULT)
    resp = esme.response_to(esme.send(gsm))
    assert isinstance(resp, SubmitSmResp)
    assert resp.command_status == 0
    message_ids[resp.message_id] = "gsm"
    seen = node_smsc.wait_for_pdu("submit_sm", destination_addr="8613800000001")
    assert seen["data_coding"] == 0
    assert seen["esm_class"] == 0
    assert seen["registered_delivery"] == 1
    assert (seen["source_addr"], seen["source_addr_ton"], seen["dest_addr_ton"]) == ("smscloud", 5, 1)
    assert seen["short_message_hex"] == gsm.short_message.hex()
    assert seen["message"] == GSM_TEXT  # node-smpp's own GSM 03.38 decoder

    # UCS-2 with an emoji (a surrogate pair)
    ucs2 = submit("8613800000002", UCS2_TEXT, DataCoding.UCS2)
    resp = esme.response_to(esme.send(ucs2))
    assert isinstance(resp, SubmitSmResp)
    message_ids[resp.message_id] = "ucs2"
    seen = node_smsc.wait_for_pdu("submit_sm", destination_addr="8613800000002")
    assert seen["data_coding"] == 8
    assert seen["short_message_hex"] == ucs2.short_message.hex()
    assert seen["message"] == UCS2_TEXT

    # a two-part concatenated message with a UDH
    for index, part in enumerate(LONG_PARTS, start=1):
        udh = build_concat_udh(0x42, len(LONG_PARTS), index)
        pdu = msgspec.structs.replace(
            submit("8613800000003", part, DataCoding.UCS2, esm_class=EsmClass.UDHI),
            short_message=udh + encode_text(part, DataCoding.UCS2),
        )
        resp = esme.response_to(esme.send(pdu))
        assert isinstance(resp, SubmitSmResp)
        message_ids[resp.message_id] = f"part{index}"
    parts = [
        record
        for record in node_smsc.records()
        if record.get("pdu") == "submit_sm" and record["destination_addr"] == "8613800000003"
    ]
    assert [p["esm_class"] for p in parts] == [0x40, 0x40]
    assert [p["udh_hex"] for p in parts] == [["00034202" + "01"], ["00034202" + "02"]]
    assert "".join(p["message"] for p in parts) == "".join(LONG_PARTS)

    # message_payload and SAR TLVs, no receipt asked
    payload_text = "A message in message_payload " * 10
    tlv_submit = SubmitSm(
        source_addr="smscloud",
        destination_addr="8613800000004",
        data_coding=DataCoding.LATIN_1,
        tlvs=(
            MESSAGE_PAYLOAD.encode(encode_text(payload_text, DataCoding.LATIN_1)),
            SAR_MSG_REF_NUM.encode(0x1234),
            SAR_TOTAL_SEGMENTS.encode(1),
            SAR_SEGMENT_SEQNUM.encode(1),
        ),
    )
    resp = esme.response_to(esme.send(tlv_submit))
    assert resp.command_status == 0
    seen = node_smsc.wait_for_pdu("submit_sm", destination_addr="8613800000004")
    assert seen["tlvs"] == ["message_payload", "sar_msg_ref_num", "sar_segment_seqnum", "sar_total_segments"]
    assert seen["message_payload_hex"] == payload_text.encode("latin-1").hex()
    assert (seen["sar_msg_ref_num"], seen["sar_total_segments"], seen["sar_segment_seqnum"]) == (0x1234, 1, 1)

    # the receipts: one per submit with registered_delivery, answered with deliver_sm_resp
    receipts: dict[str, MessageState] = {}
    while len(receipts) < len(message_ids):
        dlr = esme.receive(lambda e: isinstance(e, DeliverSm))
        assert isinstance(dlr, DeliverSm)
        assert dlr.is_receipt
        assert dlr.receipted_message_id in message_ids
        assert dlr.message_state == MessageState.DELIVERED
        receipt = parse_receipt(decode_text(dlr.payload, dlr.data_coding))
        assert receipt is not None
        assert receipt.message_id == dlr.receipted_message_id
        assert receipt.stat == "DELIVRD"
        assert len(receipt.submit_date) == 10
        receipts[receipt.message_id] = receipt.message_state or MessageState.UNKNOWN
        esme.send(dlr.response())
    assert set(receipts) == set(message_ids)
    acks = node_smsc.wait_for_count("deliver_sm_resp", len(message_ids))
    assert all(record["command_status"] == 0 for record in acks)

    # enquire_link
    seq = esme.send(EnquireLink())
    assert esme.response_to(seq) == EnquireLinkResp(sequence_number=seq)

    # unbind
    seq = esme.send(Unbind())
    assert esme.response_to(seq) == UnbindResp(sequence_number=seq)
    assert esme.state() is SessionState.UNBOUND
    assert node_smsc.wait_for_pdu("unbind")["sequence_number"] == seq
    assert esme.inbox == []
