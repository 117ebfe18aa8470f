"""A claimed message as the submit_sm PDUs that carry it: alphabet, parts, UDH, addresses."""

from __future__ import annotations

from smscloud.domain.carriers.model import Carrier
from smscloud.domain.messages.model import OutboundMessage
from smscloud.domain.messages.segments import Alphabet, segment_for_destination
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


def _source(message: OutboundMessage, carrier: Carrier) -> tuple[str, int, int]:
    """(source_addr, ton, npi): the carrier's long number plus the extension code, or a Sender ID."""
    if message.international and message.sender_id:
        return message.sender_id[:11], Ton.ALPHANUMERIC, Npi.UNKNOWN
    number = (carrier.source_addr + message.extend_code)[:20]
    return number, Ton.UNKNOWN, Npi.UNKNOWN


def build_submits(message: OutboundMessage, carrier: Carrier, *, reference: int) -> list[SubmitSm]:
    """One submit_sm per segment; a long message's parts carry a concatenation UDH (`reference`)."""
    segmentation = segment_for_destination(message.content, domestic=not message.international)
    data_coding = DataCoding.UCS2 if segmentation.alphabet is Alphabet.UCS2 else DataCoding.DEFAULT
    source, source_ton, source_npi = _source(message, carrier)

    def submit(short_message: bytes, esm_class: int = 0) -> SubmitSm:
        return SubmitSm(
            source_addr=source,
            source_addr_ton=int(source_ton),
            source_addr_npi=int(source_npi),
            destination_addr=message.phone.removeprefix("+"),
            dest_addr_ton=int(Ton.INTERNATIONAL),
            dest_addr_npi=int(Npi.ISDN),
            esm_class=esm_class,
            registered_delivery=int(RegisteredDelivery.SMSC_RECEIPT),
            data_coding=int(data_coding),
            short_message=short_message,
        )

    if segmentation.segments == 1:
        return [submit(encode_text(message.content, data_coding))]
    total = len(segmentation.parts)
    return [
        submit(
            build_concat_udh(reference & 0xFF, total, seq) + encode_text(part, data_coding),
            int(EsmClass.UDHI),
        )
        for seq, part in enumerate(segmentation.parts, start=1)
    ]
