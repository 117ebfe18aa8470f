"""Request authentication throughput: `identify` + `verify` per second, single core.

Run (after ``make dev``): ``uv run --frozen python -m benchmarks.tc3_verify [seconds-per-case]``
(``.venv/bin/python benchmarks/tc3_verify.py`` works too). The API is built to accept 2,500
SendSms requests/s, so authentication should cost a small fraction of a millisecond. JSON decoding
of the body is not included (the caller does it once, after `identify`).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

from smscloud.adapters.http.tencent_v3.auth import RawRequest, SignedCall, identify, verify
from smscloud.adapters.http.tencent_v3.signing import encode_params, sign_tc3, sign_v1

SECRET_ID = "AKIDbenchmark"  # noqa: S105 — a benchmark fixture, not a credential
SECRET_KEY = "benchmark-secret-key"  # noqa: S105
HOST = "sms.tencentcloudapi.com"
TIMESTAMP = 1795768557


def send_sms_params(numbers: int) -> dict[str, object]:
    return {
        "PhoneNumberSet": [f"+86137{index:08d}" for index in range(numbers)],
        "SmsSdkAppId": "1400000001",
        "TemplateId": "449739",
        "SignName": "腾讯云",
        "TemplateParamSet": ["1234", "5"],
        "ExtendCode": "",
        "SessionContext": "ctx-001",
    }


def tc3_post(numbers: int) -> RawRequest:
    body = json.dumps(send_sms_params(numbers)).encode()
    headers = sign_tc3(
        secret_id=SECRET_ID,
        secret_key=SECRET_KEY,
        host=HOST,
        action="SendSms",
        version="2021-01-11",
        body=body,
        timestamp=TIMESTAMP,
        region="ap-guangzhou",
    )
    return RawRequest("POST", "", {k.lower(): v for k, v in headers.items()}, body)


def tc3_get(numbers: int) -> RawRequest:
    query = encode_params(send_sms_params(numbers))
    headers = sign_tc3(
        secret_id=SECRET_ID,
        secret_key=SECRET_KEY,
        host=HOST,
        action="SendSms",
        version="2021-01-11",
        body=b"",
        timestamp=TIMESTAMP,
        region="ap-guangzhou",
        method="GET",
        raw_query=query,
    )
    return RawRequest("GET", query, {k.lower(): v for k, v in headers.items()}, b"")


def v1_post(numbers: int) -> RawRequest:
    body = sign_v1(
        secret_id=SECRET_ID,
        secret_key=SECRET_KEY,
        host=HOST,
        action="SendSms",
        version="2021-01-11",
        params=send_sms_params(numbers),
        timestamp=TIMESTAMP,
        nonce=6273573158955650009,
        region="ap-guangzhou",
    )
    headers = {"host": HOST, "content-type": "application/x-www-form-urlencoded"}
    return RawRequest("POST", "", headers, body.encode())


def rate(fn: Callable[[], None], seconds: float) -> float:
    """Calls per second of `fn`, measured over about `seconds` after a short warm-up."""
    for _ in range(200):
        fn()
    batch, done, started = 200, 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        for _ in range(batch):
            fn()
        done += batch
    return done / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "seconds", nargs="?", type=float, default=1.5, help="seconds to measure each case (default 1.5)"
    )
    seconds: float = parser.parse_args().seconds
    cases = [
        ("TC3 POST JSON, 1 number", tc3_post(1)),
        ("TC3 POST JSON, 200 numbers", tc3_post(200)),
        ("TC3 GET query, 200 numbers", tc3_get(200)),
        ("v1 HmacSHA256 form, 200 numbers", v1_post(200)),
    ]
    print(f"{'request':34} {'bytes':>7} {'identify/s':>12} {'verify/s':>12} {'both/s':>12} {'µs/req':>8}")
    for label, request in cases:
        call = identify(request)
        verify(call, request, SECRET_KEY, now=TIMESTAMP)  # fail fast if the fixture is wrong
        size = len(request.body) + len(request.raw_query)

        def only_identify(request: RawRequest = request) -> None:
            identify(request)

        def only_verify(call: SignedCall = call, request: RawRequest = request) -> None:
            verify(call, request, SECRET_KEY, now=TIMESTAMP)

        def both(request: RawRequest = request) -> None:
            verify(identify(request), request, SECRET_KEY, now=TIMESTAMP)

        identify_rate = rate(only_identify, seconds)
        verify_rate = rate(only_verify, seconds)
        combined = rate(both, seconds)
        print(
            f"{label:34} {size:7d} {identify_rate:12,.0f} {verify_rate:12,.0f} {combined:12,.0f} {1e6 / combined:8.1f}"
        )


if __name__ == "__main__":
    main()
