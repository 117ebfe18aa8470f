"""The operators' outbox: mail kept for want of SMTP is readable; mail for the SMTP server is not,
since its one-time links would let an operator act as the customer."""

from __future__ import annotations

from pathlib import Path

from smscloud.bootstrap import build_asgi_app
from tests.support.console import Browser, console_platform, operator_session


async def _outbox_after_sign_up(database_url: str, data_dir: Path, smtp_host: str | None) -> tuple[str, str]:
    platform = await console_platform(database_url, data_dir, smtp_host=smtp_host)
    app = build_asgi_app(platform)
    tenant, reviewer = Browser(app), Browser(app)
    try:
        signed = await tenant.post(
            "/console/signup",
            {"email": "li@example.com", "password": "Secret123abc", "password_again": "Secret123abc", "terms": "yes"},
        )
        assert signed.status_code == 200
        (mail,) = await platform.outbox.recent(limit=10)
        link = next(line for line in mail.body.splitlines() if "/console/activate/" in line).strip()
        await operator_session(platform, reviewer)
        page = await reviewer.get("/operator/outbox")
        assert page.status_code == 200
        return page.text, link
    finally:
        await tenant.aclose()
        await reviewer.aclose()
        await platform.close()


async def test_kept_mail_shows_its_body_with_the_link(database_url: str, tmp_path: Path) -> None:
    page, link = await _outbox_after_sign_up(database_url, tmp_path, smtp_host=None)
    assert link in page
    assert "li@example.com" in page


async def test_mail_for_the_smtp_server_hides_its_body(database_url: str, tmp_path: Path) -> None:
    page, link = await _outbox_after_sign_up(database_url, tmp_path, smtp_host="127.0.0.1")
    assert link not in page
    assert "/console/activate/" not in page
    assert "li@example.com" in page  # who it is for and its state are still shown
    assert "it can hold a customer&#39;s one-time links" in page
