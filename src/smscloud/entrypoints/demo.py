"""`smscloud demo`: a tenant ready to send, so an official SDK works against a fresh install.

The demo tenant walks the same access procedure a customer walks in the console (seed 2 to 5),
with the platform itself as the reviewer: an enterprise profile, a qualification with a licence,
the SMS service applied for, an API key, an application, a signature with its proof and two
templates, each approved through the review use case (so the audit log says who decided: the
system). Idempotent: what exists is found again on every later run (also while `serve` runs).
"""

from __future__ import annotations

from typing import Any

from smscloud.bootstrap import Platform
from smscloud.domain.accounts.model import Tenant, TenantKind
from smscloud.domain.accounts.service import apply_for_sms, create_tenant, issue_api_key, save_profile
from smscloud.domain.apps.service import create_application
from smscloud.domain.audit.model import Actor
from smscloud.domain.documents.model import DocumentPurpose
from smscloud.domain.documents.service import upload_document
from smscloud.domain.qualification.service import submit_qualification
from smscloud.domain.reviews.model import Decision
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import DocumentType, SignatureDraft, SignPurpose, SignType
from smscloud.domain.signatures.service import submit_signature
from smscloud.domain.templates.model import SmsType, TemplateDraft
from smscloud.domain.templates.service import submit_template
from smscloud.entrypoints.running import recorded_endpoint

__all__ = ["DEMO_SIGN_NAME", "DEMO_TEMPLATES", "DEMO_TENANT", "ensure_demo"]

DEMO_TENANT = "smscloud demo"
DEMO_APP = "demo app"
DEMO_SIGN_NAME = "smscloud"
DEMO_CREDIT_CODE = "91350100M000100Y43"
DEMO_CONTACT = ("Demo Contact", "13800000000", "demo@smscloud.local")
# A 1x1 PNG: the stand-in for a licence scan and a signature's proof.
DEMO_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)
# name -> (template name, content, type)
DEMO_TEMPLATES: dict[str, tuple[str, str, SmsType]] = {
    "verification": (
        "demo verification code",
        "您的验证码是{1}，5分钟内有效，请勿泄露。",
        SmsType.VERIFICATION_CODE,
    ),
    "notification": ("demo shipping notice", "您的订单{1}已发货，预计{2}送达。", SmsType.NOTIFICATION),
}
_SYSTEM = Actor.system()


async def ensure_demo(platform: Platform) -> dict[str, Any]:
    """Create what is missing of the demo tenant and return what an SDK needs to send."""
    tenant = await _ready_tenant(platform)
    clock = platform.clock
    keys = [k for k in await platform.accounts.api_keys_of(tenant.id) if k.usable]
    key = keys[0] if keys else await issue_api_key(store=platform.accounts, clock=clock, tenant_id=tenant.id)
    apps = [a for a in await platform.apps.of_tenant(tenant.id) if a.enabled]
    app = apps[0] if apps else await create_application(store=platform.apps, clock=clock, tenant=tenant, name=DEMO_APP)
    await _approved_signature(platform, tenant)
    template_ids = {key_name: str(await _approved_template(platform, tenant, key_name)) for key_name in DEMO_TEMPLATES}
    platform.catalog.invalidate()
    return {
        # Where the running `serve` listens (it may have been given --port), else the settings' address.
        "endpoint": recorded_endpoint(platform.settings) or platform.settings.public_endpoint,
        "secret_id": key.secret_id,
        "secret_key": key.secret_key,
        "sdk_app_id": app.sdk_app_id,
        "app_key": app.app_key,
        "sign_name": DEMO_SIGN_NAME,
        "templates": template_ids,
    }


