"""Fixtures of the storage tests: every store over the per-test database, and a builder."""

from __future__ import annotations

import pytest

from smscloud.adapters.storage.database import Database
from tests.support.builders import Builder, Stores, make_stores


@pytest.fixture
def stores(db: Database) -> Stores:
    return make_stores(db)


@pytest.fixture
def build(stores: Stores) -> Builder:
    return Builder(stores)
