"""The v5 `sig` (spec §2.2), against the test vectors of Tencent's documentation."""

from __future__ import annotations

import pytest

from smscloud.adapters.http.legacy_v5.signing import TIME_WINDOW_S, sig_matches, sign, signed_text, time_in_window

APP_KEY = "5f03a35d00ee52a21327ab048186a2c4"
RANDOM = "7226249334"
TIME = 1457336869


@pytest.mark.parametrize(
    ("mobiles", "sig"),
    [
        (["13788888888"], "ecab4881ee80ad3d76bb1da68387428ca752eb885e52621a3129dcf4d9bc4fd4"),
        (["13788888888", "13788888889"], "be66bb4aeb54701ed0637d0996a0b75111d5b8eda9b3a71bdc579a3d26f3edfb"),
        (None, "c13e54f047ed75e821e698730c72d030dc30e5b510b3f8a0fb6fb7605283d7df"),
    ],
)
def test_the_documented_vectors(mobiles: list[str] | None, sig: str) -> None:
    assert sign(app_key=APP_KEY, random=RANDOM, time=TIME, mobiles=mobiles) == sig
    assert sig_matches(sig, app_key=APP_KEY, random=RANDOM, time=TIME, mobiles=mobiles)
    assert sig_matches(sig.upper(), app_key=APP_KEY, random=RANDOM, time=TIME, mobiles=mobiles)


def test_the_hashed_text_has_a_fixed_order_and_no_encoding() -> None:
    text = signed_text(app_key="k", random="1", time=2, mobiles=["137", "138"])
    assert text == "appkey=k&random=1&time=2&mobile=137,138"
    assert signed_text(app_key="k", random="1", time=2) == "appkey=k&random=1&time=2"


@pytest.mark.parametrize(
    "change",
    [
        {"app_key": APP_KEY[::-1]},  # another key: a rotated-away one, say
        {"random": "7226249335"},
        {"time": TIME + 1},
        {"mobiles": ["13788888889"]},
        {"mobiles": None},  # a send's sig must cover its numbers
    ],
)
def test_any_other_input_does_not_match(change: dict[str, object]) -> None:
    good = sign(app_key=APP_KEY, random=RANDOM, time=TIME, mobiles=["13788888888"])
    values: dict[str, object] = {"app_key": APP_KEY, "random": RANDOM, "time": TIME, "mobiles": ["13788888888"]}
    values.update(change)
    assert not sig_matches(good, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize("given", ["", "zz", "签名", "\udc80", "e" * 64])
def test_malformed_sigs_do_not_match_and_do_not_raise(given: str) -> None:
    assert not sig_matches(given, app_key=APP_KEY, random=RANDOM, time=TIME, mobiles=["13788888888"])


def test_the_time_window_is_ten_minutes_either_way() -> None:
    assert TIME_WINDOW_S == 600
    assert time_in_window(TIME, now=TIME + 600)
    assert time_in_window(TIME, now=TIME - 600)
    assert not time_in_window(TIME, now=TIME + 601)
    assert not time_in_window(TIME, now=TIME - 601)
