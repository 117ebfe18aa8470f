"""`console.operators_need_two_step`: an operator without two-step verification is led to its setup
from every operator page, and goes on once it is on."""

from __future__ import annotations

import dataclasses
import re

import msgspec
import pytest
from starlette.types import ASGIApp

from smscloud.bootstrap import Platform, build_asgi_app
from smscloud.domain.identity.two_step import step_of, totp
from smscloud.domain.shared.clock import FixedClock
from tests.integration.console.conftest import NewBrowser
from tests.support.console import notice, operator_session

pytestmark = pytest.mark.integration


@pytest.fixture
def app(platform: Platform) -> ASGIApp:
    console = msgspec.structs.replace(platform.settings.console, operators_need_two_step=True)
    settings = msgspec.structs.replace(platform.settings, console=console)
    return build_asgi_app(dataclasses.replace(platform, settings=settings))


async def test_an_operator_without_two_step_is_led_to_its_setup(
    platform: Platform, new_browser: NewBrowser, clock: FixedClock
) -> None:
    operator = new_browser()
    await operator_session(platform, operator)  # the password is still enough to sign in

    for path in ("/operator", "/operator/tenants", "/operator/audit"):
        led = await operator.get(path)
        assert led.headers["location"] == "/operator/security/two-step?done=two_step_required", path
    setup = await operator.get("/operator/security/two-step?done=two_step_required")
    assert notice(setup) == "This platform requires two-step verification of its operators: turn it on to go on."
    secret = re.search(r'name="secret" value="([A-Z2-7]+)"', setup.text)
    assert secret is not None
    on = await operator.post(
        "/operator/security/two-step",
        {"action": "enable", "secret": secret.group(1), "code": totp(secret.group(1), step_of(clock.now()))},
    )
    assert on.status_code == 200

    assert (await operator.get("/operator")).status_code == 200
