"""The console over the real database, driven in-process the way a browser drives it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from starlette.types import ASGIApp

from smscloud.bootstrap import Platform, build_asgi_app
from smscloud.domain.shared.clock import FixedClock
from tests.support.console import NOW, Account, Browser, console_platform, sign_up

NewBrowser = Callable[..., Browser]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def platform(database_url: str, tmp_path: Path, clock: FixedClock) -> AsyncIterator[Platform]:
    opened = await console_platform(database_url, tmp_path, clock=clock)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def app(platform: Platform) -> ASGIApp:
    return build_asgi_app(platform)


@pytest.fixture
async def new_browser(app: ASGIApp) -> AsyncIterator[NewBrowser]:
    """Make browsers (each with its own cookies); all are closed after the test."""
    opened: list[Browser] = []

    def make(**options: str) -> Browser:
        browser = Browser(app, **options)
        opened.append(browser)
        return browser

    yield make
    for browser in opened:
        await browser.aclose()


@pytest.fixture
def browser(new_browser: NewBrowser) -> Browser:
    return new_browser()


@pytest.fixture
def new_account(platform: Platform, new_browser: NewBrowser) -> Callable[[str], Awaitable[Account]]:
    """Sign up, activate and log in a tenant user in a browser of their own."""

    async def make(email: str) -> Account:
        return await sign_up(platform, new_browser(), email)

    return make
