"""Signing for the Tencent Cloud API 3.0: TC3-HMAC-SHA256 and the legacy v1 HmacSHA1/HmacSHA256.

Two layers live here:

* the algorithm's building blocks (`tc3_key_chain`, `tc3_canonical_request`, `tc3_string_to_sign`,
  `tc3_signature`, `v1_string_to_sign`, `v1_signature`), shared by the server-side verifier in
  `auth.py`;
* client-side signers (`sign_tc3`, `sign_v1`) that build what the official Python SDK sends, for our
  own tests, benchmarks and the simulator-facing tools.

Everything is written from Tencent's documented algorithm (spec §1.3, §1.4) and does not import the SDK;
``tests/unit/adapters/http/tencent_v3/test_auth.py`` proves, byte for byte, that it agrees with
`tencentcloud-sdk-python`. Pure functions: no I/O, no clock (timestamps are arguments).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from urllib.parse import urlencode

__all__ = [
    "EMPTY_PAYLOAD_SHA256",
    "SERVICE",
    "TC3_ALGORITHM",
    "UNSIGNED_PAYLOAD",
    "UNSIGNED_PAYLOAD_SHA256",
    "V1_SIGNATURE_METHODS",
    "encode_params",
    "flatten_params",
    "sign_tc3",
    "sign_v1",
    "tc3_canonical_request",
    "tc3_key_chain",
    "tc3_signature",
    "tc3_string_to_sign",
    "utc_date",
    "v1_signature",
    "v1_string_to_sign",
]

TC3_ALGORITHM = "TC3-HMAC-SHA256"
"""The algorithm name that opens the string to sign and the `Authorization` header."""

SERVICE = "sms"
"""The service name in the TC3 credential scope."""

UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
"""`X-TC-Content-SHA256` value by which a client opts out of signing the body."""

UNSIGNED_PAYLOAD_SHA256 = hashlib.sha256(UNSIGNED_PAYLOAD.encode()).hexdigest()
"""The payload hash used instead of the body's when `X-TC-Content-SHA256: UNSIGNED-PAYLOAD` (verified)."""

EMPTY_PAYLOAD_SHA256 = hashlib.sha256(b"").hexdigest()
"""The payload hash of a GET request."""

V1_SIGNATURE_METHODS: Mapping[str, str] = {"HmacSHA1": "sha1", "HmacSHA256": "sha256"}
"""Legacy v1 `SignatureMethod` values and the hashlib digest each one names."""

_TERMINATOR = "tc3_request"
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_SECONDS_PER_DAY = 86_400
_FORM = "application/x-www-form-urlencoded"
_JSON = "application/json"


