"""How a carrier writes the ids of its messages, so that a receipt finds the message it is about.

An SMSC gives each accepted submit_sm an id (its submit_sm_resp's message_id) and names the same
id in that message's delivery receipt. Many write it the same way both times; some do not: the
response in hexadecimal and the receipt in decimal (or the reverse), or hex digits in another
case or with leading zeros. Each carrier says which (`ReceiptIds`), and both ids are brought to
one form before they are stored or matched: for the numeric forms, the number in decimal.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ReceiptIds", "receipt_form", "submitted_form"]


class ReceiptIds(StrEnum):
    AS_SENT = "as-sent"  # the same text both times (SMPP 3.4's intent; most SMSCs)
    CASELESS = "caseless"  # the same text but for letter case
    HEX = "hex"  # hexadecimal both times, in any case and with any leading zeros
    HEX_THEN_DECIMAL = "hex-then-decimal"  # the response in hexadecimal, the receipt in decimal
    DECIMAL_THEN_HEX = "decimal-then-hex"  # the response in decimal, the receipt in hexadecimal


_DIGITS = {10: frozenset("0123456789"), 16: frozenset("0123456789abcdefABCDEF")}


def _number(text: str, base: int) -> str:
    """`text` read in `base`, in decimal; `text` itself when it is not only digits of that base
    (no sign, spaces, underscores or 0x: Python's int() would take those)."""
    if not text or not set(text) <= _DIGITS[base]:
        return text
    return str(int(text, base))


# The base each id is written in, (submit_sm_resp, receipt); None: text, compared as it is.
_BASES: dict[ReceiptIds, tuple[int | None, int | None]] = {
    ReceiptIds.AS_SENT: (None, None),
    ReceiptIds.CASELESS: (None, None),
    ReceiptIds.HEX: (16, 16),
    ReceiptIds.HEX_THEN_DECIMAL: (16, 10),
    ReceiptIds.DECIMAL_THEN_HEX: (10, 16),
}


def _form(ids: ReceiptIds, message_id: str, base: int | None) -> str:
    if base is not None:
        return _number(message_id, base)
    return message_id.lower() if ids is ReceiptIds.CASELESS else message_id


def submitted_form(ids: ReceiptIds, message_id: str) -> str:
    """The form a submit_sm_resp's message_id is stored in."""
    return _form(ids, message_id, _BASES[ids][0])


def receipt_form(ids: ReceiptIds, message_id: str) -> str:
    """The form a receipt's id is matched in (the same as `submitted_form` of the same message)."""
    return _form(ids, message_id, _BASES[ids][1])
