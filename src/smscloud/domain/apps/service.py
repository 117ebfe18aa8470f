"""Use cases of applications (seed 4): create, rotate the AppKey, disable and enable."""

from __future__ import annotations

from smscloud.domain.accounts.errors import SmsNotEnabled
from smscloud.domain.accounts.model import Tenant
from smscloud.domain.apps.model import Application, AppStatus, new_app_key, new_sdk_app_id
from smscloud.domain.apps.ports import AppStore
from smscloud.domain.shared.clock import Clock
from smscloud.domain.shared.errors import InvalidInput, NotFound
from smscloud.domain.shared.text import has_control_characters

__all__ = ["MAX_APPLICATIONS", "create_application", "rotate_app_key", "set_application_enabled"]

MAX_APPLICATIONS = 50


async def create_application(*, store: AppStore, clock: Clock, tenant: Tenant, name: str) -> Application:
    """A new application with its SdkAppID and AppKey; only for accounts with SMS enabled."""
    if not tenant.sms_enabled:
        raise SmsNotEnabled("apply for the SMS service before creating applications")
    name = name.strip()
    if not 1 <= len(name) <= 128:
        raise InvalidInput("name", "must be 1 to 128 characters")
    if has_control_characters(name):
        raise InvalidInput("name", "must not contain control characters")
    if len(await store.of_tenant(tenant.id)) >= MAX_APPLICATIONS:
        raise InvalidInput("name", f"an account may hold at most {MAX_APPLICATIONS} applications")
    return await store.add(
        tenant_id=tenant.id, sdk_app_id=new_sdk_app_id(), name=name, app_key=new_app_key(), now=clock.now()
    )


async def rotate_app_key(*, store: AppStore, clock: Clock, tenant_id: int, app_id: int) -> Application:
    """A new AppKey; the old one is refused from now on."""
    app = await store.set_app_key(tenant_id=tenant_id, app_id=app_id, app_key=new_app_key(), now=clock.now())
    if app is None:
        raise NotFound("application", app_id)
    return app


async def set_application_enabled(*, store: AppStore, tenant_id: int, app_id: int, enabled: bool) -> Application:
    """A disabled application refuses every send (UnauthorizedOperation.SdkAppIdIsDisabled)."""
    status = AppStatus.ACTIVE if enabled else AppStatus.DISABLED
    app = await store.set_status(tenant_id=tenant_id, app_id=app_id, status=status)
    if app is None:
        raise NotFound("application", app_id)
    return app
