"""api.trusted_proxies: whose X-Forwarded-For names the client, through the real HTTP server.

The sign-up limit counts per client address, so it shows which address the console saw: behind a
trusted proxy each forwarded address has its own count; from anyone else the header is ignored.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
import pytest
from starlette.types import ASGIApp

from smscloud.adapters.http.tencent_v3.app import TencentAsgi
from smscloud.bootstrap import Platform, build_asgi_app
from smscloud.config import load_settings
from smscloud.domain.identity.service import SIGNUPS_PER_ADDRESS
from smscloud.entrypoints.http_server import http_server
from tests.support.console import PASSWORD, Browser

pytestmark = pytest.mark.integration


@asynccontextmanager
async def served(app: TencentAsgi, trusted_proxies: list[str] | None) -> AsyncIterator[str]:
    """`app` on a free loopback port behind the server `serve` uses; yields its base URL."""
    overrides: dict[str, object] = {} if trusted_proxies is None else {"api.trusted_proxies": trusted_proxies}
    server = http_server(app, load_settings(environ={}, overrides=overrides))
    listener = socket.create_server(("127.0.0.1", 0))
    task = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        while not server.started:
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        listener.close()


def forwarded_browser(app: ASGIApp, base_url: str) -> Callable[[str], Browser]:
    def make(client_address: str) -> Browser:
        browser = Browser(app)
        browser.http = httpx.AsyncClient(
            base_url=base_url,
            headers={"accept-language": "en", "user-agent": "test-browser", "x-forwarded-for": client_address},
        )
        return browser

    return make


async def sign_up(make: Callable[[str], Browser], base_url: str, email: str, client_address: str) -> int:
    browser = make(client_address)
    try:
        form = {"email": email, "password": PASSWORD, "password_again": PASSWORD, "terms": "yes"}
        return (await browser.post("/console/signup", form, origin=base_url)).status_code
    finally:
        await browser.aclose()


async def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_sign_up_count(
    platform: Platform,
) -> None:
    app = build_asgi_app(platform)
    async with served(app, None) as base_url:  # the default trusts a proxy on this host
        make = forwarded_browser(app, base_url)
        for n in range(SIGNUPS_PER_ADDRESS):
            assert await sign_up(make, base_url, f"a{n}@example.com", "203.0.113.7") == 200
        assert await sign_up(make, base_url, "a.more@example.com", "203.0.113.7") == 429
        assert await sign_up(make, base_url, "b@example.com", "198.51.100.9") == 200  # another client
    assert await platform.users.by_email("b@example.com") is not None


async def test_from_an_untrusted_peer_the_forwarded_address_is_ignored(platform: Platform) -> None:
    app = build_asgi_app(platform)
    async with served(app, ["10.0.0.0/8"]) as base_url:
        make = forwarded_browser(app, base_url)
        for n in range(SIGNUPS_PER_ADDRESS):
            assert await sign_up(make, base_url, f"a{n}@example.com", f"203.0.113.{n}") == 200
        # Every one of them came from 127.0.0.1, whatever the header claimed.
        assert await sign_up(make, base_url, "b@example.com", "198.51.100.9") == 429
    assert await platform.users.by_email("b@example.com") is None
