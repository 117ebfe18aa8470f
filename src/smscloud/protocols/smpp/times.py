"""SMPP time strings (§7.1.1): schedule_delivery_time and validity_period.

Either empty (NULL: "now", or "the SMSC's default validity"), or 16 characters
``YYMMDDhhmmsstnnp``: an absolute time with tenths of a second ``t``, a distance from UTC ``nn``
in quarter hours (00–48) and ``p`` '+' or '-'; or, with ``p`` 'R', a time relative to now, whose
fields are amounts (years, months, days, hours, minutes, seconds) and whose ``tnn`` is "000".
"""

from __future__ import annotations

__all__ = ["is_smpp_time"]


def is_smpp_time(value: str) -> bool:
    """Whether ``value`` is empty or a well-formed absolute or relative SMPP time."""
    if value == "":
        return True
    if len(value) != 16 or not value[:15].isascii() or not value[:15].isdigit():
        return False
    sign = value[15]
    if sign == "R":  # amounts, each two digits (SMSCs carry over what a calendar would not)
        return value[12:15] == "000"
    if sign not in "+-":
        return False
    month, day, hour, minute, second = (int(value[i : i + 2]) for i in range(2, 12, 2))
    quarters = int(value[13:15])
    return 1 <= month <= 12 and 1 <= day <= 31 and hour <= 23 and minute <= 59 and second <= 59 and quarters <= 48
