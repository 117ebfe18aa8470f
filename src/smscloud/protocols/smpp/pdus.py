"""The SMPP 3.4 PDUs as frozen msgspec structs (built in C: ~20x faster than frozen dataclasses), one per command.

Every PDU has ``sequence_number`` and ``command_status`` (both default 0) and its mandatory fields
with the defaults a client would send; PDUs that may carry optional parameters have
``tlvs: tuple[Tlv, ...]``, kept raw and in wire order. All fields are keyword-only::

    submit = SubmitSm(destination_addr="8613800000000", short_message=b"hi", registered_delivery=1)
    resp = submit.response(message_id="4f2a")  # a SubmitSmResp with the same sequence_number

C-Octet String fields are ``str`` (decoded as Latin-1, so any byte survives a round trip); octet
fields such as ``short_message`` are ``bytes``; one-octet fields are ``int``. Field sizes are only
checked when encoding (`codec.encode`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar

import msgspec

from smscloud.protocols.smpp import tlv
from smscloud.protocols.smpp.constants import (
    ESM_CLASS_MESSAGE_TYPE_MASK,
    RESPONSE_BIT,
    SMPP_VERSION_34,
    CommandId,
    CommandStatus,
    EsmClass,
)
from smscloud.protocols.smpp.errors import PduError, TlvError, UnknownCommandError
from smscloud.protocols.smpp.text import ConcatInfo
from smscloud.protocols.smpp.tlv import NetworkErrorCode, Tlv, TlvField

__all__ = [
    "AlertNotification",
    "BindReceiver",
    "BindReceiverResp",
    "BindTransceiver",
    "BindTransceiverResp",
    "BindTransmitter",
    "BindTransmitterResp",
    "DataSm",
    "DataSmResp",
    "DeliverSm",
    "DeliverSmResp",
    "EnquireLink",
    "EnquireLinkResp",
    "GenericNack",
    "Outbind",
    "Pdu",
    "QuerySm",
    "QuerySmResp",
    "SubmitSm",
    "SubmitSmResp",
    "Unbind",
    "UnbindResp",
    "error_response",
    "header_response",
]

T = TypeVar("T")

# As plain ints: IntFlag's `&` runs in Python, and these tests run for every message.
_UDHI = int(EsmClass.UDHI)
_DELIVERY_RECEIPT = int(EsmClass.DELIVERY_RECEIPT)


class Pdu(msgspec.Struct, frozen=True, kw_only=True):
    """Base class of every PDU: the header fields other than command_length."""

    command_id: ClassVar[CommandId]
    sequence_number: int = 0
    command_status: int = 0

    @property
    def is_response(self) -> bool:
        return bool(self.command_id & RESPONSE_BIT)


# Binding (§4.1).


class _Bind(Pdu, frozen=True, kw_only=True):
    system_id: str = ""
    password: str = ""
    system_type: str = ""
    interface_version: int = SMPP_VERSION_34
    addr_ton: int = 0
    addr_npi: int = 0
    address_range: str = ""


class _BindResp(Pdu, frozen=True, kw_only=True):
    system_id: str = ""
    tlvs: tuple[Tlv, ...] = ()

    @property
    def sc_interface_version(self) -> int | None:
        """The SMSC's SMPP version (sc_interface_version TLV), when it says."""
        return _find(self, tlv.SC_INTERFACE_VERSION)


class BindTransmitterResp(_BindResp, frozen=True, kw_only=True):
    command_id = CommandId.BIND_TRANSMITTER_RESP


class BindReceiverResp(_BindResp, frozen=True, kw_only=True):
    command_id = CommandId.BIND_RECEIVER_RESP


class BindTransceiverResp(_BindResp, frozen=True, kw_only=True):
    command_id = CommandId.BIND_TRANSCEIVER_RESP


class BindTransmitter(_Bind, frozen=True, kw_only=True):
    command_id = CommandId.BIND_TRANSMITTER

    def response(
        self, *, command_status: int = 0, system_id: str = "", tlvs: tuple[Tlv, ...] = ()
    ) -> BindTransmitterResp:
        return BindTransmitterResp(
            sequence_number=self.sequence_number,
            command_status=command_status,
            system_id=system_id,
            tlvs=tlvs,
        )


