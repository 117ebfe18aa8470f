"""What may be uploaded: images and PDFs, recognised by their content, not their name."""

from __future__ import annotations

import re

from smscloud.domain.shared.errors import InvalidInput

__all__ = ["ALLOWED_TYPES", "DEFAULT_MAX_BYTES", "clean_filename", "sniff_content_type"]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
ALLOWED_TYPES = ("image/jpeg", "image/png", "application/pdf")
_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
_UNSAFE = re.compile(r"[^\w.\- ()\u4e00-\u9fff]")


def sniff_content_type(data: bytes, *, field: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The content type of an upload, from its first bytes; refuses anything else."""
    if not data:
        raise InvalidInput(field, "is empty; choose a JPEG, PNG or PDF file")
    if len(data) > max_bytes:
        raise InvalidInput(field, f"is larger than {max_bytes // (1024 * 1024)} MB")
    for magic, content_type in _MAGIC:
        if data.startswith(magic):
            return content_type
    raise InvalidInput(field, "must be a JPEG, PNG or PDF file")


def clean_filename(name: str) -> str:
    """A display name safe in a Content-Disposition header and a page: the last path part, with
    anything unusual replaced."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    cleaned = _UNSAFE.sub("_", base)[:200]
    return cleaned or "upload"
