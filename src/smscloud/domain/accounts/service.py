"""Use cases of accounts: tenants, their profile, applying for SMS, API keys."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from smscloud.domain.accounts.errors import ApiKeyLimitReached, SmsNotReady
from smscloud.domain.accounts.model import (
    ApiKey,
    ApiKeyStatus,
    Tenant,
    TenantKind,
    TenantProfile,
    TenantStatus,
    new_secret_id,
    new_secret_key,
)
from smscloud.domain.accounts.ports import AccountStore
from smscloud.domain.accounts.rules import missing_for_sms
from smscloud.domain.audit.model import Actor, AuditNote
from smscloud.domain.identity.model import UserRole, UserStatus
from smscloud.domain.identity.ports import UserStore
from smscloud.domain.notifications.mails import account_status_mail
from smscloud.domain.notifications.ports import Outbox
from smscloud.domain.qualification.ports import QualificationStore
from smscloud.domain.qualification.rules import check_contact
from smscloud.domain.shared.clock import Clock
from smscloud.domain.shared.errors import Conflict, InvalidInput, NotFound
from smscloud.domain.shared.problems import Problems
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.shared.text import EMAIL, has_control_characters

__all__ = [
    "DEFAULT_TIMEZONE",
    "MAX_API_KEYS",
    "Telling",
    "apply_for_sms",
    "check_profile",
    "create_tenant",
    "delete_api_key",
    "issue_api_key",
    "save_profile",
    "set_api_key_enabled",
    "set_tenant_suspended",
]

DEFAULT_TIMEZONE = "Asia/Shanghai"


async def create_tenant(
    *, store: AccountStore, clock: Clock, name: str, kind: TenantKind, timezone: str = DEFAULT_TIMEZONE
) -> Tenant:
    name = name.strip()
    if not 1 <= len(name) <= 128:
        raise InvalidInput("name", "must be 1 to 128 characters")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as unknown:
        raise InvalidInput("timezone", "must be an IANA time zone such as Asia/Shanghai") from unknown
    return await store.add_tenant(name=name, kind=kind, timezone=timezone, now=clock.now())


def check_profile(
    *, name: str, contact_name: str, contact_phone: str, contact_email: str, address: str = ""
) -> tuple[str, str, str, str, str]:
    """The profile's fields other than the account type, normalized (name, contact name, phone,
    e-mail address, address); every field's problem raised at once."""
    problems = Problems()
    name = name.strip()
    if not name:
        problems.add("name", "is required")
    elif not 2 <= len(name) <= 128:
        problems.add("name", "must be 2 to 128 characters")
    elif has_control_characters(name):
        problems.add("name", "must not contain control characters")
    contact_name, contact_phone = problems.check(
        lambda: check_contact(contact_name, contact_phone), (contact_name, contact_phone)
    )
    contact_email = contact_email.strip().lower()
    if not contact_email:
        problems.add("contact_email", "is required")
    elif not EMAIL.fullmatch(contact_email) or len(contact_email) > 254:
        problems.add("contact_email", "is not an e-mail address")
    address = address.strip()
    if len(address) > 256:
        problems.add("address", "must be at most 256 characters")
    elif has_control_characters(address):
        problems.add("address", "must not contain control characters")
    problems.raise_any()
    return name, contact_name, contact_phone, contact_email, address


async def save_profile(
    *,
    store: AccountStore,
    qualifications: QualificationStore,
    clock: Clock,
    tenant: Tenant,
    kind: TenantKind,
    name: str,
    contact_name: str,
    contact_phone: str,
    contact_email: str,
    address: str = "",
) -> tuple[Tenant, TenantProfile]:
    """Complete or change the profile. The account type is fixed once SMS is enabled or an
    enterprise qualification is approved; an approved enterprise keeps its company name."""
    problems = Problems()
    name, contact_name, contact_phone, contact_email, address = problems.check(
        lambda: check_profile(
            name=name,
            contact_name=contact_name,
            contact_phone=contact_phone,
            contact_email=contact_email,
            address=address,
        ),
        (name, contact_name, contact_phone, contact_email, address),
    )
    approved = await qualifications.approved_of(tenant.id)
    if kind is TenantKind.ENTERPRISE and tenant.kind is TenantKind.INDIVIDUAL and tenant.sms_enabled:
        problems.add("kind", "submit the enterprise qualification: its approval makes the account an enterprise")
    elif kind is not tenant.kind and (tenant.sms_enabled or approved is not None):
        problems.add("kind", "cannot change once SMS is enabled or the qualification is approved")
    elif kind is not tenant.kind:
        current = await qualifications.current_of(tenant.id)
        if current is not None and current.status is ReviewStatus.PENDING:
            # Else the operator would approve an enterprise qualification of an individual account.
            problems.add("kind", "cannot change while the qualification is waiting for review")
    problems.raise_any()
    if approved is not None:
        name = approved.company_name
    updated = await store.update_tenant(tenant.id, name=name, kind=kind)
    profile = await store.save_profile(
        TenantProfile(
            tenant_id=tenant.id,
            contact_name=contact_name,
            contact_phone=contact_phone,
            contact_email=contact_email,
            address=address,
            updated_at=clock.now(),
        )
    )
    return updated, profile