class BindReceiver(_Bind, frozen=True, kw_only=True):
    command_id = CommandId.BIND_RECEIVER

    def response(self, *, command_status: int = 0, system_id: str = "", tlvs: tuple[Tlv, ...] = ()) -> BindReceiverResp:
        return BindReceiverResp(
            sequence_number=self.sequence_number,
            command_status=command_status,
            system_id=system_id,
            tlvs=tlvs,
        )


class BindTransceiver(_Bind, frozen=True, kw_only=True):
    command_id = CommandId.BIND_TRANSCEIVER

    def response(
        self, *, command_status: int = 0, system_id: str = "", tlvs: tuple[Tlv, ...] = ()
    ) -> BindTransceiverResp:
        return BindTransceiverResp(
            sequence_number=self.sequence_number,
            command_status=command_status,
            system_id=system_id,
            tlvs=tlvs,
        )


class Outbind(Pdu, frozen=True, kw_only=True):
    """Sent by an SMSC to ask a connected ESME to bind as receiver; it has no response PDU."""

    command_id = CommandId.OUTBIND
    system_id: str = ""
    password: str = ""


class AlertNotification(Pdu, frozen=True, kw_only=True):
    """Sent by an SMSC to say that a handset an ESME asked about is reachable again (§4.12); it has
    no response PDU."""

    command_id = CommandId.ALERT_NOTIFICATION
    source_addr_ton: int = 0
    source_addr_npi: int = 0
    source_addr: str = ""
    esme_addr_ton: int = 0
    esme_addr_npi: int = 0
    esme_addr: str = ""
    tlvs: tuple[Tlv, ...] = ()


class UnbindResp(Pdu, frozen=True, kw_only=True):
    command_id = CommandId.UNBIND_RESP


class Unbind(Pdu, frozen=True, kw_only=True):
    command_id = CommandId.UNBIND

    def response(self, *, command_status: int = 0) -> UnbindResp:
        return UnbindResp(sequence_number=self.sequence_number, command_status=command_status)


class EnquireLinkResp(Pdu, frozen=True, kw_only=True):
    command_id = CommandId.ENQUIRE_LINK_RESP


class EnquireLink(Pdu, frozen=True, kw_only=True):
    command_id = CommandId.ENQUIRE_LINK

    def response(self, *, command_status: int = 0) -> EnquireLinkResp:
        return EnquireLinkResp(sequence_number=self.sequence_number, command_status=command_status)


class GenericNack(Pdu, frozen=True, kw_only=True):
    """The answer to a PDU that could not be decoded (bad length, unknown command, ...)."""

    command_id = CommandId.GENERIC_NACK


# Messages (§4.4-§4.8).


class _MessageTlvs:
    """Typed views of the optional parameters of submit_sm, deliver_sm and data_sm."""

    __slots__ = ()

    if TYPE_CHECKING:
        command_id: ClassVar[CommandId]
        sequence_number: int
        command_status: int
        esm_class: int
        tlvs: tuple[Tlv, ...]

    @property
    def message_payload(self) -> bytes | None:
        return _find(self, tlv.MESSAGE_PAYLOAD)

    @property
    def receipted_message_id(self) -> str | None:
        return _find(self, tlv.RECEIPTED_MESSAGE_ID)

    @property
    def message_state(self) -> int | None:
        """The message_state TLV: compare with `MessageState` members."""
        return _find(self, tlv.MESSAGE_STATE)

    @property
    def network_error_code(self) -> NetworkErrorCode | None:
        return _find(self, tlv.NETWORK_ERROR_CODE)

    @property
    def user_message_reference(self) -> int | None:
        return _find(self, tlv.USER_MESSAGE_REFERENCE)

    @property
    def source_port(self) -> int | None:
        return _find(self, tlv.SOURCE_PORT)

    @property
    def destination_port(self) -> int | None:
        return _find(self, tlv.DESTINATION_PORT)

    @property
    def sar(self) -> ConcatInfo | None:
        """Segmentation from the sar_msg_ref_num / sar_total_segments / sar_segment_seqnum TLVs."""
        reference = _find(self, tlv.SAR_MSG_REF_NUM)
        total = _find(self, tlv.SAR_TOTAL_SEGMENTS)
        sequence = _find(self, tlv.SAR_SEGMENT_SEQNUM)
        if reference is None or total is None or sequence is None:
            return None
        return ConcatInfo(reference, total, sequence)

    @property
    def has_udh(self) -> bool:
        """esm_class has UDHI set: the message octets start with a user data header."""
        return bool(self.esm_class & _UDHI)


