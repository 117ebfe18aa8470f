"""Fixtures of the e-mail tests: `smtp_capture`, a real SMTP server keeping what it receives."""

from __future__ import annotations

from tests.support.smtp import smtp_capture

__all__ = ["smtp_capture"]
