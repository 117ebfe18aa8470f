"""Every SQL store implements its domain port.

mypy (strict) checks the assignments below structurally, method by method, as bootstrap's wiring
would; the test checks at run time that each port method exists on the store with the same
parameters (names, kinds, defaults).
"""

from __future__ import annotations

import inspect

import pytest
from cryptography.fernet import Fernet

from smscloud.adapters.crypto.fernet_box import FernetBox
from smscloud.adapters.storage.accounts import SqlAccountStore
from smscloud.adapters.storage.apps import SqlAppStore
from smscloud.adapters.storage.audit import SqlAuditLog
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.documents import SqlDocumentStore
from smscloud.adapters.storage.history import SqlMessageHistory
from smscloud.adapters.storage.identity import (
    SqlLoginFailures,
    SqlOperatorStore,
    SqlSessionStore,
    SqlTokenStore,
    SqlUserStore,
)
from smscloud.adapters.storage.qualifications import SqlQualificationStore
from smscloud.adapters.storage.signatures import SqlSignatureStore
from smscloud.adapters.storage.templates import SqlTemplateStore
from smscloud.domain.accounts.ports import AccountStore
from smscloud.domain.apps.ports import AppStore
from smscloud.domain.audit.ports import AuditLog
from smscloud.domain.documents.ports import DocumentStore
from smscloud.domain.identity.ports import LoginFailures, OperatorStore, SessionStore, TokenStore, UserStore
from smscloud.domain.messages.ports import MessageHistory
from smscloud.domain.qualification.ports import QualificationStore
from smscloud.domain.signatures.ports import SignatureStore
from smscloud.domain.templates.ports import TemplateStore

pytestmark = pytest.mark.integration


def _wired(db: Database) -> list[tuple[type, object]]:
    box = FernetBox([Fernet.generate_key().decode()])
    accounts: AccountStore = SqlAccountStore(db, box)
    apps: AppStore = SqlAppStore(db, box)
    signatures: SignatureStore = SqlSignatureStore(db)
    templates: TemplateStore = SqlTemplateStore(db)
    users: UserStore = SqlUserStore(db)
    operators: OperatorStore = SqlOperatorStore(db)
    sessions: SessionStore = SqlSessionStore(db)
    tokens: TokenStore = SqlTokenStore(db)
    failures: LoginFailures = SqlLoginFailures(db)
    documents: DocumentStore = SqlDocumentStore(db)
    qualifications: QualificationStore = SqlQualificationStore(db)
    audit: AuditLog = SqlAuditLog(db)
    history: MessageHistory = SqlMessageHistory(db)
    return [
        (AccountStore, accounts),
        (AppStore, apps),
        (SignatureStore, signatures),
        (TemplateStore, templates),
        (UserStore, users),
        (OperatorStore, operators),
        (SessionStore, sessions),
        (TokenStore, tokens),
        (LoginFailures, failures),
        (DocumentStore, documents),
        (QualificationStore, qualifications),
        (AuditLog, audit),
        (MessageHistory, history),
    ]


def _shape(function: object) -> list[tuple[str, object, object]]:
    parameters = inspect.signature(function).parameters.values()  # type: ignore[arg-type]
    return [(p.name, p.kind, p.default) for p in parameters if p.name != "self"]


async def test_every_store_has_every_method_of_its_port_with_the_same_parameters(db: Database) -> None:
    for port, store in _wired(db):
        methods = [name for name, _ in inspect.getmembers(port, inspect.isfunction) if not name.startswith("_")]
        assert methods, port
        for name in methods:
            implementation = getattr(type(store), name, None)
            assert implementation is not None, f"{type(store).__name__} lacks {port.__name__}.{name}"
            assert inspect.iscoroutinefunction(implementation) == inspect.iscoroutinefunction(getattr(port, name))
            assert _shape(implementation) == _shape(getattr(port, name)), f"{type(store).__name__}.{name}"
