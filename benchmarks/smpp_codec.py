"""SMPP codec throughput, single core: encode and decode of submit_sm and deliver_sm (a receipt).

Run (after ``make dev``): ``uv run --frozen python -m benchmarks.smpp_codec [--seconds 1.0]``.

The codec carries every message twice (submit_sm out, receipt deliver_sm in) at 10k+ messages/s,
so each operation should stay within a few microseconds. Also times `Connection.receive_data` on a
100-PDU chunk, and the GSM and UCS-2 text encoders.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from smscloud.protocols.smpp import (
    MESSAGE_STATE,
    RECEIPTED_MESSAGE_ID,
    BindTransceiver,
    BindTransceiverResp,
    Connection,
    DataCoding,
    DeliverSm,
    MessageState,
    Role,
    SubmitSm,
    decode,
    decode_text,
    encode,
    encode_text,
)

TEXT = "【smscloud】Your verification code is 482913. It expires in 5 minutes. Do not share it."
GSM_TEXT = "Your verification code is 482913. It expires in 5 minutes; do not share it with anyone. Thanks!"
RECEIPT = "id:1f3a9c sub:001 dlvrd:001 submit date:2611271200 done date:2611271201 stat:DELIVRD err:000 text:"

SUBMIT = SubmitSm(
    sequence_number=12345,
    source_addr="106900001234",
    dest_addr_ton=1,
    dest_addr_npi=1,
    destination_addr="8613800138000",
    registered_delivery=1,
    data_coding=DataCoding.UCS2,
    short_message=encode_text(TEXT, DataCoding.UCS2),
)
DELIVER = DeliverSm(
    sequence_number=777,
    source_addr_ton=1,
    source_addr_npi=1,
    source_addr="8613800138000",
    destination_addr="106900001234",
    esm_class=0x04,
    short_message=RECEIPT.encode("ascii"),
    tlvs=(RECEIPTED_MESSAGE_ID.encode("1f3a9c"), MESSAGE_STATE.encode(MessageState.DELIVERED)),
)


def rate(operation: Callable[[], object], seconds: float, batch: int = 1000) -> float:
    """Calls per second of ``operation``, run in batches for at least ``seconds``."""
    done = 0
    start = time.perf_counter()
    elapsed = 0.0
    while elapsed < seconds:
        for _ in range(batch):
            operation()
        done += batch
        elapsed = time.perf_counter() - start
    return done / elapsed


def receive_100(seconds: float) -> float:
    """PDUs per second through `Connection.receive_data`, 100 receipts per chunk."""
    chunk = encode(DELIVER) * 100
    conn = Connection(Role.ESME)
    conn.send(BindTransceiver())
    conn.receive_data(encode(BindTransceiverResp(sequence_number=1)))
    return rate(lambda: conn.receive_data(chunk), seconds, batch=10) * 100


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=1.0, help="time per case")
    args = parser.parse_args(argv)
    submit_frame = encode(SUBMIT)
    deliver_frame = encode(DELIVER)
    gsm_bytes = encode_text(GSM_TEXT, DataCoding.DEFAULT)
    assert decode(submit_frame) == SUBMIT
    assert decode(deliver_frame) == DELIVER
    cases: list[tuple[str, Callable[[], object]]] = [
        (f"encode submit_sm ({len(submit_frame)} B)", lambda: encode(SUBMIT)),
        (f"decode submit_sm ({len(submit_frame)} B)", lambda: decode(submit_frame)),
        (f"encode deliver_sm receipt ({len(deliver_frame)} B)", lambda: encode(DELIVER)),
        (f"decode deliver_sm receipt ({len(deliver_frame)} B)", lambda: decode(deliver_frame)),
        (f"encode_text GSM-7 ({len(GSM_TEXT)} chars)", lambda: encode_text(GSM_TEXT, DataCoding.DEFAULT)),
        (f"decode_text GSM-7 ({len(GSM_TEXT)} chars)", lambda: decode_text(gsm_bytes, DataCoding.DEFAULT)),
        (f"encode_text UCS-2 ({len(TEXT)} chars)", lambda: encode_text(TEXT, DataCoding.UCS2)),
    ]
    print(f"{'case':<44} {'ops/s':>12} {'us/op':>8}")
    for name, operation in cases:
        ops = rate(operation, args.seconds)
        print(f"{name:<44} {ops:>12,.0f} {1e6 / ops:>8.2f}")
    ops = receive_100(args.seconds)
    print(f"{'Connection.receive_data, 100 receipts/chunk':<44} {ops:>12,.0f} {1e6 / ops:>8.2f}")


if __name__ == "__main__":
    main()
