"""What operators do for a tenant's people when they cannot help themselves."""

from __future__ import annotations

from smscloud.domain.audit.model import Actor, AuditNote
from smscloud.domain.identity.model import Principal
from smscloud.domain.identity.ports import UserStore
from smscloud.domain.identity.service import Identity
from smscloud.domain.shared.clock import Clock
from smscloud.domain.shared.errors import NotFound

__all__ = ["reset_user_two_step"]


async def reset_user_two_step(
    *, identity: Identity, users: UserStore, clock: Clock, tenant_id: int, user_id: int, actor: Actor
) -> bool:
    """Turn off the two-step verification of one of the tenant's people (a lost phone and lost
    recovery codes), audited; the operator checks who is asking first. False if it was off."""
    user = await users.by_id(user_id)
    if user is None or user.tenant_id != tenant_id:
        raise NotFound("user", user_id)
    noted = AuditNote(
        actor=actor,
        action="tenant.two_step_reset",
        subject_kind="tenant",
        subject_id=tenant_id,
        tenant_id=tenant_id,
        detail=user.email,
        at=clock.now(),
    )
    return await identity.reset_two_step(Principal.user(user.id), noted=noted)
