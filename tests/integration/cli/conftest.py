"""Fixtures for the command-line tests: an environment without the caller's SMSCLOUD_* settings."""

from __future__ import annotations

import os

import pytest

# Variables of the test suite itself, which the command ignores.
_SUITE = ("SMSCLOUD_TEST_DATABASE", "SMSCLOUD_TEST_POSTGRES", "SMSCLOUD_REQUIRE_BROWSER", "SMSCLOUD_ARTIFACTS")


@pytest.fixture(autouse=True)
def _no_settings_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sets the SMSCLOUD_* variables it means; none leak in from the shell running pytest."""
    for name in list(os.environ):
        if name.startswith("SMSCLOUD_") and name not in _SUITE:
            monkeypatch.delenv(name)
