"""The port for secrets kept at rest (AppKeys, SecretKeys, carrier passwords)."""

from __future__ import annotations

from typing import Protocol

__all__ = ["SecretBox"]


class SecretBox(Protocol):
    """Encrypts secrets that must be recoverable (signing needs them), never hashes them."""

    def seal(self, plaintext: str) -> str: ...

    def open(self, token: str) -> str: ...