def utc_date(timestamp: int) -> str:
    """`YYYY-MM-DD` of a Unix timestamp in UTC: the `Date` of the TC3 credential scope."""
    return date.fromordinal(_EPOCH_ORDINAL + timestamp // _SECONDS_PER_DAY).isoformat()


def tc3_key_chain(secret_key: str, day: str, service: str = SERVICE) -> tuple[bytes, bytes, bytes]:
    """``(kDate, kService, kSigning)``: kDate = HMAC("TC3"+SecretKey, Date), kService = HMAC(kDate, service),
    kSigning = HMAC(kService, "tc3_request")."""
    k_date = hmac.digest(("TC3" + secret_key).encode(), day.encode(), "sha256")
    k_service = hmac.digest(k_date, service.encode(), "sha256")
    k_signing = hmac.digest(k_service, _TERMINATOR.encode(), "sha256")
    return k_date, k_service, k_signing


def tc3_canonical_request(
    *, method: str, raw_query: str, canonical_headers: str, signed_headers: str, payload_hash: str
) -> str:
    """Join the canonical request; `canonical_headers` ends with its own ``\\n`` (one line per header).

    The canonical URI is always ``/``; `raw_query` must be ``""`` for POST.
    """
    return f"{method}\n/\n{raw_query}\n{canonical_headers}\n{signed_headers}\n{payload_hash}"


def tc3_string_to_sign(*, timestamp: str, day: str, service: str, canonical_request: str) -> str:
    """The TC3 string to sign, with the timestamp as the decimal text the client sent."""
    digest = hashlib.sha256(canonical_request.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{TC3_ALGORITHM}\n{timestamp}\n{day}/{service}/{_TERMINATOR}\n{digest}"


def tc3_signature(k_signing: bytes, string_to_sign: str) -> str:
    """Lower-case hex HMAC-SHA256 of the string to sign under kSigning."""
    return hmac.new(k_signing, string_to_sign.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def v1_string_to_sign(method: str, host: str, pairs: Iterable[tuple[str, str]]) -> str:
    """``<METHOD><Host>/?k=v&…``: keys with ``_`` turned into ``.``, sorted, values not URL-encoded.

    `pairs` are the decoded parameters without `Signature`.
    """
    joined = "&".join(f"{key}={value}" for key, value in sorted((k.replace("_", "."), v) for k, v in pairs))
    return f"{method}{host}/?{joined}"


def v1_signature(secret_key: str, string_to_sign: str, signature_method: str) -> str:
    """Base64 HMAC of the v1 string to sign; `signature_method` is ``HmacSHA1`` or ``HmacSHA256``."""
    digest = hmac.digest(
        secret_key.encode("utf-8", "surrogatepass"),
        string_to_sign.encode("utf-8", "surrogatepass"),
        V1_SIGNATURE_METHODS[signature_method],
    )
    return base64.b64encode(digest).decode("ascii")


def flatten_params(params: Mapping[str, object]) -> dict[str, str]:
    """Flatten like the SDK's `_format_params`: lists → ``Name.0``, objects → ``Parent.Child``.

    `None` values and empty lists/objects vanish; scalars become ``str(value)`` (so ``True`` → ``"True"``,
    exactly what the SDK's `urlencode` sends).
    """
    flat: dict[str, str] = {}
    _flatten_into(flat, "", params)
    return flat


def _flatten_into(flat: dict[str, str], prefix: str, value: object) -> None:
    if value is None:
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            _flatten_into(flat, f"{prefix}.{key}" if prefix else str(key), item)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _flatten_into(flat, f"{prefix}.{index}" if prefix else str(index), item)
    else:
        flat[prefix] = str(value)


def encode_params(params: Mapping[str, object]) -> str:
    """The SDK's GET query string / form body for `params`: ``urlencode(flatten_params(params))``."""
    return urlencode(flatten_params(params))


def sign_tc3(
    *,
    secret_id: str,
    secret_key: str,
    host: str,
    action: str,
    version: str,
    body: bytes,
    timestamp: int,
    region: str | None = None,
    method: str = "POST",
    content_type: str | None = None,
    raw_query: str = "",
    language: str | None = "zh-CN",
    token: str | None = None,
    request_client: str | None = None,
    unsigned_payload: bool = False,
    signed_headers: Sequence[str] = ("content-type", "host"),
    service: str = SERVICE,
) -> dict[str, str]:
    """Headers of a TC3-signed request as `tencentcloud-sdk-python` sends them.

    Returns ``Content-Type``, ``Host``, ``X-TC-Action``, ``X-TC-RequestClient`` (if given),
    ``X-TC-Timestamp``, ``X-TC-Version``, ``X-TC-Content-SHA256`` (if `unsigned_payload`), ``X-TC-Region``,
    ``X-TC-Token``, ``X-TC-Language`` (each if not empty) and ``Authorization``, in the SDK's order.
    `content_type` defaults to the SDK's choice for `method` (JSON for POST, form for GET); for GET send
    `raw_query` on the request line and no body. `signed_headers` beyond the SDK's default are looked up
    among the returned headers (case-insensitively); the canonical value is the trimmed, lower-cased one.
    """
    if content_type is None:
        content_type = _FORM if method == "GET" else _JSON
    headers: dict[str, str] = {"Content-Type": content_type, "Host": host, "X-TC-Action": action}
    if request_client:
        headers["X-TC-RequestClient"] = request_client
    headers["X-TC-Timestamp"] = str(timestamp)
    headers["X-TC-Version"] = version
    if unsigned_payload:
        headers["X-TC-Content-SHA256"] = UNSIGNED_PAYLOAD
    if region:
        headers["X-TC-Region"] = region
    if token:
        headers["X-TC-Token"] = token
    if language:
        headers["X-TC-Language"] = language

    if unsigned_payload:
        payload_hash = UNSIGNED_PAYLOAD_SHA256
    elif method == "GET":
        payload_hash = EMPTY_PAYLOAD_SHA256
    else:
        payload_hash = hashlib.sha256(body).hexdigest()
    lowered = {name.lower(): value for name, value in headers.items()}
    canonical_headers = "".join(f"{name}:{lowered.get(name, '').strip().lower()}\n" for name in signed_headers)
    signed = ";".join(signed_headers)
    canonical_request = tc3_canonical_request(
        method=method,
        raw_query=raw_query if method == "GET" else "",
        canonical_headers=canonical_headers,
        signed_headers=signed,
        payload_hash=payload_hash,
    )
    day = utc_date(timestamp)
    string_to_sign = tc3_string_to_sign(
        timestamp=str(timestamp), day=day, service=service, canonical_request=canonical_request
    )
    signature = tc3_signature(tc3_key_chain(secret_key, day, service)[2], string_to_sign)
    headers["Authorization"] = (
        f"{TC3_ALGORITHM} Credential={secret_id}/{day}/{service}/{_TERMINATOR}, "
        f"SignedHeaders={signed}, Signature={signature}"
    )
    return headers


def sign_v1(
    *,
    secret_id: str,
    secret_key: str,
    host: str,
    action: str,
    version: str,
    params: Mapping[str, object],
    timestamp: int,
    nonce: int,
    region: str | None = None,
    method: str = "POST",
    signature_method: str = "HmacSHA256",
    language: str | None = "zh-CN",
    token: str | None = None,
    request_client: str | None = None,
) -> str:
    """The urlencoded body (POST) or query string (GET) of a legacy-v1-signed request, as the SDK builds it.

    Send it with ``Content-Type: application/x-www-form-urlencoded`` and ``Host: <host>``. Parameter order
    follows the SDK: business parameters (flattened), then ``Action``, ``RequestClient``, ``Nonce``,
    ``Timestamp``, ``Version``, ``Region``, ``Token``, ``SecretId``, ``SignatureMethod``, ``Language``,
    ``Signature``.
    """
    if signature_method not in V1_SIGNATURE_METHODS:
        raise ValueError(f"signature_method must be one of {sorted(V1_SIGNATURE_METHODS)}")
    fields = flatten_params(params)
    fields["Action"] = action
    if request_client:
        fields["RequestClient"] = request_client
    fields["Nonce"] = str(nonce)
    fields["Timestamp"] = str(timestamp)
    fields["Version"] = version
    if region:
        fields["Region"] = region
    if token:
        fields["Token"] = token
    fields["SecretId"] = secret_id
    fields["SignatureMethod"] = signature_method
    if language:
        fields["Language"] = language
    string_to_sign = v1_string_to_sign(method, host, fields.items())
    fields["Signature"] = v1_signature(secret_key, string_to_sign, signature_method)
    return urlencode(fields)
