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


def submitted_form(ids: ReceiptIds, message_id: str) -> str:
    """The form a submit_sm_resp's message_id is stored in."""
    if ids is ReceiptIds.CASELESS:
        return message_id.lower()
    if ids in (ReceiptIds.HEX, ReceiptIds.HEX_THEN_DECIMAL):
        return _number(message_id, 16)
    if ids is ReceiptIds.DECIMAL_THEN_HEX:
        return _number(message_id, 10)
    return message_id


def receipt_form(ids: ReceiptIds, message_id: str) -> str:
    """The form a receipt's id is matched in (the same as `submitted_form` of the same message)."""
    if ids is ReceiptIds.CASELESS:
        return message_id.lower()
    if ids in (ReceiptIds.HEX, ReceiptIds.DECIMAL_THEN_HEX):
        return _number(message_id, 16)
    if ids is ReceiptIds.HEX_THEN_DECIMAL:
        return _number(message_id, 10)
    return message_id
