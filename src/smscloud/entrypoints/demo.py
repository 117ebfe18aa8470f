"""`smscloud demo`: a tenant ready to send, so an official SDK works against a fresh install.

Idempotent: the demo tenant, its application, API key, approved signature and approved
templates are created once and found again on every later run (also while `serve` runs).
"""

from __future__ import annotations

from typing import Any

from smscloud.bootstrap import Platform
from smscloud.domain.accounts.model import TenantKind
from smscloud.domain.accounts.service import create_tenant, issue_api_key
from smscloud.domain.apps.service import create_application
from smscloud.domain.signatures.service import review_signature, submit_signature
from smscloud.domain.templates.model import SmsType
from smscloud.domain.templates.service import review_template, submit_template

__all__ = ["DEMO_SIGN_NAME", "DEMO_TEMPLATES", "DEMO_TENANT", "ensure_demo"]

DEMO_TENANT = "smscloud demo"
DEMO_APP = "demo app"
DEMO_SIGN_NAME = "smscloud"
# name -> (template name, content, type)
DEMO_TEMPLATES: dict[str, tuple[str, str, SmsType]] = {
    "verification": (
        "demo verification code",
        "您的验证码是{1}，5分钟内有效，请勿泄露。",
        SmsType.VERIFICATION_CODE,
    ),
    "notification": ("demo shipping notice", "您的订单{1}已发货，预计{2}送达。", SmsType.NOTIFICATION),
}


async def ensure_demo(platform: Platform) -> dict[str, Any]:
    """Create what is missing of the demo tenant and return what an SDK needs to send."""
    clock = platform.clock
    tenant = await platform.accounts.tenant_named(DEMO_TENANT)
    if tenant is None:
        tenant = await create_tenant(store=platform.accounts, clock=clock, name=DEMO_TENANT, kind=TenantKind.ENTERPRISE)
    keys = [k for k in await platform.accounts.api_keys_of(tenant.id) if k.usable]
    key = keys[0] if keys else await issue_api_key(store=platform.accounts, clock=clock, tenant_id=tenant.id)
    apps = [a for a in await platform.apps.of_tenant(tenant.id) if a.enabled]
    app = (
        apps[0]
        if apps
        else await create_application(store=platform.apps, clock=clock, tenant_id=tenant.id, name=DEMO_APP)
    )
    signatures = {s.name: s for s in await platform.signatures.of_tenant(tenant.id) if not s.international}
    signature = signatures.get(DEMO_SIGN_NAME) or await submit_signature(
        store=platform.signatures, clock=clock, tenant_id=tenant.id, name=DEMO_SIGN_NAME, international=False
    )
    if not signature.status.usable:
        await review_signature(
            store=platform.signatures, clock=clock, signature_id=signature.id, approve=True, reply="demo"
        )
    existing = {t.name: t for t in await platform.templates.of_tenant(tenant.id)}
    template_ids: dict[str, str] = {}
    for key_name, (name, content, sms_type) in DEMO_TEMPLATES.items():
        template = existing.get(name) or await submit_template(
            store=platform.templates,
            clock=clock,
            tenant_id=tenant.id,
            name=name,
            content=content,
            sms_type=sms_type,
            international=False,
        )
        if not template.status.usable:
            await review_template(
                store=platform.templates, clock=clock, template_id=template.id, approve=True, reply="demo"
            )
        template_ids[key_name] = str(template.id)
    platform.catalog.invalidate()
    return {
        "endpoint": platform.settings.public_endpoint,
        "secret_id": key.secret_id,
        "secret_key": key.secret_key,
        "sdk_app_id": app.sdk_app_id,
        "app_key": app.app_key,
        "sign_name": DEMO_SIGN_NAME,
        "templates": template_ids,
    }
