"""Settings from the environment: the API's address lists (trusted proxies, metrics clients) and request deadlines."""

from __future__ import annotations

import pytest

from smscloud.config import SettingsError, load_settings


@pytest.mark.parametrize("name", ["TRUSTED_PROXIES", "METRICS_ALLOW"])
def test_address_lists_are_comma_separated_addresses_networks_or_a_star(name: str) -> None:
    field = name.lower()
    assert getattr(load_settings(environ={}).api, field) == ["127.0.0.1", "::1"]
    given = load_settings(environ={f"SMSCLOUD_API__{name}": "10.0.0.5, 192.168.0.0/16,fd00::/8"})
    assert getattr(given.api, field) == ["10.0.0.5", "192.168.0.0/16", "fd00::/8"]
    assert getattr(load_settings(environ={f"SMSCLOUD_API__{name}": "*"}).api, field) == ["*"]
    assert getattr(load_settings(environ={f"SMSCLOUD_API__{name}": ""}).api, field) == []
    with pytest.raises(SettingsError, match=rf"api\.{field}: 'proxy\.example\.com'"):
        load_settings(environ={f"SMSCLOUD_API__{name}": "proxy.example.com"})


@pytest.mark.parametrize("name", ["HEADER_TIMEOUT_S", "BODY_TIMEOUT_S"])
def test_request_deadlines_are_positive_seconds(name: str) -> None:
    assert (load_settings(environ={}).api.header_timeout_s, load_settings(environ={}).api.body_timeout_s) == (20, 120)
    assert getattr(load_settings(environ={f"SMSCLOUD_API__{name}": "2.5"}).api, name.lower()) == 2.5
    for bad in ("0", "-1"):
        with pytest.raises(SettingsError, match=rf"api\.{name.lower()} must be more than 0 seconds"):
            load_settings(environ={f"SMSCLOUD_API__{name}": bad})
