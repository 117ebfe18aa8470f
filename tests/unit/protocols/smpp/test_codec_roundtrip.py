"""Property tests: every PDU type survives encode -> decode, and its bytes are stable."""

from __future__ import annotations

from operator import attrgetter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smscloud.protocols.smpp import codec, decode, encode, frame_length, pdus
from tests.unit.protocols.smpp.strategies import PDU_STRATEGIES

PDU_CLASSES = sorted(PDU_STRATEGIES, key=attrgetter("__name__"))


def test_every_pdu_class_has_a_strategy():
    classes = {getattr(pdus, name) for name in pdus.__all__ if name not in ("Pdu", "error_response", "header_response")}
    assert classes == set(PDU_STRATEGIES)


def test_every_pdu_class_has_an_encoder_and_a_decoder():
    assert set(codec._ENCODERS) == set(PDU_STRATEGIES)
    assert {cls.command_id for cls in PDU_STRATEGIES} == set(codec._DECODERS)


@pytest.mark.parametrize("cls", PDU_CLASSES)
@given(data=st.data())
def test_round_trip(cls, data):
    pdu = data.draw(PDU_STRATEGIES[cls])
    frame = encode(pdu)
    assert frame_length(frame) == len(frame)
    decoded = decode(frame)
    assert type(decoded) is cls
    assert decoded == pdu
    assert encode(decoded) == frame


@pytest.mark.parametrize("cls", PDU_CLASSES)
@given(data=st.data())
def test_request_response_keeps_the_sequence_number(cls, data):
    pdu = data.draw(PDU_STRATEGIES[cls])
    response = getattr(pdu, "response", None)
    if response is None:
        return
    answer = response(command_status=0x58)
    assert answer.is_response
    assert answer.command_id == pdu.command_id | 0x80000000
    assert answer.sequence_number == pdu.sequence_number
    assert decode(encode(answer)) == answer
