"""The v5 request signature (spec §2.2): `sig` is the SHA-256 of the AppKey, the query's `random`,
the body's `time` and, for sends, the numbers, never the AppKey itself on the wire.

    sig = sha256_hex("appkey=<AppKey>&random=<random>&time=<time>[&mobile=<m1>,<m2>,...]")

Sans-I/O: strings in, strings and booleans out.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

__all__ = ["TIME_WINDOW_S", "sig_matches", "sign", "signed_text", "time_in_window"]

TIME_WINDOW_S = 600  # "request time differs from server by > 10 min" is refused (result 1021)


def signed_text(*, app_key: str, random: str, time: int, mobiles: Sequence[str] | None = None) -> str:
    """The string that is hashed: `mobiles` for the sends (comma-joined in request order), else none."""
    text = f"appkey={app_key}&random={random}&time={time}"
    if mobiles is not None:
        text += "&mobile=" + ",".join(mobiles)
    return text


def sign(*, app_key: str, random: str, time: int, mobiles: Sequence[str] | None = None) -> str:
    """The `sig` a client with `app_key` sends: lower-case hex SHA-256 of `signed_text`."""
    text = signed_text(app_key=app_key, random=random, time=time, mobiles=mobiles)
    return hashlib.sha256(text.encode()).hexdigest()


def sig_matches(given: str, *, app_key: str, random: str, time: int, mobiles: Sequence[str] | None = None) -> bool:
    """Whether `given` is the `sig` of these values under `app_key`, compared in constant time."""
    expected = sign(app_key=app_key, random=random, time=time, mobiles=mobiles)
    return hmac.compare_digest(expected.encode(), given.lower().encode("utf-8", "replace"))


def time_in_window(time: int, *, now: int) -> bool:
    """Whether the request's `time` is within 10 minutes of the server's `now` (unix seconds)."""
    return abs(now - time) <= TIME_WINDOW_S
