"""Applications: what a tenant sends through, identified by SdkAppID and secured by an AppKey."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["AppStatus", "Application", "new_app_key", "new_sdk_app_id"]


class AppStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


@dataclass(frozen=True, slots=True)
class Application:
    id: int
    tenant_id: int
    sdk_app_id: str
    name: str
    app_key: str
    status: AppStatus
    created_at: datetime

    @property
    def enabled(self) -> bool:
        return self.status is AppStatus.ACTIVE


def new_sdk_app_id() -> str:
    """Ten digits starting with 14, like Tencent's SdkAppIDs (1400000000–1499999999)."""
    return "14" + f"{secrets.randbelow(10**8):08d}"


def new_app_key() -> str:
    """32 lower-case hex characters, like Tencent's AppKeys."""
    return secrets.token_hex(16)
