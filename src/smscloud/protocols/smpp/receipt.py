"""The delivery receipt text that SMSCs put in a deliver_sm's short_message (SMPP 3.4 appendix B)::

    id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:...

The format is informative, not normative, and carriers bend it: keys in another order or case,
``submit_date``, dates with seconds, no ``text``, extra vendor keys, hex or decimal ids. The parser
takes all of that; values stay strings (an id ``0A1F`` is not the number 0A1F, and the receipt's
dates carry no time zone), with helpers to interpret them.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

import msgspec

from smscloud.protocols.smpp.constants import MessageState

__all__ = [
    "STAT_BY_STATE",
    "DeliveryReceipt",
    "format_receipt",
    "parse_receipt",
    "parse_receipt_date",
    "receipt_date",
    "state_for_stat",
]

STAT_BY_STATE: dict[MessageState, str] = {
    MessageState.ENROUTE: "ENROUTE",
    MessageState.DELIVERED: "DELIVRD",
    MessageState.EXPIRED: "EXPIRED",
    MessageState.DELETED: "DELETED",
    MessageState.UNDELIVERABLE: "UNDELIV",
    MessageState.ACCEPTED: "ACCEPTD",
    MessageState.UNKNOWN: "UNKNOWN",
    MessageState.REJECTED: "REJECTD",
}
"""The 7-letter ``stat`` value for each final message state (appendix B)."""

_STATE_BY_STAT: dict[str, MessageState] = {
    **{stat: state for state, stat in STAT_BY_STATE.items()},
    # Spellings seen in the field.
    "DELIVERED": MessageState.DELIVERED,
    "UNDELIVERABLE": MessageState.UNDELIVERABLE,
    "UNDELIVERED": MessageState.UNDELIVERABLE,
    "FAILED": MessageState.UNDELIVERABLE,
    "ACCEPTED": MessageState.ACCEPTED,
    "REJECTED": MessageState.REJECTED,
    "EXPIRD": MessageState.EXPIRED,
    "DELETD": MessageState.DELETED,
    "UNKNWN": MessageState.UNKNOWN,
}

_STANDARD_KEYS = frozenset({"id", "sub", "dlvrd", "submit date", "done date", "stat", "err", "text"})
_KEY_ALIASES = {"submitdate": "submit date", "donedate": "done date"}
# A key is a word (or "submit date" / "done date") at the start or after white space, then a colon.
_KEY = re.compile(r"(?:^|(?<=\s))([A-Za-z][A-Za-z0-9_]*(?:[ _]date)?)\s*:", re.IGNORECASE)
# The layout nearly every SMSC sends (SMPP 3.4 appendix B), read in one match; anything else
# takes the tolerant path below.
_CANONICAL = re.compile(
    r"id:(\S+) sub:(\S*) dlvrd:(\S*) submit date:(\d*) done date:(\d*) stat:(\S+) err:(\S*)(?: text:(.*))?",
    re.IGNORECASE | re.DOTALL,
)


class DeliveryReceipt(msgspec.Struct, frozen=True, kw_only=True):
    """One parsed (or to be formatted) delivery receipt. Field names follow the text's keys."""

    message_id: str  # id
    stat: str  # DELIVRD, UNDELIV, ... as sent
    submitted: str = "001"  # sub: messages submitted
    delivered: str = "001"  # dlvrd: messages delivered
    submit_date: str = ""  # YYMMDDhhmm[ss], SMSC local time
    done_date: str = ""
    err: str = "000"  # network-specific error code
    text: str = ""  # the first characters of the message
    extra: tuple[tuple[str, str], ...] = ()  # other "key:value" pairs, in order

    @property
    def message_state(self) -> MessageState | None:
        """The `MessageState` that ``stat`` names, or None for an unknown word."""
        return state_for_stat(self.stat)


def state_for_stat(stat: str) -> MessageState | None:
    """The `MessageState` for a receipt ``stat`` word (case-insensitive, common misspellings too)."""
    return _STATE_BY_STAT.get(stat.strip().upper())


def format_receipt(receipt: DeliveryReceipt) -> str:
    """The receipt as text, in the canonical key order. ``text`` is written as given (appendix B
    says the first 20 characters of the message; cut it before)."""
    extra = "".join(f" {key}:{value}" for key, value in receipt.extra)
    return (
        f"id:{receipt.message_id} sub:{receipt.submitted} dlvrd:{receipt.delivered}"
        f" submit date:{receipt.submit_date} done date:{receipt.done_date}"
        f" stat:{receipt.stat} err:{receipt.err}{extra} text:{receipt.text}"
    )


def parse_receipt(text: str) -> DeliveryReceipt | None:
    """The receipt in ``text``, or None when it has no ``id`` or no ``stat``.

    Keys may come in any order and case. ``text:`` runs to the end, except that a standard key not
    seen yet (say ``err:`` after ``text:``) ends it; so a message text containing ``id:`` or
    ``stat:`` after the real ones stays text. For a repeated key the first value wins.
    """
    canonical = _CANONICAL.fullmatch(text)
    if canonical is not None:
        message_id, submitted, delivered, submit_date, done_date, stat, err, body = canonical.groups()
        return DeliveryReceipt(
            message_id=message_id,
            stat=stat,
            submitted=submitted,
            delivered=delivered,
            submit_date=submit_date,
            done_date=done_date,
            err=err,
            text=(body or "").strip(),
        )
    text = text.replace("\0", " ")
    matches = list(_KEY.finditer(text))
    values: dict[str, str] = {}
    extra: list[tuple[str, str]] = []
    index = 0
    while index < len(matches):
        match = matches[index]
        key = _normalise(match.group(1))
        following = index + 1
        if key == "text":
            while following < len(matches):
                later = _normalise(matches[following].group(1))
                if later in _STANDARD_KEYS and later not in values and later != "text":
                    break
                following += 1
        stop = matches[following].start() if following < len(matches) else len(text)
        value = text[match.end() : stop].strip()
        if key in _STANDARD_KEYS:
            values.setdefault(key, value)
        else:
            extra.append((match.group(1), value))
        index = following
    message_id = values.get("id")
    stat = values.get("stat")
    if not message_id or not stat:
        return None
    return DeliveryReceipt(
        message_id=message_id,
        stat=stat,
        submitted=values.get("sub", ""),
        delivered=values.get("dlvrd", ""),
        submit_date=values.get("submit date", ""),
        done_date=values.get("done date", ""),
        err=values.get("err", ""),
        text=values.get("text", ""),
        extra=tuple(extra),
    )


def _normalise(key: str) -> str:
    key = key.lower().replace("_", " ")
    return _KEY_ALIASES.get(key, key)


def receipt_date(moment: datetime) -> str:
    """``moment`` as a receipt date, YYMMDDhhmm (convert it to the SMSC's time zone first)."""
    return moment.strftime("%y%m%d%H%M")


def parse_receipt_date(value: str, tz: tzinfo) -> datetime | None:
    """A receipt date (YYMMDDhhmm, or YYMMDDhhmmss) as an aware datetime in ``tz``; None if invalid."""
    if len(value) not in (10, 12) or not value.isascii() or not value.isdigit():
        return None
    second = int(value[10:12]) if len(value) == 12 else 0
    try:
        return datetime(
            2000 + int(value[0:2]),
            int(value[2:4]),
            int(value[4:6]),
            int(value[6:8]),
            int(value[8:10]),
            second,
            tzinfo=tz,
        )
    except ValueError:
        return None
