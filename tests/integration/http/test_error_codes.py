"""Every error code we can answer is one the official SDK of that version lists, or a common one.

Answers produced by the other tests here are checked one by one as they arrive (`check_envelope` in
conftest.py); this module covers the codes in errors.py's tables and every code literal in the source
of the API surface, whether or not a test happened to trigger it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from smscloud.adapters.http.tencent_v3.errors import api_error_for, code_for_version, refusal_code
from smscloud.domain.messages.refusals import Refusal, SendRefused
from smscloud.domain.shared.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from tests.integration.http.conftest import COMMON_CODES, SDK_CODES, V2019, V2021, known_codes

pytestmark = pytest.mark.integration

VERSIONS = (V2021, V2019)
SOURCE = Path(__file__).resolve().parents[3] / "src" / "smscloud" / "adapters" / "http" / "tencent_v3"
_FAMILIES = (
    "ActionOffline|AuthFailure|DryRunOperation|FailedOperation|InternalError|InvalidAction|InvalidParameter"
    "|InvalidParameterValue|InvalidRequest|LimitExceeded|MissingParameter|NoSuchProduct|NoSuchVersion"
    "|RequestLimitExceeded|ResourceNotFound|UnauthorizedOperation|UnknownParameter|UnsupportedOperation"
    "|UnsupportedProtocol|UnsupportedRegion"
)
_CODE_LITERAL = re.compile(rf'"((?:{_FAMILIES})(?:\.[A-Za-z]+)*)"')


def test_the_sdk_lists_are_the_expected_ones() -> None:
    # The spec counts 94 codes for 2021-01-11 and 86 for 2019-07-11.
    assert len(SDK_CODES[V2021]) >= 94
    assert len(SDK_CODES[V2019]) >= 86
    assert "InvalidParameterValue.LimitVerifyFail" in SDK_CODES[V2021]
    assert "InvalidParameterValue.LimitVerifyFail" not in SDK_CODES[V2019]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("refusal", list(Refusal))
def test_every_refusal_maps_to_a_known_code(refusal: Refusal, version: str) -> None:
    code, message = refusal_code(refusal)
    assert message
    # SendSms answers refusal codes as they are (both in SendStatusSet and in the Error envelope).
    assert code in known_codes(version), code
    assert api_error_for(SendRefused(refusal)).code == code


ERRORS: list[DomainError] = [
    NotFound("tenant", 1),
    Forbidden("no"),
    Conflict("changed"),
    DomainError("other"),
    *(InvalidInput(field, "bad") for field in ("Limit", "Offset", "BeginTime", "EndTime", "PhoneNumber", "Other")),
]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("error", ERRORS, ids=lambda e: f"{type(e).__name__}-{e}")
def test_every_domain_error_maps_to_a_known_code(error: DomainError, version: str) -> None:
    code = code_for_version(api_error_for(error).code, version)
    assert code in known_codes(version), code


def test_code_for_version_only_rewrites_what_2019_lacks() -> None:
    for code in SDK_CODES[V2021] | COMMON_CODES:
        assert code_for_version(code, V2021) == code
        if code in SDK_CODES[V2019] or code in COMMON_CODES:
            assert code_for_version(code, V2019) == code


def test_every_code_literal_in_the_api_source_is_known() -> None:
    found: dict[str, set[str]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        for code in _CODE_LITERAL.findall(path.read_text(encoding="utf-8")):
            found.setdefault(code, set()).add(path.name)
    assert "AuthFailure.SecretIdNotFound" in found  # the scan does see the source
    assert "InternalError" in found
    unknown = {code: files for code, files in found.items() if code not in known_codes(V2021)}
    assert unknown == {}
