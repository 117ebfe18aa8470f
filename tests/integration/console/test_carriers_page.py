"""The operators' carriers page: each carrier's binds and backlog, from the real stores."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from smscloud.adapters.storage.binds import SqlBindReports
from smscloud.bootstrap import build_asgi_app
from smscloud.domain.carriers.model import BIND_REPORT_STALE_AFTER, BindState, Carrier
from tests.support.carrier_settings import carrier_settings
from tests.support.console import NOW, Browser, console_platform, operator_session, text_of

HOLDER = "connector 0 (pid 7 on host-a)"


def _carrier(name: str, binds: int) -> Carrier:
    return carrier_settings(name=name, host="10.0.0.1", system_id="acme", password="secret", tps=0, binds=binds)


def _row(page: str, carrier: str) -> list[str]:
    found = re.search(rf'<tr data-carrier="{re.escape(carrier)}">(.*?)</tr>', page, re.S)
    assert found is not None, carrier
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", found.group(1), re.S)]


async def test_the_operator_sees_binds_up_and_down_with_reasons_and_the_backlog(
    database_url: str, tmp_path: Path
) -> None:
    platform = await console_platform(database_url, tmp_path)
    operator, tenant = Browser(build_asgi_app(platform)), Browser(build_asgi_app(platform))
    try:
        acme = await platform.carriers.save(_carrier("<acme>", binds=3), now=NOW)
        await platform.carriers.save(_carrier("idle", binds=1), now=NOW)
        await platform.carriers.save(replace(_carrier("retired", binds=2), enabled=False), now=NOW)
        reports = SqlBindReports(platform.db)
        since = NOW - timedelta(minutes=5)
        await reports.report(BindState(acme.id, 0, HOLDER, True, since, ""), now=NOW)
        await reports.report(BindState(acme.id, 1, HOLDER, False, since, "bind refused: ESME_RBINDFAIL"), now=NOW)
        stale = NOW - BIND_REPORT_STALE_AFTER - timedelta(seconds=15)
        await reports.report(BindState(acme.id, 2, HOLDER, True, since, ""), now=stale)

        await operator_session(platform, operator)
        page = await operator.get("/operator/carriers")
        assert page.status_code == 200
        text = text_of(page)
        assert "&lt;acme&gt;" in page.text and "<acme>" not in page.text  # names are escaped
        assert _row(page.text, "&lt;acme&gt;") == ["&lt;acme&gt;", "1/3", "0", "0", "0 s", "0", "0", "0 s"]
        assert _row(page.text, "idle") == ["idle", "0/1", "0", "0", "0 s", "0", "0", "0 s"]
        assert _row(page.text, "retired")[:2] == ["retired", "off"]  # not "0/0": it is switched off
        assert "bind refused: ESME_RBINDFAIL" in text
        assert f"held by {HOLDER}" in text
        assert "no report for 45 s: its connector is gone" in text
        assert text.count("since 2026-") == 2  # the two live binds, in the operator's time zone

        settings = re.search(r'<tr data-carrier-settings="idle">(.*?)</tr>', page.text, re.S)
        assert settings is not None
        assert [
            re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", settings.group(1), re.S)
        ] == [
            "idle",
            "10.0.0.1:2775",
            "acme",
            "10",
            "no cap",
            "1",
            "on",
        ]
        assert "secret" not in page.text  # the carrier's password is never shown
        assert "No routes: every send is refused until one exists." in text
        await platform.carriers.set_route(prefix="86", carrier_id=acme.id, priority=3)
        routed = (await operator.get("/operator/carriers")).text
        table = routed[routed.index('<table id="routes">') :]
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)]
        assert cells == ["+86", "&lt;acme&gt;", "3", "on"]

        refused = await tenant.get("/operator/carriers")  # not for customers: to the operators' login
        assert (refused.status_code, refused.headers["location"]) == (303, "/operator/login")
    finally:
        await operator.aclose()
        await tenant.aclose()
        await platform.close()