async def _ready_tenant(platform: Platform) -> Tenant:
    """The demo tenant: an enterprise with an approved qualification and SMS enabled."""
    p, clock = platform, platform.clock
    tenant = await p.accounts.tenant_named(DEMO_TENANT)
    if tenant is None:
        tenant = await create_tenant(store=p.accounts, clock=clock, name=DEMO_TENANT, kind=TenantKind.ENTERPRISE)
    if tenant.sms_enabled:
        return tenant
    contact_name, contact_phone, contact_email = DEMO_CONTACT
    if await p.accounts.profile_of(tenant.id) is None:
        tenant, _ = await save_profile(
            store=p.accounts,
            qualifications=p.qualifications,
            clock=clock,
            tenant=tenant,
            kind=TenantKind.ENTERPRISE,
            name=DEMO_TENANT,
            contact_name=contact_name,
            contact_phone=contact_phone,
            contact_email=contact_email,
        )
    qualification = await p.qualifications.current_of(tenant.id)
    if qualification is None or qualification.status is ReviewStatus.REJECTED:
        licence = await upload_document(
            store=p.documents,
            clock=clock,
            tenant_id=tenant.id,
            purpose=DocumentPurpose.LICENCE,
            filename="licence.png",
            data=DEMO_PNG,
            field="licence",
        )
        qualification = await submit_qualification(
            store=p.qualifications,
            clock=clock,
            tenant=tenant,
            actor=_SYSTEM,
            company_name=DEMO_TENANT,
            credit_code=DEMO_CREDIT_CODE,
            licence_document_id=licence.id,
            contact_name=contact_name,
            contact_phone=contact_phone,
        )
    if qualification.status is ReviewStatus.PENDING:
        await p.reviews.decide_qualification(
            actor=_SYSTEM, qualification_id=qualification.id, decision=Decision.approved("demo")
        )
    tenant = await p.accounts.tenant(tenant.id) or tenant
    return await apply_for_sms(
        store=p.accounts, qualifications=p.qualifications, clock=clock, tenant=tenant, actor=_SYSTEM
    )


async def _approved_signature(platform: Platform, tenant: Tenant) -> int:
    p = platform
    found = [s for s in await p.signatures.of_tenant(tenant.id) if s.name == DEMO_SIGN_NAME and not s.international]
    signature = next((s for s in found if s.status.usable), None) or next(
        (s for s in found if s.status is ReviewStatus.PENDING), None
    )
    if signature is None:
        proof = await upload_document(
            store=p.documents,
            clock=p.clock,
            tenant_id=tenant.id,
            purpose=DocumentPurpose.SIGN_PROOF,
            filename="licence.png",
            data=DEMO_PNG,
            field="ProofImage",
        )
        signature = await submit_signature(
            store=p.signatures,
            documents=p.documents,
            qualifications=p.qualifications,
            clock=p.clock,
            tenant=tenant,
            draft=SignatureDraft(
                name=DEMO_SIGN_NAME,
                international=False,
                sign_type=SignType.COMPANY,
                document_type=DocumentType.BUSINESS_LICENCE,
                sign_purpose=SignPurpose.OWN,
                proof_document_id=proof.id,
            ),
        )
    if signature.status is ReviewStatus.PENDING:
        await p.reviews.decide_signature(actor=_SYSTEM, signature_id=signature.id, decision=Decision.approved("demo"))
    return signature.id


async def _approved_template(platform: Platform, tenant: Tenant, key_name: str) -> int:
    p = platform
    name, content, sms_type = DEMO_TEMPLATES[key_name]
    found = [t for t in await p.templates.of_tenant(tenant.id) if t.name == name]
    template = next((t for t in found if t.status.usable), None) or next(
        (t for t in found if t.status is ReviewStatus.PENDING), None
    )
    if template is None:
        template = await submit_template(
            store=p.templates,
            clock=p.clock,
            tenant=tenant,
            draft=TemplateDraft(name=name, content=content, sms_type=sms_type, international=False),
        )
    if template.status is ReviewStatus.PENDING:
        await p.reviews.decide_template(actor=_SYSTEM, template_id=template.id, decision=Decision.approved("demo"))
    return template.id
