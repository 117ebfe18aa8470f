"""Hypothesis strategies for valid SMPP 3.4 PDUs (every field within its wire limits)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from smscloud.protocols.smpp import (
    AlertNotification,
    BindReceiver,
    BindReceiverResp,
    BindTransceiver,
    BindTransceiverResp,
    BindTransmitter,
    BindTransmitterResp,
    DataSm,
    DataSmResp,
    DeliverSm,
    DeliverSmResp,
    EnquireLink,
    EnquireLinkResp,
    GenericNack,
    Outbind,
    Pdu,
    QuerySm,
    QuerySmResp,
    SubmitSm,
    SubmitSmResp,
    Tag,
    Tlv,
    Unbind,
    UnbindResp,
)

u8 = st.integers(0, 0xFF)
u32 = st.integers(0, 0xFFFFFFFF)
sequence_numbers = st.one_of(st.integers(0, 0x7FFFFFFF), u32)


def c_strings(max_size: int) -> st.SearchStrategy[str]:
    """C-Octet String values that fit a field of ``max_size`` bytes (NUL included)."""
    return st.text(st.characters(min_codepoint=1, max_codepoint=0xFF), max_size=max_size - 1)


tags = st.one_of(st.sampled_from(list(Tag)), st.integers(0, 0xFFFF))
tlv_values = st.binary(max_size=64)
tlvs_strategy = st.lists(st.builds(Tlv, tags, tlv_values), max_size=4).map(tuple)


def _header() -> dict[str, Any]:
    return {"sequence_number": sequence_numbers, "command_status": u32}


def _bind(cls: type[Pdu]) -> st.SearchStrategy[Pdu]:
    return st.builds(
        cls,
        **_header(),
        system_id=c_strings(16),
        password=c_strings(9),
        system_type=c_strings(13),
        interface_version=u8,
        addr_ton=u8,
        addr_npi=u8,
        address_range=c_strings(41),
    )


def _bind_resp(cls: type[Pdu]) -> st.SearchStrategy[Pdu]:
    return st.builds(cls, **_header(), system_id=c_strings(16), tlvs=tlvs_strategy)


def _message_resp(cls: type[Pdu]) -> st.SearchStrategy[Pdu]:
    return st.builds(cls, **_header(), message_id=c_strings(65), tlvs=tlvs_strategy)


def _short_message(cls: type[Pdu]) -> st.SearchStrategy[Pdu]:
    return st.builds(
        cls,
        **_header(),
        service_type=c_strings(6),
        source_addr_ton=u8,
        source_addr_npi=u8,
        source_addr=c_strings(21),
        dest_addr_ton=u8,
        dest_addr_npi=u8,
        destination_addr=c_strings(21),
        esm_class=u8,
        protocol_id=u8,
        priority_flag=u8,
        schedule_delivery_time=c_strings(17),
        validity_period=c_strings(17),
        registered_delivery=u8,
        replace_if_present_flag=u8,
        data_coding=u8,
        sm_default_msg_id=u8,
        short_message=st.binary(max_size=254),
        tlvs=tlvs_strategy,
    )


PDU_STRATEGIES: dict[type[Pdu], st.SearchStrategy[Pdu]] = {
    BindTransmitter: _bind(BindTransmitter),
    BindReceiver: _bind(BindReceiver),
    BindTransceiver: _bind(BindTransceiver),
    BindTransmitterResp: _bind_resp(BindTransmitterResp),
    BindReceiverResp: _bind_resp(BindReceiverResp),
    BindTransceiverResp: _bind_resp(BindTransceiverResp),
    Outbind: st.builds(Outbind, **_header(), system_id=c_strings(16), password=c_strings(9)),
    AlertNotification: st.builds(
        AlertNotification,
        **_header(),
        source_addr_ton=u8,
        source_addr_npi=u8,
        source_addr=c_strings(65),
        esme_addr_ton=u8,
        esme_addr_npi=u8,
        esme_addr=c_strings(65),
        tlvs=tlvs_strategy,
    ),
    Unbind: st.builds(Unbind, **_header()),
    UnbindResp: st.builds(UnbindResp, **_header()),
    EnquireLink: st.builds(EnquireLink, **_header()),
    EnquireLinkResp: st.builds(EnquireLinkResp, **_header()),
    GenericNack: st.builds(GenericNack, **_header()),
    SubmitSm: _short_message(SubmitSm),
    SubmitSmResp: _message_resp(SubmitSmResp),
    DeliverSm: _short_message(DeliverSm),
    DeliverSmResp: _message_resp(DeliverSmResp),
    DataSm: st.builds(
        DataSm,
        **_header(),
        service_type=c_strings(6),
        source_addr_ton=u8,
        source_addr_npi=u8,
        source_addr=c_strings(65),
        dest_addr_ton=u8,
        dest_addr_npi=u8,
        destination_addr=c_strings(65),
        esm_class=u8,
        registered_delivery=u8,
        data_coding=u8,
        tlvs=tlvs_strategy,
    ),
    DataSmResp: _message_resp(DataSmResp),
    QuerySm: st.builds(
        QuerySm,
        **_header(),
        message_id=c_strings(65),
        source_addr_ton=u8,
        source_addr_npi=u8,
        source_addr=c_strings(21),
    ),
    QuerySmResp: st.builds(
        QuerySmResp,
        **_header(),
        message_id=c_strings(65),
        final_date=c_strings(17),
        message_state=u8,
        error_code=u8,
    ),
}

pdus = st.one_of(*PDU_STRATEGIES.values())
