"""`SecretBox` on Fernet (AES-128-CBC + HMAC-SHA256), with MultiFernet key rotation.

The first key encrypts; every key decrypts. To rotate, put a new key first, restart, and run
`smscloud db rotate-secrets` (later) to re-encrypt old tokens; then drop the old key.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

__all__ = ["FernetBox", "SecretBoxError", "load_or_create_key_file"]


class SecretBoxError(Exception):
    """A stored secret could not be decrypted with any configured key."""


class FernetBox:
    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise ValueError("at least one Fernet key is needed")
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])

    def seal(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def open(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise SecretBoxError("a stored secret does not decrypt with the configured keys") from exc

    def rotate(self, token: str) -> str:
        return self._fernet.rotate(token.encode()).decode()


def load_or_create_key_file(path: Path) -> list[str]:
    """The keys in `path` (one per line), creating it with a fresh key (mode 0600) if missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Fernet.generate_key().decode()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, (key + "\n").encode())
        finally:
            os.close(fd)
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]