class _ShortMessage(Pdu, _MessageTlvs, frozen=True, kw_only=True):
    service_type: str = ""
    source_addr_ton: int = 0
    source_addr_npi: int = 0
    source_addr: str = ""
    dest_addr_ton: int = 0
    dest_addr_npi: int = 0
    destination_addr: str = ""
    esm_class: int = 0
    protocol_id: int = 0
    priority_flag: int = 0
    schedule_delivery_time: str = ""
    validity_period: str = ""
    registered_delivery: int = 0
    replace_if_present_flag: int = 0
    data_coding: int = 0
    sm_default_msg_id: int = 0
    short_message: bytes = b""
    tlvs: tuple[Tlv, ...] = ()

    @property
    def payload(self) -> bytes:
        """The message octets: the message_payload TLV when present, else short_message."""
        payload = self.message_payload
        return self.short_message if payload is None else payload


class _MessageResp(Pdu, frozen=True, kw_only=True):
    message_id: str = ""
    tlvs: tuple[Tlv, ...] = ()  # none in SMPP 3.4 for submit_sm_resp/deliver_sm_resp; some SMSCs send them


class SubmitSmResp(_MessageResp, frozen=True, kw_only=True):
    command_id = CommandId.SUBMIT_SM_RESP


class SubmitSm(_ShortMessage, frozen=True, kw_only=True):
    command_id = CommandId.SUBMIT_SM

    def response(self, *, command_status: int = 0, message_id: str = "", tlvs: tuple[Tlv, ...] = ()) -> SubmitSmResp:
        return SubmitSmResp(
            sequence_number=self.sequence_number,
            command_status=command_status,
            message_id=message_id,
            tlvs=tlvs,
        )


class DeliverSmResp(_MessageResp, frozen=True, kw_only=True):
    command_id = CommandId.DELIVER_SM_RESP


class DeliverSm(_ShortMessage, frozen=True, kw_only=True):
    command_id = CommandId.DELIVER_SM

    @property
    def is_receipt(self) -> bool:
        """esm_class says this is an SMSC delivery receipt rather than a mobile-originated message."""
        return self.esm_class & ESM_CLASS_MESSAGE_TYPE_MASK == _DELIVERY_RECEIPT

    def response(self, *, command_status: int = 0, message_id: str = "", tlvs: tuple[Tlv, ...] = ()) -> DeliverSmResp:
        return DeliverSmResp(
            sequence_number=self.sequence_number,
            command_status=command_status,
            message_id=message_id,
            tlvs=tlvs,
        )


class DataSmResp(_MessageResp, frozen=True, kw_only=True):
    command_id = CommandId.DATA_SM_RESP


class DataSm(Pdu, _MessageTlvs, frozen=True, kw_only=True):
    command_id = CommandId.DATA_SM
    service_type: str = ""
    source_addr_ton: int = 0
    source_addr_npi: int = 0
    source_addr: str = ""
    dest_addr_ton: int = 0
    dest_addr_npi: int = 0
    destination_addr: str = ""
    esm_class: int = 0
    registered_delivery: int = 0
    data_coding: int = 0
    tlvs: tuple[Tlv, ...] = ()

    @property
    def is_receipt(self) -> bool:
        """esm_class says this is an SMSC delivery receipt."""
        return self.esm_class & ESM_CLASS_MESSAGE_TYPE_MASK == _DELIVERY_RECEIPT

    @property
    def payload(self) -> bytes:
        """The message octets (the message_payload TLV), or b"" when there is none."""
        payload = self.message_payload
        return b"" if payload is None else payload

    def response(self, *, command_status: int = 0, message_id: str = "", tlvs: tuple[Tlv, ...] = ()) -> DataSmResp:
        return DataSmResp(
            sequence_number=self.sequence_number,
            command_status=command_status,
            message_id=message_id,
            tlvs=tlvs,
        )


