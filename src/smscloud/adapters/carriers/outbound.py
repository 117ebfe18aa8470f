"""A claimed message as the submit_sm PDUs that carry it: alphabet, parts, UDH, addresses."""

from __future__ import annotations

from smscloud.domain.carriers.model import Carrier
from smscloud.domain.messages.model import OutboundMessage
from smscloud.domain.messages.segments import Alphabet, segment
from smscloud.protocols.smpp import (
    DataCoding,
    EsmClass,
    Npi,
    RegisteredDelivery,
    SubmitSm,
    Ton,
    build_concat_udh,
    encode_text,
)

__all__ = ["build_submits"]


_ALPHANUMERIC = int(Ton.ALPHANUMERIC)
_UNKNOWN_TON = int(Ton.UNKNOWN)
_UNKNOWN_NPI = int(Npi.UNKNOWN)
_INTERNATIONAL = int(Ton.INTERNATIONAL)
_ISDN = int(Npi.ISDN)
_RECEIPT = int(RegisteredDelivery.SMSC_RECEIPT)
_UDHI = int(EsmClass.UDHI)
_CODING = {Alphabet.UCS2.value: int(DataCoding.UCS2), Alphabet.GSM7.value: int(DataCoding.DEFAULT)}


def _source(message: OutboundMessage, carrier: Carrier) -> tuple[str, int, int]:
    """(source_addr, ton, npi): the carrier's long number plus the extension code, or a Sender ID."""
    if message.international and message.sender_id:
        return message.sender_id[:11], _ALPHANUMERIC, _UNKNOWN_NPI
    number = (carrier.source_addr + message.extend_code)[:20]
    return number, _UNKNOWN_TON, _UNKNOWN_NPI


def build_submits(message: OutboundMessage, carrier: Carrier, *, reference: int) -> list[SubmitSm]:
    """One submit_sm per segment; a long message's parts carry a concatenation UDH (`reference`).

    The alphabet and the number of segments were decided, and billed, at acceptance; a message
    that fits one segment (nearly all) is encoded without splitting again.
    """
    data_coding = _CODING[message.alphabet]
    source, source_ton, source_npi = _source(message, carrier)
    destination = message.phone.removeprefix("+")

    def submit(short_message: bytes, esm_class: int = 0) -> SubmitSm:
        return SubmitSm(
            source_addr=source,
            source_addr_ton=source_ton,
            source_addr_npi=source_npi,
            destination_addr=destination,
            dest_addr_ton=_INTERNATIONAL,
            dest_addr_npi=_ISDN,
            esm_class=esm_class,
            registered_delivery=_RECEIPT,
            data_coding=data_coding,
            short_message=short_message,
        )

    if message.segments == 1:
        return [submit(encode_text(message.content, data_coding))]
    parts = segment(message.content, Alphabet(message.alphabet)).parts
    return [
        submit(build_concat_udh(reference & 0xFF, len(parts), seq) + encode_text(part, data_coding), _UDHI)
        for seq, part in enumerate(parts, start=1)
    ]
