"""Use cases of reviews: an operator decides; the decision is stored with its audit entry (one
transaction), then mailed.

A decision applies only to what is still pending: of two operators deciding at once, the later
fails with `Conflict`. A signature or template stays pending when its customer modifies it, so a
decision names the submission the operator saw (`seen`, its `updated_at`); a decision on a
submission changed since fails with `ChangedSinceSeen`, and the operator reviews it again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from smscloud.domain.audit.model import Actor, ActorKind, AuditNote
from smscloud.domain.identity.model import UserRole, UserStatus
from smscloud.domain.identity.ports import UserStore
from smscloud.domain.notifications.mails import review_result_mail
from smscloud.domain.notifications.ports import Outbox
from smscloud.domain.qualification.model import Qualification
from smscloud.domain.qualification.ports import QualificationStore
from smscloud.domain.reviews.model import Decision, ReviewKind
from smscloud.domain.shared.clock import Clock
from smscloud.domain.shared.errors import Conflict, NotFound
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import Signature
from smscloud.domain.signatures.ports import SignatureStore
from smscloud.domain.templates.model import Template
from smscloud.domain.templates.ports import TemplateStore

__all__ = ["ChangedSinceSeen", "Reviews"]


class ChangedSinceSeen(Conflict):
    """The customer changed the request after the operator opened it."""


def _nothing() -> None:
    return None


@dataclass(slots=True)
class Reviews:
    qualifications: QualificationStore
    signatures: SignatureStore
    templates: TemplateStore
    users: UserStore
    outbox: Outbox
    clock: Clock
    console_url: str
    # Called after a decision that changes what may be sent (the send path caches lookups).
    changed: Callable[[], None] = field(default=_nothing)

    async def decide_qualification(self, *, actor: Actor, qualification_id: int, decision: Decision) -> Qualification:
        """Approving makes the tenant an enterprise named after the company, in the same transaction."""
        found = await self.qualifications.by_id(qualification_id)
        if found is None:
            raise NotFound("qualification", qualification_id)
        now = self.clock.now()
        decided = await self.qualifications.decide(
            qualification_id=qualification_id,
            status=_status(decision),
            reply=decision.reason.strip(),
            operator_id=_operator_id(actor),
            now=now,
            enterprise=decision.approve,
            noted=_note(actor, ReviewKind.QUALIFICATION, found.id, found.tenant_id, decision, now),
        )
        if decided is None:
            await self._not_pending(self.qualifications.by_id(qualification_id), "qualification", qualification_id)
            raise AssertionError("unreachable")  # pragma: no cover
        await self._tell(ReviewKind.QUALIFICATION, decided.tenant_id, decided.company_name, decision)
        return decided

    async def decide_signature(
        self, *, actor: Actor, signature_id: int, decision: Decision, seen: datetime | None = None
    ) -> Signature:
        """`seen`: the `updated_at` of the submission the operator decided on (None: whatever is pending)."""
        found = await self.signatures.by_id(signature_id)
        if found is None:
            raise NotFound("signature", signature_id)
        now = self.clock.now()
        decided = await self.signatures.decide(
            signature_id=signature_id,
            status=_status(decision),
            reply=decision.reason.strip(),
            reviewer_id=_operator_id(actor),
            now=now,
            seen=seen,
            noted=_note(actor, ReviewKind.SIGNATURE, found.id, found.tenant_id, decision, now),
        )
        if decided is None:
            await self._not_pending(self.signatures.by_id(signature_id), "signature", signature_id, seen)
            raise AssertionError("unreachable")  # pragma: no cover
        self.changed()
        await self._tell(ReviewKind.SIGNATURE, decided.tenant_id, decided.name, decision)
        return decided

    async def decide_template(
        self, *, actor: Actor, template_id: int, decision: Decision, seen: datetime | None = None
    ) -> Template:
        """`seen`: the `updated_at` of the submission the operator decided on (None: whatever is pending)."""
        found = await self.templates.by_id(template_id)
        if found is None:
            raise NotFound("template", template_id)
        now = self.clock.now()
        decided = await self.templates.decide(
            template_id=template_id,
            status=_status(decision),
            reply=decision.reason.strip(),
            reviewer_id=_operator_id(actor),
            now=now,
            seen=seen,
            noted=_note(actor, ReviewKind.TEMPLATE, found.id, found.tenant_id, decision, now),
        )
        if decided is None:
            await self._not_pending(self.templates.by_id(template_id), "template", template_id, seen)
            raise AssertionError("unreachable")  # pragma: no cover
        self.changed()
        await self._tell(ReviewKind.TEMPLATE, decided.tenant_id, decided.name, decision)
        return decided

    async def _not_pending(
        self,
        lookup: Awaitable[Signature | Template | Qualification | None],
        what: str,
        key: int,
        seen: datetime | None = None,
    ) -> None:
        """Why a decision was not recorded: no such item, or (still pending though the decision
        named the submission seen) a newer submission, or it is decided already."""
        found = await lookup
        if found is None:
            raise NotFound(what, key)
        if seen is not None and found.status is ReviewStatus.PENDING:
            raise ChangedSinceSeen(f"the customer changed the {what} after it was opened; review it again")
        raise Conflict(f"the {what} is not waiting for review (any more)")

    async def _tell(self, kind: ReviewKind, tenant_id: int, name: str, decision: Decision) -> None:
        """Mail the decision to the account's owners."""
        now = self.clock.now()
        link = f"{self.console_url}/console/{_PAGES[kind]}"
        for user in await self.users.of_tenant(tenant_id):
            if user.role is not UserRole.OWNER or user.status is not UserStatus.ACTIVE:
                continue
            mail = review_result_mail(
                to_address=user.email,
                kind=kind.value,
                name=name,
                approved=decision.approve,
                reason=decision.reason.strip(),
                link=link,
                language=user.language,
            )
            await self.outbox.put(mail, now=now)


_PAGES = {
    ReviewKind.QUALIFICATION: "qualification",
    ReviewKind.SIGNATURE: "signatures",
    ReviewKind.TEMPLATE: "templates",
}


def _note(
    actor: Actor, kind: ReviewKind, subject_id: int, tenant_id: int, decision: Decision, now: datetime
) -> AuditNote:
    verb = "approve" if decision.approve else "reject"
    return AuditNote(
        actor=actor,
        action=f"{kind.value}.{verb}",
        subject_kind=kind.value,
        subject_id=subject_id,
        tenant_id=tenant_id,
        detail=decision.reason.strip(),
        at=now,
    )


def _status(decision: Decision) -> ReviewStatus:
    return ReviewStatus.APPROVED if decision.approve else ReviewStatus.REJECTED


def _operator_id(actor: Actor) -> int | None:
    return actor.id if actor.kind is ActorKind.OPERATOR else None
