"""Submitting, modifying, deleting and listing signatures (AddSmsSign … DescribeSmsSignList)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from smscloud.domain.accounts.errors import SmsNotEnabled
from smscloud.domain.accounts.model import Tenant, TenantKind
from smscloud.domain.documents.model import DocumentPurpose, Upload
from smscloud.domain.qualification.errors import QualificationNotApproved
from smscloud.domain.qualification.model import Qualification
from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.shared.errors import InvalidInput, NotFound
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.errors import SignatureAlreadyApproved, SignatureExists, SignatureLimitReached
from smscloud.domain.signatures.model import Signature, SignatureDraft, SignPurpose
from smscloud.domain.signatures.rules import MAX_SIGNATURES
from smscloud.domain.signatures.service import (
    delete_signature,
    list_signatures,
    modify_signature,
    submit_signature,
)
from tests.unit.domain import factories as f
from tests.unit.domain.factories import NOW
from tests.unit.domain.fakes import FakeDocumentStore, FakeQualificationStore, FakeSignatureStore

THEIR_PROOF_ID = 60  # a signature proof uploaded by the other tenant
JPEG = b"\xff\xd8\xff\xe0" + bytes(16)
PDF = b"%PDF-1.7\n" + bytes(16)
PROOF, COMMISSION = Upload("scan.jpg", JPEG), Upload("attorney.pdf", PDF)
GIF = Upload("attorney.gif", b"GIF89a" + bytes(16))
APPROVED, PENDING, REJECTED = ReviewStatus.APPROVED, ReviewStatus.PENDING, ReviewStatus.REJECTED


class World:
    def __init__(
        self,
        *,
        tenant: Tenant | None = None,
        signatures: Iterable[Signature] = (),
        qualifications: Iterable[Qualification] = (),
    ) -> None:
        self.tenant = tenant or f.tenant(sms_enabled_at=NOW)
        self.store = FakeSignatureStore(signatures)
        self.documents = FakeDocumentStore([*f.documents(), f.document(id=THEIR_PROOF_ID, tenant_id=f.OTHER_TENANT_ID)])
        self.qualifications = FakeQualificationStore(qualifications)
        self.clock = FixedClock(NOW)
        self.uploaded_before = dict(self.documents.documents)

    async def submit(
        self,
        draft: SignatureDraft | None = None,
        *,
        proof: Upload | None = None,
        commission: Upload | None = None,
        max_upload_bytes: int = 1024,
        **overrides: Any,
    ) -> Signature:
        return await submit_signature(
            store=self.store,
            documents=self.documents,
            qualifications=self.qualifications,
            clock=self.clock,
            tenant=self.tenant,
            draft=draft or f.signature_draft(**overrides),
            proof=proof,
            commission=commission,
            max_upload_bytes=max_upload_bytes,
        )

    async def modify(
        self,
        signature_id: int,
        draft: SignatureDraft | None = None,
        *,
        proof: Upload | None = None,
        commission: Upload | None = None,
        max_upload_bytes: int = 1024,
        **overrides: Any,
    ) -> Signature:
        return await modify_signature(
            store=self.store,
            documents=self.documents,
            qualifications=self.qualifications,
            clock=self.clock,
            tenant=self.tenant,
            signature_id=signature_id,
            draft=draft or f.signature_draft(**overrides),
            proof=proof,
            commission=commission,
            max_upload_bytes=max_upload_bytes,
        )

    def stored_uploads(self) -> dict[int, bytes]:
        """The documents stored since the world was made, with their bytes."""
        return {
            id_: self.documents.contents[id_] for id_ in self.documents.documents if id_ not in self.uploaded_before
        }


# --- submit ---------------------------------------------------------------------------------


async def test_a_submitted_signature_waits_for_review_with_what_was_asked() -> None:
    world = World()
    draft = f.signature_draft(
        sign_purpose=SignPurpose.ON_BEHALF, commission_document_id=f.COMMISSION_ID, remark="for our client"
    )
    signature = await world.submit(draft)
    assert signature.status is PENDING
    assert not signature.usable_for(tenant_id=f.TENANT_ID, international=False)
    assert (signature.tenant_id, signature.name, signature.international) == (f.TENANT_ID, "极光科技", False)
    assert (signature.sign_type, signature.document_type, signature.sign_purpose) == (
        draft.sign_type,
        draft.document_type,
        SignPurpose.ON_BEHALF,
    )
    assert (signature.proof_document_id, signature.commission_document_id) == (f.PROOF_ID, f.COMMISSION_ID)
    assert signature.remark == "for our client"
    assert signature.created_at == NOW
    assert list(world.store.signatures.values()) == [signature]


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": "客服通知"},
        {"name": "【x】"},
        {"name": "A", "international": True},
        {"sign_purpose": SignPurpose.ON_BEHALF},
        {"proof_document_id": None},
    ],
)
async def test_a_request_that_breaks_a_rule_is_refused_before_it_is_stored(overrides: dict[str, Any]) -> None:
    world = World()
    with pytest.raises(InvalidInput):
        await world.submit(**overrides)
    assert world.store.signatures == {}


async def test_a_name_waiting_for_review_cannot_be_submitted_again() -> None:
    world = World()
    await world.submit()
    with pytest.raises(SignatureExists) as exists:
        await world.submit()
    assert exists.value.pending is True
    assert len(world.store.signatures) == 1


async def test_an_approved_name_cannot_be_submitted_again() -> None:
    world = World(signatures=[f.signature(name="极光科技", status=APPROVED)])
    with pytest.raises(SignatureExists) as exists:
        await world.submit()
    assert exists.value.pending is False
    assert len(world.store.signatures) == 1


async def test_a_rejected_name_may_be_submitted_again() -> None:
    world = World(signatures=[f.signature(name="极光科技", status=REJECTED)])
    again = await world.submit()
    assert again.status is PENDING
    assert len(world.store.signatures) == 2


async def test_a_deleted_name_may_be_submitted_again() -> None:
    world = World()
    first = await world.submit()
    await delete_signature(store=world.store, clock=world.clock, tenant_id=f.TENANT_ID, signature_id=first.id)
    assert (await world.submit()).id != first.id


@pytest.mark.parametrize(
    "existing",
    [
        f.signature(name="极光科技", tenant_id=f.OTHER_TENANT_ID),
        f.signature(name="极光科技", international=True),
    ],
    ids=["another tenant's", "international"],
)
async def test_the_same_name_elsewhere_is_no_duplicate(existing: Signature) -> None:
    world = World(signatures=[existing])
    assert (await world.submit()).status is PENDING


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"proof_document_id": 999}, "ProofImage"),
        ({"proof_document_id": THEIR_PROOF_ID}, "ProofImage"),
        ({"proof_document_id": f.LICENCE_ID}, "ProofImage"),
        ({"proof_document_id": f.COMMISSION_ID}, "ProofImage"),
        ({"sign_purpose": SignPurpose.ON_BEHALF, "commission_document_id": f.PROOF_ID}, "CommissionImage"),
        ({"sign_purpose": SignPurpose.ON_BEHALF, "commission_document_id": THEIR_PROOF_ID}, "CommissionImage"),
        ({"sign_purpose": SignPurpose.ON_BEHALF, "commission_document_id": 999}, "CommissionImage"),
    ],
    ids=[
        "unknown proof",
        "another tenant's proof",
        "licence as proof",
        "commission as proof",
        "proof as commission",
        "another tenant's commission",
        "unknown commission",
    ],
)
async def test_documents_must_be_the_tenants_own_and_uploaded_for_this_purpose(
    overrides: dict[str, Any], field: str
) -> None:
    world = World()
    with pytest.raises(InvalidInput) as invalid:
        await world.submit(**overrides)
    assert invalid.value.field == field
    assert world.store.signatures == {}


async def test_a_document_of_another_tenant_for_the_right_purpose_is_still_refused() -> None:
    world = World()
    theirs = await world.documents.add(
        tenant_id=f.OTHER_TENANT_ID,
        purpose=DocumentPurpose.COMMISSION,
        filename="x.pdf",
        content_type="application/pdf",
        data=b"%PDF-1.4",
        sha256="",
        now=NOW,
    )
    with pytest.raises(InvalidInput):
        await world.submit(sign_purpose=SignPurpose.ON_BEHALF, commission_document_id=theirs.id)


async def test_a_named_approved_qualification_of_the_tenant_is_kept() -> None:
    world = World(qualifications=[f.qualification()])
    signature = await world.submit(qualification_id=f.QUALIFICATION_ID)
    assert signature.qualification_id == f.QUALIFICATION_ID


@pytest.mark.parametrize("qualification_id", [f.QUALIFICATION_ID, 999], ids=["another tenant's", "unknown"])
async def test_a_qualification_that_is_not_the_tenants_is_not_found(qualification_id: int) -> None:
    world = World(qualifications=[f.qualification(tenant_id=f.OTHER_TENANT_ID)])
    with pytest.raises(NotFound):
        await world.submit(qualification_id=qualification_id)
    assert world.store.signatures == {}


@pytest.mark.parametrize("status", [PENDING, REJECTED])
async def test_a_qualification_that_is_not_approved_is_refused(status: ReviewStatus) -> None:
    world = World(qualifications=[f.qualification(status=status)])
    with pytest.raises(QualificationNotApproved):
        await world.submit(qualification_id=f.QUALIFICATION_ID)
    assert world.store.signatures == {}


async def test_an_enterprises_approved_qualification_is_attached_to_a_domestic_signature() -> None:
    world = World(qualifications=[f.qualification()])
    signature = await world.submit()
    assert signature.qualification_id == f.QUALIFICATION_ID


async def test_the_newest_approved_qualification_is_attached() -> None:
    world = World(qualifications=[f.qualification(), f.qualification(id=f.QUALIFICATION_ID + 1)])
    assert (await world.submit()).qualification_id == f.QUALIFICATION_ID + 1


async def test_no_qualification_is_attached_to_an_international_signature() -> None:
    world = World(qualifications=[f.qualification()])
    signature = await world.submit(name="Acme", international=True)
    assert signature.qualification_id is None


@pytest.mark.parametrize("status", [PENDING, REJECTED])
async def test_a_qualification_that_is_not_approved_is_not_attached(status: ReviewStatus) -> None:
    individual = f.tenant(kind=TenantKind.INDIVIDUAL, sms_enabled_at=NOW)
    world = World(tenant=individual, qualifications=[f.qualification(status=status)])
    assert (await world.submit()).qualification_id is None


async def test_a_tenant_holds_at_most_max_signatures() -> None:
    world = World(signatures=[f.signature(id=1000 + n, name=f"签名{n}") for n in range(MAX_SIGNATURES)])
    with pytest.raises(SignatureLimitReached):
        await world.submit()
    assert len(world.store.signatures) == MAX_SIGNATURES
    # Deleting one makes room again.
    await delete_signature(store=world.store, clock=world.clock, tenant_id=f.TENANT_ID, signature_id=1000)
    assert (await world.submit()).status is PENDING


async def test_other_tenants_signatures_do_not_count_towards_the_limit() -> None:
    others = [f.signature(id=1000 + n, name=f"签名{n}", tenant_id=f.OTHER_TENANT_ID) for n in range(MAX_SIGNATURES)]
    world = World(signatures=others)
    assert (await world.submit()).tenant_id == f.TENANT_ID


# --- uploads ---------------------------------------------------------------------------------


async def test_uploads_are_stored_as_the_tenants_documents_and_replace_the_drafts_ids() -> None:
    world = World()
    signature = await world.submit(
        sign_purpose=SignPurpose.ON_BEHALF, proof_document_id=None, proof=PROOF, commission=COMMISSION
    )
    proof = world.documents.documents[signature.proof_document_id or 0]
    commission = world.documents.documents[signature.commission_document_id or 0]
    assert (proof.tenant_id, proof.purpose, proof.filename, proof.content_type) == (
        f.TENANT_ID,
        DocumentPurpose.SIGN_PROOF,
        "scan.jpg",
        "image/jpeg",
    )
    assert (commission.tenant_id, commission.purpose, commission.content_type) == (
        f.TENANT_ID,
        DocumentPurpose.COMMISSION,
        "application/pdf",
    )
    assert world.stored_uploads() == {proof.id: JPEG, commission.id: PDF}


async def test_an_upload_replaces_a_document_of_the_signature_being_modified() -> None:
    world = World()
    signature = await world.submit()
    modified = await world.modify(signature.id, proof=PROOF)
    assert modified.proof_document_id not in (None, f.PROOF_ID)
    assert world.stored_uploads() == {modified.proof_document_id: JPEG}


_SUBMIT_REFUSALS: dict[str, tuple[Callable[[], World], dict[str, Any], type[Exception]]] = {
    "a rule broken": (World, {"name": "客服通知"}, InvalidInput),
    "a name waiting for review": (
        lambda: World(signatures=[f.signature(status=PENDING)]),
        {"name": f.SIGN},
        SignatureExists,
    ),
    "an approved name": (lambda: World(signatures=[f.signature()]), {"name": f.SIGN}, SignatureExists),
    "the limit": (
        lambda: World(signatures=[f.signature(id=1000 + n, name=f"签名{n}") for n in range(MAX_SIGNATURES)]),
        {},
        SignatureLimitReached,
    ),
    "another tenant's qualification": (
        lambda: World(qualifications=[f.qualification(tenant_id=f.OTHER_TENANT_ID)]),
        {"qualification_id": f.QUALIFICATION_ID},
        NotFound,
    ),
    "a pending qualification": (
        lambda: World(qualifications=[f.qualification(status=PENDING)]),
        {"qualification_id": f.QUALIFICATION_ID},
        QualificationNotApproved,
    ),
    "a bad second file": (World, {"commission": GIF}, InvalidInput),
    "a first file too large": (World, {"proof": Upload("big.jpg", JPEG + bytes(2048))}, InvalidInput),
    "another tenant's document beside the upload": (
        World,
        {"commission": None, "commission_document_id": THEIR_PROOF_ID},
        InvalidInput,
    ),
}


@pytest.mark.parametrize("refusal", list(_SUBMIT_REFUSALS))
async def test_a_refused_submission_stores_none_of_its_uploads(refusal: str) -> None:
    make, overrides, error = _SUBMIT_REFUSALS[refusal]
    world = make()
    uploads = {"proof": PROOF, "commission": COMMISSION, "proof_document_id": None, **overrides}
    with pytest.raises(error):
        await world.submit(sign_purpose=SignPurpose.ON_BEHALF, **uploads)
    assert world.stored_uploads() == {}


_MODIFY_REFUSALS: dict[str, tuple[list[Signature], dict[str, Any], type[Exception]]] = {
    "an approved signature": ([f.signature()], {}, SignatureAlreadyApproved),
    "an unknown signature": ([f.signature(status=PENDING)], {"signature_id": 999}, NotFound),
    "another tenant's signature": ([f.signature(tenant_id=f.OTHER_TENANT_ID, status=PENDING)], {}, NotFound),
    "the name of another live signature": (
        [f.signature(status=REJECTED), f.signature(id=21, name="极光云", status=PENDING)],
        {"name": "极光云"},
        SignatureExists,
    ),
    "domestic to international": (
        [f.signature(status=REJECTED)],
        {"name": "Acme", "international": True},
        InvalidInput,
    ),
    "a bad second file": ([f.signature(status=REJECTED)], {"commission": GIF}, InvalidInput),
}


@pytest.mark.parametrize("refusal", list(_MODIFY_REFUSALS))
async def test_a_refused_modification_stores_none_of_its_uploads(refusal: str) -> None:
    signatures, overrides, error = _MODIFY_REFUSALS[refusal]
    world = World(signatures=signatures)
    arguments = {"signature_id": 20, "proof": PROOF, "commission": COMMISSION, **overrides}
    with pytest.raises(error):
        await world.modify(sign_purpose=SignPurpose.ON_BEHALF, **arguments)
    assert world.stored_uploads() == {}


async def test_a_modification_refused_for_an_unapproved_qualification_stores_no_upload() -> None:
    world = World(signatures=[f.signature(status=REJECTED)], qualifications=[f.qualification(status=REJECTED)])
    with pytest.raises(QualificationNotApproved):
        await world.modify(20, qualification_id=f.QUALIFICATION_ID, proof=PROOF)
    assert world.stored_uploads() == {}


# --- modify ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [PENDING, REJECTED])
async def test_a_pending_or_rejected_signature_can_be_modified(status: ReviewStatus) -> None:
    world = World(signatures=[f.signature(status=status, review_reply="blurry" if status is REJECTED else "")])
    world.clock.advance(60)
    # Keeping its own name is no duplicate of itself.
    modified = await world.modify(20, name=f.SIGN, remark="clearer scan")
    assert modified.id == 20
    assert modified.remark == "clearer scan"
    assert modified.updated_at == world.clock.now()
    assert modified.status is PENDING
    assert world.store.signatures[20] == modified


async def test_a_modification_may_rename_the_signature() -> None:
    world = World()
    signature = await world.submit()
    renamed = await world.modify(signature.id, name="极光云")
    assert renamed.name == "极光云"
    assert [s.name for s in world.store.signatures.values()] == ["极光云"]


async def test_an_approved_signature_cannot_be_modified() -> None:
    world = World(signatures=[f.signature(status=APPROVED)])
    with pytest.raises(SignatureAlreadyApproved):
        await world.modify(20, name="腾讯云", remark="changed")
    assert world.store.signatures[20] == f.signature(status=APPROVED)


async def test_domestic_cannot_become_international() -> None:
    world = World(signatures=[f.signature(status=REJECTED)])
    with pytest.raises(InvalidInput) as invalid:
        await world.modify(20, name="Acme", international=True)
    assert invalid.value.field == "International"
    assert world.store.signatures[20] == f.signature(status=REJECTED)


@pytest.mark.parametrize("signature_id", [20, 999], ids=["another tenant's", "unknown"])
async def test_modifying_a_signature_that_is_not_the_tenants_is_not_found(signature_id: int) -> None:
    world = World(signatures=[f.signature(tenant_id=f.OTHER_TENANT_ID, status=PENDING)])
    with pytest.raises(NotFound):
        await world.modify(signature_id)
    assert world.store.signatures[20].name == f.SIGN


async def test_a_modification_may_not_take_the_name_of_another_live_signature() -> None:
    world = World()
    first = await world.submit()
    second = await world.submit(name="极光云")
    with pytest.raises(SignatureExists) as exists:
        await world.modify(second.id, name=first.name)
    assert exists.value.pending is True
    assert world.store.signatures[second.id].name == "极光云"


async def test_a_modification_is_checked_like_a_submission() -> None:
    world = World()
    signature = await world.submit()
    with pytest.raises(InvalidInput) as invalid:
        await world.modify(signature.id, proof_document_id=THEIR_PROOF_ID)
    assert invalid.value.field == "ProofImage"
    assert world.store.signatures[signature.id] == signature


async def test_a_modification_gets_the_approved_qualification_attached() -> None:
    world = World()
    signature = await world.submit()
    assert signature.qualification_id is None
    world.qualifications.qualifications[f.QUALIFICATION_ID] = f.qualification()
    assert (await world.modify(signature.id)).qualification_id == f.QUALIFICATION_ID


# --- delete and list ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [PENDING, APPROVED, REJECTED])
async def test_a_signature_can_be_deleted_in_any_state(status: ReviewStatus) -> None:
    world = World(signatures=[f.signature(status=status)])
    world.clock.advance(5)
    when = await delete_signature(store=world.store, clock=world.clock, tenant_id=f.TENANT_ID, signature_id=20)
    assert when == world.clock.now()
    assert world.store.signatures == {}


@pytest.mark.parametrize("signature_id", [20, 999], ids=["another tenant's", "unknown"])
async def test_deleting_a_signature_that_is_not_the_tenants_is_not_found(signature_id: int) -> None:
    world = World(signatures=[f.signature(tenant_id=f.OTHER_TENANT_ID)])
    with pytest.raises(NotFound):
        await delete_signature(store=world.store, clock=world.clock, tenant_id=f.TENANT_ID, signature_id=signature_id)
    assert 20 in world.store.signatures


async def test_listing_shows_the_tenants_own_signatures_of_one_region() -> None:
    world = World(signatures=[f.signature(id=5, tenant_id=f.OTHER_TENANT_ID)])
    domestic = await world.submit()
    international = await world.submit(name="Acme", international=True)
    listed = await list_signatures(store=world.store, tenant_id=f.TENANT_ID, international=False)
    assert listed == [domestic]
    listed = await list_signatures(store=world.store, tenant_id=f.TENANT_ID, ids=[international.id, 5])
    assert listed == [international]


async def test_a_signature_waits_until_the_account_has_applied_for_sms() -> None:
    world = World(tenant=f.tenant(sms_enabled_at=None))
    with pytest.raises(SmsNotEnabled):
        await world.submit(proof=PROOF)
    assert await world.store.count_of_tenant(world.tenant.id) == 0
    assert world.documents.contents == {}  # the proof was not stored