class QuerySmResp(Pdu, frozen=True, kw_only=True):
    command_id = CommandId.QUERY_SM_RESP
    message_id: str = ""
    final_date: str = ""
    message_state: int = 0
    error_code: int = 0


class QuerySm(Pdu, frozen=True, kw_only=True):
    command_id = CommandId.QUERY_SM
    message_id: str = ""
    source_addr_ton: int = 0
    source_addr_npi: int = 0
    source_addr: str = ""

    def response(
        self, *, command_status: int = 0, final_date: str = "", message_state: int = 0, error_code: int = 0
    ) -> QuerySmResp:
        return QuerySmResp(
            sequence_number=self.sequence_number,
            command_status=command_status,
            message_id=self.message_id,
            final_date=final_date,
            message_state=message_state,
            error_code=error_code,
        )


def _find(pdu: _MessageTlvs | _BindResp, field: TlvField[T]) -> T | None:
    try:
        return field.find(pdu.tlvs)
    except TlvError as exc:
        exc.sequence_number = pdu.sequence_number
        exc.command_id = pdu.command_id
        exc.header_status = pdu.command_status
        raise


_RESPONSE_CLASSES: dict[int, type[Pdu]] = {
    CommandId.BIND_TRANSMITTER: BindTransmitterResp,
    CommandId.BIND_RECEIVER: BindReceiverResp,
    CommandId.BIND_TRANSCEIVER: BindTransceiverResp,
    CommandId.UNBIND: UnbindResp,
    CommandId.ENQUIRE_LINK: EnquireLinkResp,
    CommandId.SUBMIT_SM: SubmitSmResp,
    CommandId.DELIVER_SM: DeliverSmResp,
    CommandId.DATA_SM: DataSmResp,
    CommandId.QUERY_SM: QuerySmResp,
}


_RESPONSE_BY_ID: dict[int, type[Pdu]] = {kind.command_id: kind for kind in _RESPONSE_CLASSES.values()}
_RESPONSE_BY_ID[CommandId.GENERIC_NACK] = GenericNack


def error_response(error: PduError) -> Pdu | None:
    """The PDU that answers ``error``; None when nothing should be sent.

    * A response (a known response command_id, generic_nack included) is never answered: a
      generic_nack to it would tell the peer nothing it can act on, and two peers could nack each
      other forever. What it said is still readable from its header: `header_response`.
    * A frame whose length is impossible (fatal), whose command_id is unknown, or whose length does
      not fit its command (ESME_RINVCMDLEN: a body that ends inside a mandatory field, bytes after
      a header-only PDU) gets ``generic_nack``, as SMPP 3.4 §4.3 says for an invalid
      command_length or command_id.
    * Any other problem with a request's body gets the request's own ``*_resp`` with the error's
      status (e.g. submit_sm_resp with ESME_RINVDSTADR for an over-long address).
    """
    sequence_number = error.sequence_number or 0
    status = error.command_status or CommandStatus.ESME_RUNKNOWNERR
    command_id = error.command_id
    if command_id == CommandId.GENERIC_NACK:
        return None
    nack = GenericNack(sequence_number=sequence_number, command_status=status)
    if error.fatal or isinstance(error, UnknownCommandError) or command_id is None:
        return nack
    if command_id & RESPONSE_BIT:
        return None
    response_class = _RESPONSE_CLASSES.get(command_id)
    if response_class is None or status == CommandStatus.ESME_RINVCMDLEN:
        return nack
    return response_class(sequence_number=sequence_number, command_status=status)


def header_response(error: PduError) -> Pdu | None:
    """The response a malformed response frame stands for, read from its header alone: its class,
    sequence_number and command_status, with every body field at its default. None when ``error``
    is not about a known response whose header was readable (an impossible length makes the whole
    header suspect, so a fatal error gives None too).

    The body is lost. That is all there is to a refusal (whose body is empty anyway, §4.4.2) or to
    a header-only response, but a successful submit_sm_resp comes back without its message_id:
    the caller must not take the default "" for the SMSC's id.
    """
    if error.fatal or error.command_id is None or error.sequence_number is None or error.header_status is None:
        return None
    response_class = _RESPONSE_BY_ID.get(error.command_id)
    if response_class is None:
        return None
    return response_class(sequence_number=error.sequence_number, command_status=error.header_status)
