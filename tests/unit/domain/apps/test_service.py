"""Creating applications."""

from __future__ import annotations

import re

import pytest

from smscloud.domain.apps.model import AppStatus
from smscloud.domain.apps.service import create_application
from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.shared.errors import InvalidInput
from tests.unit.domain.factories import NOW
from tests.unit.domain.fakes import FakeAppStore


async def test_a_new_application_is_active_with_tencent_shaped_ids() -> None:
    store = FakeAppStore()
    app = await create_application(store=store, clock=FixedClock(NOW), tenant_id=3, name="  shop ")
    assert app.name == "shop"
    assert app.tenant_id == 3
    assert app.status is AppStatus.ACTIVE and app.enabled
    assert re.fullmatch(r"14[0-9]{8}", app.sdk_app_id)
    assert re.fullmatch(r"[0-9a-f]{32}", app.app_key)
    assert app.created_at == NOW
    assert store.apps == [app]


async def test_applications_get_distinct_ids_and_keys() -> None:
    store = FakeAppStore()
    apps = [await create_application(store=store, clock=FixedClock(NOW), tenant_id=1, name=f"a{n}") for n in range(50)]
    assert len({a.app_key for a in apps}) == 50
    assert len({a.sdk_app_id for a in apps}) > 45  # 10^8 possibilities: collisions are vanishingly rare


@pytest.mark.parametrize("name", ["", "  ", "n" * 129])
async def test_application_name_must_be_1_to_128_characters(name: str) -> None:
    store = FakeAppStore()
    with pytest.raises(InvalidInput) as invalid:
        await create_application(store=store, clock=FixedClock(NOW), tenant_id=1, name=name)
    assert invalid.value.field == "name"
    assert store.apps == []