async def apply_for_sms(
    *,
    store: AccountStore,
    qualifications: QualificationStore,
    clock: Clock,
    tenant: Tenant,
    actor: Actor,
) -> Tenant:
    """Turn the SMS service on (seed 3.1); refused with what is missing until the account is ready."""
    if tenant.sms_enabled:
        return tenant
    profile = await store.profile_of(tenant.id)
    qualification = await qualifications.current_of(tenant.id)
    missing = missing_for_sms(tenant=tenant, profile=profile, qualification=qualification)
    if missing:
        raise SmsNotReady(missing)
    now = clock.now()
    noted = AuditNote(
        actor=actor,
        action="sms.enable",
        subject_kind="tenant",
        subject_id=tenant.id,
        tenant_id=tenant.id,
        detail="",
        at=now,
    )
    return await store.enable_sms(tenant.id, now=now, noted=noted)


MAX_API_KEYS = 2  # as Tencent Cloud's CAM: two keys, so one can be rotated in while the other serves


async def issue_api_key(*, store: AccountStore, clock: Clock, tenant_id: int) -> ApiKey:
    """A new SecretId/SecretKey pair; the caller shows the SecretKey once. Refused with
    ApiKeyLimitReached when the account holds `MAX_API_KEYS` keys, disabled ones included."""
    if len(await store.api_keys_of(tenant_id)) >= MAX_API_KEYS:
        raise ApiKeyLimitReached(f"an account may hold at most {MAX_API_KEYS} API keys; delete one first")
    return await store.add_api_key(
        tenant_id=tenant_id, secret_id=new_secret_id(), secret_key=new_secret_key(), now=clock.now()
    )


async def set_api_key_enabled(*, store: AccountStore, tenant_id: int, key_id: int, enabled: bool) -> ApiKey:
    status = ApiKeyStatus.ACTIVE if enabled else ApiKeyStatus.DISABLED
    key = await store.set_api_key_status(tenant_id=tenant_id, key_id=key_id, status=status)
    if key is None:
        raise NotFound("API key", key_id)
    return key


async def delete_api_key(*, store: AccountStore, tenant_id: int, key_id: int) -> None:
    """Delete a key for good. Only a disabled key may be deleted, so that a key in use is first
    switched off (and can be switched back on) before it disappears."""
    keys = {key.id: key for key in await store.api_keys_of(tenant_id)}
    key = keys.get(key_id)
    if key is None:
        raise NotFound("API key", key_id)
    if key.status is not ApiKeyStatus.DISABLED:
        raise Conflict("disable the key before deleting it")
    await store.delete_api_key(tenant_id=tenant_id, key_id=key_id)


@dataclass(frozen=True, slots=True)
class Telling:
    """How a change to an account is mailed to its active owners."""

    users: UserStore
    outbox: Outbox
    console_url: str


async def set_tenant_suspended(
    *,
    store: AccountStore,
    clock: Clock,
    tenant_id: int,
    actor: Actor,
    suspended: bool,
    reason: str = "",
    telling: Telling | None = None,
) -> Tenant:
    """An operator suspends an account (every send of it is refused, `Refusal.ACCOUNT_SUSPENDED`;
    its people can still sign in and read) with a reason the customer is shown, or lets it send
    again. Audited with the reason, and mailed to the account's owners when `telling` says how;
    asking for the state it is in already changes nothing."""
    tenant = await store.tenant(tenant_id)
    if tenant is None:
        raise NotFound("tenant", tenant_id)
    status = TenantStatus.SUSPENDED if suspended else TenantStatus.ACTIVE
    if tenant.status is status:
        # Nothing to do, so nothing to give a reason for (a page shown before someone else
        # suspended the account asks for one that no longer matters).
        return tenant
    reason = reason.strip()
    if suspended and not reason:
        raise InvalidInput("reason", "say why: the customer sees the reason")
    if len(reason) > 500:
        raise InvalidInput("reason", "must be at most 500 characters")
    if has_control_characters(reason.replace("\n", " ").replace("\r", " ")):
        raise InvalidInput("reason", "must not contain control characters")
    noted = AuditNote(
        actor=actor,
        action="tenant.suspend" if suspended else "tenant.resume",
        subject_kind="tenant",
        subject_id=tenant_id,
        tenant_id=tenant_id,
        detail=reason,
        at=clock.now(),
    )
    updated = await store.set_tenant_status(tenant_id, status, noted=noted)
    if telling is not None:
        for user in await telling.users.of_tenant(tenant_id):
            if user.role is not UserRole.OWNER or user.status is not UserStatus.ACTIVE:
                continue
            mail = account_status_mail(
                to_address=user.email,
                suspended=suspended,
                reason=reason,
                link=f"{telling.console_url}/console",
                language=user.language,
            )
            await telling.outbox.put(mail, now=clock.now())
    return updated
