"""Applications (SdkAppID and AppKey) and API keys (SecretId and SecretKey) in the console."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import pytest

from smscloud.bootstrap import Platform
from smscloud.domain.accounts.model import ApiKeyStatus
from smscloud.domain.apps.model import AppStatus
from tests.support.console import Account, approved_content, enable_sms, field_errors, notice, problem, text_of

pytestmark = pytest.mark.integration

NewAccount = Callable[[str], Awaitable[Account]]


@pytest.fixture
async def ann(platform: Platform, new_account: NewAccount) -> Account:
    account = await new_account("ann@example.com")
    await enable_sms(platform, account)
    return account


async def create_app(ann: Account, name: str = "shop") -> int:
    created = await ann.browser.post("/console/apps", {"name": name})
    assert created.status_code == 303, text_of(created)
    found = re.fullmatch(r"/console/apps/(\d+)\?done=app_created", created.headers["location"])
    assert found is not None
    return int(found.group(1))


async def test_applications_wait_for_the_sms_service(platform: Platform, new_account: NewAccount) -> None:
    ann = await new_account("ann@example.com")

    page = await ann.browser.get("/console/apps")
    assert "Apply for the SMS service before creating applications." in page.text
    refused = await ann.browser.post("/console/apps", {"name": "shop"}, page="/console")

    assert refused.status_code == 403
    assert problem(refused) == "Apply for the SMS service before creating applications."
    assert await platform.apps.of_tenant(ann.tenant_id) == []


@pytest.mark.parametrize(
    ("name", "says"),
    [("   ", "must be 1 to 128 characters"), ("shop\x1b[2J", "must not contain control characters")],
)
async def test_an_application_needs_a_name(platform: Platform, ann: Account, name: str, says: str) -> None:
    page = await ann.browser.post("/console/apps", {"name": name})

    assert page.status_code == 400
    assert field_errors(page) == {"name": says}
    assert await platform.apps.of_tenant(ann.tenant_id) == []


async def test_an_application_is_created_with_its_appkey_hidden_until_shown(platform: Platform, ann: Account) -> None:
    app_id = await create_app(ann)

    (app,) = await platform.apps.of_tenant(ann.tenant_id)
    assert (app.id, app.name, app.status) == (app_id, "shop", AppStatus.ACTIVE)
    listed = await ann.browser.get("/console/apps")
    assert app.sdk_app_id in listed.text and f'href="/console/apps/{app_id}"' in listed.text
    page = await ann.browser.get(f"/console/apps/{app_id}?done=app_created")
    assert notice(page) == "The application is created."
    assert app.sdk_app_id in page.text
    assert app.app_key not in page.text
    assert f"{app.app_key[:4]}••••••••{app.app_key[-4:]}" in page.text

    shown = await ann.browser.post(f"/console/apps/{app_id}", {"action": "reveal"})
    assert shown.status_code == 200
    assert f'<span class="secret" id="app-key">{app.app_key}</span>' in shown.text
    assert await platform.apps.get(tenant_id=ann.tenant_id, app_id=app_id) == app  # showing changes nothing


async def test_rotating_the_appkey_gives_a_new_one(platform: Platform, ann: Account) -> None:
    app_id = await create_app(ann)
    old = await platform.apps.get(tenant_id=ann.tenant_id, app_id=app_id)
    assert old is not None

    rotated = await ann.browser.post(f"/console/apps/{app_id}", {"action": "rotate"})

    new = await platform.apps.get(tenant_id=ann.tenant_id, app_id=app_id)
    assert new is not None
    assert new.app_key != old.app_key and new.sdk_app_id == old.sdk_app_id
    # Redirected, so that reloading the page rotates nothing; the new key is shown on request.
    assert rotated.headers["location"] == f"/console/apps/{app_id}?done=app_key_rotated"
    page = await ann.browser.get(rotated.headers["location"])
    assert notice(page).startswith("The AppKey is rotated")
    assert new.app_key not in page.text and old.app_key not in page.text
    revealed = await ann.browser.post(f"/console/apps/{app_id}", {"action": "reveal"})
    assert f'id="app-key">{new.app_key}<' in revealed.text


async def test_an_application_is_disabled_and_enabled(platform: Platform, ann: Account) -> None:
    app_id = await create_app(ann)
    _, template = await approved_content(platform, ann)

    disabled = await ann.browser.post(f"/console/apps/{app_id}", {"action": "disable"})
    assert disabled.headers["location"] == f"/console/apps/{app_id}?done=app_disabled"
    page = await ann.browser.get(disabled.headers["location"])
    assert notice(page) == "The application is disabled: it refuses every send."
    assert "Disabled" in page.text and 'value="enable"' in page.text
    app = await platform.apps.get(tenant_id=ann.tenant_id, app_id=app_id)
    assert app is not None and app.status is AppStatus.DISABLED
    test_page = await ann.browser.get(f"/console/templates/{template.id}/test")
    # A disabled application is not offered, and the page says why (not "create one").
    assert "Every application of this account is disabled: enable one to send." in test_page.text
    assert "Create an application first." not in test_page.text

    enabled = await ann.browser.post(f"/console/apps/{app_id}", {"action": "enable"})
    assert enabled.headers["location"] == f"/console/apps/{app_id}?done=app_enabled"
    app = await platform.apps.get(tenant_id=ann.tenant_id, app_id=app_id)
    assert app is not None and app.status is AppStatus.ACTIVE


async def test_an_api_secret_key_is_shown_once(platform: Platform, ann: Account) -> None:
    created = await ann.browser.post("/console/keys", {"action": "create"})

    assert created.status_code == 200
    (key,) = await platform.accounts.api_keys_of(ann.tenant_id)
    assert f'id="new-secret-id">{key.secret_id}<' in created.text
    assert f'id="new-secret-key">{key.secret_key}<' in created.text
    later = await ann.browser.get("/console/keys")
    assert key.secret_id in later.text
    assert key.secret_key not in later.text


async def test_reposting_the_create_form_creates_no_second_key_and_two_is_the_most(
    platform: Platform, ann: Account
) -> None:
    form = await ann.browser.get("/console/keys")
    newest = re.search(r'name="newest" value="(\d+)"', form.text)
    assert newest is not None and newest.group(1) == "0"
    created = await ann.browser.post("/console/keys", {"action": "create", "newest": "0"})
    assert created.status_code == 200
    (first,) = await platform.accounts.api_keys_of(ann.tenant_id)

    again = await ann.browser.post("/console/keys", {"action": "create", "newest": "0"})  # the reload
    assert again.headers["location"] == "/console/keys?done=key_created_already"
    assert [k.id for k in await platform.accounts.api_keys_of(ann.tenant_id)] == [first.id]

    second = await ann.browser.post("/console/keys", {"action": "create", "newest": str(first.id)})
    assert second.status_code == 200
    (_, newer) = await platform.accounts.api_keys_of(ann.tenant_id)
    third = await ann.browser.post("/console/keys", {"action": "create", "newest": str(newer.id)})
    assert third.status_code == 409
    assert problem(third) == "An account may hold two API keys: disable one and delete it before creating another."
    assert len(await platform.accounts.api_keys_of(ann.tenant_id)) == 2
    at_the_limit = await ann.browser.get("/console/keys")
    assert 'value="create"' not in at_the_limit.text  # no button that can only fail
    assert "disable a key (calls signed with it are refused from then on), then delete it" in text_of(at_the_limit)


async def test_an_api_key_is_deleted_only_once_disabled(platform: Platform, ann: Account) -> None:
    await ann.browser.post("/console/keys", {"action": "create"})
    (key,) = await platform.accounts.api_keys_of(ann.tenant_id)
    form = {"key_id": str(key.id)}

    refused = await ann.browser.post("/console/keys", {**form, "action": "delete"})
    assert refused.status_code == 409
    assert problem(refused) == "Disable the key before deleting it."
    assert [k.id for k in await platform.accounts.api_keys_of(ann.tenant_id)] == [key.id]

    disabled = await ann.browser.post("/console/keys", {**form, "action": "disable"})
    assert disabled.headers["location"] == "/console/keys?done=key_disabled"
    (stored,) = await platform.accounts.api_keys_of(ann.tenant_id)
    assert stored.status is ApiKeyStatus.DISABLED
    page = await ann.browser.get("/console/keys")
    assert 'value="enable"' in page.text and 'value="delete"' in page.text

    enabled = await ann.browser.post("/console/keys", {**form, "action": "enable"})
    assert enabled.headers["location"] == "/console/keys?done=key_enabled"
    await ann.browser.post("/console/keys", {**form, "action": "disable"})
    deleted = await ann.browser.post("/console/keys", {**form, "action": "delete"})
    assert deleted.headers["location"] == "/console/keys?done=key_deleted"
    assert notice(await ann.browser.get(deleted.headers["location"])) == "The API key is deleted."
    assert await platform.accounts.api_keys_of(ann.tenant_id) == []
