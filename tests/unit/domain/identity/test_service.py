"""Console identity over in-memory ports: sign-up, activation, login, resets, sessions, operators."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from smscloud.domain.accounts.model import TenantKind
from smscloud.domain.identity.errors import (
    AccountDisabled,
    BadCode,
    BadCredentials,
    EmailTaken,
    LinkInvalid,
    LoginThrottled,
    NotActivated,
    SignUpThrottled,
)
from smscloud.domain.identity.model import (
    Language,
    OperatorStatus,
    Principal,
    PrincipalKind,
    TokenPurpose,
    User,
    UserRole,
    UserStatus,
    hash_token,
)
from smscloud.domain.identity.service import (
    ACTIVATION_VALID,
    RESET_VALID,
    SIGNUP_WINDOW,
    SIGNUPS_PER_ADDRESS,
    Identity,
    OpenedSession,
    PendingLogin,
)
from smscloud.domain.identity.two_step import CHALLENGE_ATTEMPTS, new_secret, step_of, totp
from smscloud.domain.notifications.model import Mail
from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.shared.errors import InvalidInput
from tests.unit.domain import factories as f
from tests.unit.domain.factories import NOW, OWNER_EMAIL, PASSWORD
from tests.unit.domain.fakes import (
    FakeAccountStore,
    FakeLoginFailures,
    FakeOperatorStore,
    FakeOutbox,
    FakePasswordHasher,
    FakeSessionStore,
    FakeTokenStore,
    FakeTwoStepStore,
    FakeUserStore,
)

CONSOLE = "https://console.example"
IP, OTHER_IP = "192.0.2.1", "198.51.100.9"
UA = "Mozilla/5.0"
NEW_PASSWORD = "battery staple 9"


class World:
    def __init__(self, *users: User) -> None:
        self.clock = FixedClock(NOW)
        self.sessions = FakeSessionStore()
        self.users = FakeUserStore(users, sessions=self.sessions)
        self.operators = FakeOperatorStore([f.operator()], sessions=self.sessions)
        self.tokens = FakeTokenStore()
        self.failures = FakeLoginFailures()
        self.accounts = FakeAccountStore()
        self.outbox = FakeOutbox()
        self.two_step = FakeTwoStepStore()
        self.identity = Identity(
            users=self.users,
            operators=self.operators,
            sessions=self.sessions,
            tokens=self.tokens,
            failures=self.failures,
            accounts=self.accounts,
            outbox=self.outbox,
            hasher=FakePasswordHasher(),
            clock=self.clock,
            console_url=CONSOLE,
            two_step=self.two_step,
        )

    def link_token(self, mail: Mail, path: str) -> str:
        """The token of the console link in the mail; the link's path ends in /<path>/<token>."""
        found = re.search(re.escape(CONSOLE) + r"(?:/[\w-]+)*/" + path + r"/([A-Za-z0-9_-]+)", mail.body)
        assert found is not None, mail.body
        return found.group(1)

    async def log_in(self, email: str = OWNER_EMAIL, password: str = PASSWORD, ip: str = IP) -> OpenedSession:
        _, opened = await self.identity.log_in(email=email, password=password, ip=ip, user_agent=UA)
        assert isinstance(opened, OpenedSession), "two-step verification is on: use log_in_pending"
        return opened

    async def fail(self, times: int, *, email: str = OWNER_EMAIL, ip: str = IP) -> None:
        for _ in range(times):
            with pytest.raises(BadCredentials):
                await self.log_in(email=email, password="wrong password 1", ip=ip)


def owner(**overrides: object) -> User:
    return f.user(**overrides)


# --- sign-up and activation -----------------------------------------------------------------


async def test_sign_up_creates_an_individual_tenant_with_a_pending_owner() -> None:
    world = World()
    user = await world.identity.sign_up(email=" New@Example.COM ", password=PASSWORD, language=Language.EN)
    assert user.email == "new@example.com"
    assert (user.role, user.status, user.language) == (UserRole.OWNER, UserStatus.PENDING, Language.EN)
    assert user.password_hash == "plain:" + PASSWORD
    [tenant] = world.accounts.all_tenants
    assert (tenant.id, tenant.kind, tenant.name, tenant.timezone) == (
        user.tenant_id,
        TenantKind.INDIVIDUAL,
        "new@example.com",
        "Asia/Shanghai",
    )
    assert not tenant.sms_enabled


async def test_sign_ups_from_one_client_address_are_limited_per_hour() -> None:
    world = World()
    for n in range(SIGNUPS_PER_ADDRESS):
        await world.identity.sign_up(email=f"u{n}@example.com", password=PASSWORD, language=Language.EN, ip=IP)
        world.clock.advance(60)
    mails = len(world.outbox.mails)

    with pytest.raises(SignUpThrottled) as throttled:
        await world.identity.sign_up(email="one.more@example.com", password=PASSWORD, language=Language.EN, ip=IP)
    # The oldest of the ten leaves the window first: 60 minutes after it, minus the 10 since.
    assert throttled.value.retry_after_s == SIGNUP_WINDOW.total_seconds() - SIGNUPS_PER_ADDRESS * 60
    assert await world.users.by_email("one.more@example.com") is None
    assert len(world.outbox.mails) == mails  # nothing mailed

    await world.identity.sign_up(email="elsewhere@example.com", password=PASSWORD, language=Language.EN, ip="10.9.9.9")
    world.clock.advance(SIGNUP_WINDOW.total_seconds() - SIGNUPS_PER_ADDRESS * 60)
    await world.identity.sign_up(email="one.more@example.com", password=PASSWORD, language=Language.EN, ip=IP)


async def test_sign_up_mails_an_activation_link_in_the_users_language() -> None:
    world = World()
    await world.identity.sign_up(email="new@example.com", password=PASSWORD, language=Language.ZH_CN)
    [mail] = world.outbox.mails
    assert mail.to_address == "new@example.com"
    assert "激活" in mail.subject
    token = world.link_token(mail, "activate")
    # Only the hash of the token is stored, never the token itself.
    [stored] = world.tokens.tokens
    assert stored.token_hash == hash_token(token) != token
    assert (stored.purpose, stored.expires_at) == (TokenPurpose.ACTIVATE, NOW + ACTIVATION_VALID)


async def test_the_activation_link_activates_exactly_once() -> None:
    world = World()
    user = await world.identity.sign_up(email="new@example.com", password=PASSWORD, language=Language.EN)
    token = world.link_token(world.outbox.mails[0], "activate")
    world.clock.advance(600)
    activated = await world.identity.activate(token=token)
    assert (activated.id, activated.status) == (user.id, UserStatus.ACTIVE)
    assert activated.activated_at == NOW + timedelta(seconds=600)
    with pytest.raises(LinkInvalid):
        await world.identity.activate(token=token)


async def test_an_activated_user_can_log_in() -> None:
    world = World()
    await world.identity.sign_up(email="new@example.com", password=PASSWORD, language=Language.EN)
    with pytest.raises(NotActivated):
        await world.log_in(email="new@example.com")
    await world.identity.activate(token=world.link_token(world.outbox.mails[0], "activate"))
    opened = await world.log_in(email="new@example.com")
    assert opened.session.kind is PrincipalKind.USER


async def test_an_activation_link_holds_for_24_hours() -> None:
    world = World()
    await world.identity.sign_up(email="new@example.com", password=PASSWORD, language=Language.EN)
    token = world.link_token(world.outbox.mails[0], "activate")
    world.clock.advance(ACTIVATION_VALID.total_seconds() - 1)
    assert (await world.identity.activate(token=token)).status is UserStatus.ACTIVE


async def test_an_expired_activation_link_is_refused() -> None:
    world = World()
    user = await world.identity.sign_up(email="new@example.com", password=PASSWORD, language=Language.EN)
    token = world.link_token(world.outbox.mails[0], "activate")
    world.clock.advance(ACTIVATION_VALID.total_seconds() + 1)
    with pytest.raises(LinkInvalid):
        await world.identity.activate(token=token)
    assert world.users.users[user.id].status is UserStatus.PENDING


@pytest.mark.parametrize("token", ["", "nonsense", "x" * 43])
async def test_an_unknown_activation_link_is_refused(token: str) -> None:
    world = World()
    await world.identity.sign_up(email="new@example.com", password=PASSWORD, language=Language.EN)
    with pytest.raises(LinkInvalid):
        await world.identity.activate(token=token)


async def test_a_reset_link_does_not_activate_through_the_activation_page() -> None:
    world = World(owner(status=UserStatus.PENDING, activated_at=None))
    await world.identity.request_password_reset(email=OWNER_EMAIL)
    reset_token = world.link_token(world.outbox.mails[0], "reset")
    with pytest.raises(LinkInvalid):
        await world.identity.activate(token=reset_token)


async def test_an_address_can_sign_up_only_once_whatever_its_case() -> None:
    world = World()
    await world.identity.sign_up(email="new@example.com", password=PASSWORD, language=Language.EN)
    with pytest.raises(EmailTaken):
        await world.identity.sign_up(email="NEW@example.com", password=PASSWORD, language=Language.EN)
    assert len(world.accounts.all_tenants) == 1
    assert len(world.outbox.mails) == 1


@pytest.mark.parametrize(
    ("email", "password", "field"),
    [
        ("not an address", PASSWORD, "email"),
        ("new@example.com", "short1", "password"),
        ("newbie@x.cn", "newbie123", "password"),
    ],
)
async def test_a_bad_sign_up_leaves_no_trace(email: str, password: str, field: str) -> None:
    world = World()
    with pytest.raises(InvalidInput) as invalid:
        await world.identity.sign_up(email=email, password=password, language=Language.EN)
    assert invalid.value.field == field
    assert world.accounts.all_tenants == []
    assert world.users.users == {}
    assert world.outbox.mails == []


async def test_a_pending_user_can_have_the_activation_link_sent_again() -> None:
    world = World()
    await world.identity.sign_up(email="new@example.com", password=PASSWORD, language=Language.EN)
    world.clock.advance(60)
    await world.identity.resend_activation(email=" NEW@example.com ")
    first, second = world.outbox.mails
    assert second.to_address == "new@example.com"
    assert world.link_token(first, "activate") != world.link_token(second, "activate")
    assert (await world.identity.activate(token=world.link_token(second, "activate"))).status is UserStatus.ACTIVE


async def test_link_mails_are_at_most_one_a_minute_and_five_a_day() -> None:
    world = World()
    await world.identity.sign_up(email="new@example.com", password=PASSWORD, language=Language.EN)
    await world.identity.resend_activation(email="new@example.com")  # within the minute: dropped
    assert len(world.outbox.mails) == 1
    for _ in range(6):
        world.clock.advance(60)
        await world.identity.resend_activation(email="new@example.com")
    assert len(world.outbox.mails) == 5  # the sign-up's and four more in the day
    world.clock.advance(24 * 3600)
    await world.identity.resend_activation(email="new@example.com")
    assert len(world.outbox.mails) == 6


async def test_reset_mails_are_limited_the_same_way() -> None:
    world = World(owner())
    for _ in range(3):
        await world.identity.request_password_reset(email=OWNER_EMAIL)
    assert len(world.outbox.mails) == 1
    world.clock.advance(60)
    await world.identity.request_password_reset(email=OWNER_EMAIL)
    assert len(world.outbox.mails) == 2


@pytest.mark.parametrize("email", [OWNER_EMAIL, "nobody@example.com", "not an address"])
async def test_resending_is_silent_for_anyone_but_a_pending_user(email: str) -> None:
    world = World(owner())
    await world.identity.resend_activation(email=email)
    assert world.outbox.mails == []
    assert world.tokens.tokens == []


# --- logging in -----------------------------------------------------------------------------


async def test_logging_in_opens_a_session_known_only_by_its_hash() -> None:
    world = World(owner())
    world.clock.advance(30)
    user, opened = await world.identity.log_in(email=" OWNER@acme.example", password=PASSWORD, ip=IP, user_agent=UA)
    assert user.id == 100
    assert isinstance(opened, OpenedSession)
    session = opened.session
    assert (session.user_id, session.operator_id, session.ip, session.user_agent) == (100, None, IP, UA)
    assert session.expires_at == world.clock.now() + timedelta(days=7)
    assert session.csrf_token and session.csrf_token != opened.token
    assert world.sessions.token_hashes == {hash_token(opened.token): session.id}
    assert world.users.users[100].last_login_at == world.clock.now()
    assert await world.identity.resume(token=opened.token) == session


async def test_long_client_details_are_cut_to_the_columns() -> None:
    world = World(owner())
    _, opened = await world.identity.log_in(email=OWNER_EMAIL, password=PASSWORD, ip="1" * 100, user_agent="u" * 999)
    assert isinstance(opened, OpenedSession)
    assert (len(opened.session.ip), len(opened.session.user_agent)) == (64, 256)


async def test_each_login_gets_its_own_token() -> None:
    world = World(owner())
    first, second = await world.log_in(), await world.log_in()
    assert first.token != second.token
    assert first.session.id != second.session.id


@pytest.mark.parametrize(
    ("email", "password"),
    [(OWNER_EMAIL, "wrong password 1"), ("nobody@acme.example", PASSWORD), ("not an address", PASSWORD)],
    ids=["wrong password", "unknown address", "not an address"],
)
async def test_wrong_password_and_unknown_address_are_the_same_error(email: str, password: str) -> None:
    world = World(owner())
    with pytest.raises(BadCredentials):
        await world.log_in(email=email, password=password)
    assert world.sessions.sessions == {}


@pytest.mark.parametrize("email", [OWNER_EMAIL, "nobody@acme.example"], ids=["known", "unknown"])
async def test_an_unknown_address_costs_a_password_check_too(email: str) -> None:
    """So the time a refused login takes does not tell whether the address has an account."""
    world = World(owner())
    hasher = world.identity.hasher
    assert isinstance(hasher, FakePasswordHasher)
    with pytest.raises(BadCredentials):
        await world.log_in(email=email, password="wrong password 1")
    assert hasher.verified == 1


async def test_a_failure_is_recorded_with_the_address_and_client() -> None:
    world = World(owner())
    await world.fail(1, email="Owner@Acme.example")
    assert world.failures.failures == [(OWNER_EMAIL, IP, NOW)]


async def test_a_pending_user_with_the_right_password_is_told_to_activate() -> None:
    world = World(owner(status=UserStatus.PENDING, activated_at=None))
    with pytest.raises(NotActivated):
        await world.log_in()
    assert world.sessions.sessions == {}


async def test_a_pending_user_with_a_wrong_password_learns_nothing() -> None:
    world = World(owner(status=UserStatus.PENDING, activated_at=None))
    await world.fail(1)


async def test_a_disabled_user_cannot_log_in() -> None:
    world = World(owner(status=UserStatus.DISABLED))
    with pytest.raises(AccountDisabled):
        await world.log_in()
    assert world.sessions.sessions == {}


async def test_an_outdated_hash_is_replaced_at_login() -> None:
    world = World(owner(password_hash="old:" + PASSWORD))
    await world.log_in()
    assert world.users.users[100].password_hash == "plain:" + PASSWORD


async def test_replacing_an_outdated_hash_leaves_the_users_sessions_open() -> None:
    world = World(owner())
    earlier = await world.log_in()
    world.users.users[100] = owner(password_hash="old:" + PASSWORD)
    later = await world.log_in(ip=OTHER_IP)
    assert world.users.users[100].password_hash == "plain:" + PASSWORD
    assert await world.identity.resume(token=earlier.token) is not None
    assert await world.identity.resume(token=later.token) is not None


async def test_five_failures_for_one_address_from_one_client_block_it_there_even_with_the_right_password() -> None:
    world = World(owner())
    await world.fail(5)
    with pytest.raises(LoginThrottled) as throttled:
        await world.log_in()
    assert throttled.value.retry_after_s == 15 * 60
    assert world.sessions.sessions == {}
    # Someone guessing from one place does not lock the owner out: from elsewhere, the login works.
    await world.log_in(ip=OTHER_IP)


async def test_fifty_failures_for_one_address_from_anywhere_block_it_everywhere() -> None:
    world = World(owner())
    for n in range(50):
        await world.failures.record(email=OWNER_EMAIL, ip=f"203.0.113.{n}", now=world.clock.now())
    with pytest.raises(LoginThrottled):
        await world.log_in(ip=OTHER_IP)


async def test_four_failures_do_not_block() -> None:
    world = World(owner())
    await world.fail(4)
    await world.log_in()


async def test_the_block_lifts_after_15_minutes() -> None:
    world = World(owner())
    await world.fail(5)
    world.clock.advance(15 * 60 + 1)
    await world.log_in()


async def test_failures_spread_over_more_than_15_minutes_do_not_block() -> None:
    world = World(owner())
    for _ in range(8):
        await world.fail(1)
        world.clock.advance(4 * 60)  # at most four failures in any 15 minutes
    await world.log_in()


async def test_a_successful_login_resets_the_count_for_the_address() -> None:
    world = World(owner())
    await world.fail(4)
    await world.log_in()
    await world.fail(4)
    await world.log_in()


async def test_thirty_failures_from_one_client_block_that_client() -> None:
    world = World(owner())
    for n in range(30):
        await world.fail(1, email=f"guess{n}@acme.example")
    with pytest.raises(LoginThrottled):
        await world.log_in()
    # Another client still gets in with the right password.
    await world.log_in(ip=OTHER_IP)


async def test_twenty_nine_failures_from_one_client_do_not_block_it() -> None:
    world = World(owner())
    for n in range(29):
        await world.fail(1, email=f"guess{n}@acme.example")
    await world.log_in()


# --- password reset -------------------------------------------------------------------------


async def test_a_reset_link_is_mailed_to_a_known_address() -> None:
    world = World(owner(language=Language.EN))
    await world.identity.request_password_reset(email=" OWNER@acme.example ")
    [mail] = world.outbox.mails
    assert mail.to_address == OWNER_EMAIL
    assert "password" in mail.subject.lower()
    token = world.link_token(mail, "reset")
    [stored] = world.tokens.tokens
    assert (stored.token_hash, stored.purpose, stored.expires_at) == (
        hash_token(token),
        TokenPurpose.RESET,
        NOW + RESET_VALID,
    )


@pytest.mark.parametrize("email", ["nobody@acme.example", "not an address", ""])
async def test_a_reset_request_is_silent_for_unknown_addresses(email: str) -> None:
    world = World(owner())
    await world.identity.request_password_reset(email=email)
    assert world.outbox.mails == []
    assert world.tokens.tokens == []


async def test_a_disabled_user_gets_no_reset_link() -> None:
    world = World(owner(status=UserStatus.DISABLED))
    await world.identity.request_password_reset(email=OWNER_EMAIL)
    assert world.outbox.mails == []


async def test_a_reset_sets_the_password_and_ends_every_session() -> None:
    world = World(owner())
    opened = [await world.log_in(), await world.log_in(ip=OTHER_IP)]
    await world.identity.request_password_reset(email=OWNER_EMAIL)
    user = await world.identity.reset_password(
        token=world.link_token(world.outbox.mails[0], "reset"), password=NEW_PASSWORD
    )
    assert user.id == 100
    for each in opened:
        assert await world.identity.resume(token=each.token) is None
    with pytest.raises(BadCredentials):
        await world.log_in()
    await world.log_in(password=NEW_PASSWORD)


async def test_a_reset_lifts_the_login_block() -> None:
    world = World(owner())
    await world.fail(5)
    await world.identity.request_password_reset(email=OWNER_EMAIL)
    await world.identity.reset_password(token=world.link_token(world.outbox.mails[0], "reset"), password=NEW_PASSWORD)
    await world.log_in(password=NEW_PASSWORD)


async def test_a_reset_activates_a_pending_user() -> None:
    world = World(owner(status=UserStatus.PENDING, activated_at=None))
    await world.identity.request_password_reset(email=OWNER_EMAIL)
    world.clock.advance(60)
    user = await world.identity.reset_password(
        token=world.link_token(world.outbox.mails[0], "reset"), password=NEW_PASSWORD
    )
    assert user.status is UserStatus.ACTIVE
    assert user.activated_at == world.clock.now()
    await world.log_in(password=NEW_PASSWORD)


async def test_a_reset_link_works_once() -> None:
    world = World(owner())
    await world.identity.request_password_reset(email=OWNER_EMAIL)
    token = world.link_token(world.outbox.mails[0], "reset")
    await world.identity.reset_password(token=token, password=NEW_PASSWORD)
    with pytest.raises(LinkInvalid):
        await world.identity.reset_password(token=token, password="another pass 3")
    await world.log_in(password=NEW_PASSWORD)


async def test_a_reset_link_expires_after_an_hour() -> None:
    world = World(owner())
    await world.identity.request_password_reset(email=OWNER_EMAIL)
    world.clock.advance(RESET_VALID.total_seconds() + 1)
    with pytest.raises(LinkInvalid):
        await world.identity.reset_password(
            token=world.link_token(world.outbox.mails[0], "reset"), password=NEW_PASSWORD
        )
    await world.log_in()


async def test_an_activation_link_is_no_reset_link() -> None:
    world = World()
    await world.identity.sign_up(email="new@example.com", password=PASSWORD, language=Language.EN)
    with pytest.raises(LinkInvalid):
        await world.identity.reset_password(
            token=world.link_token(world.outbox.mails[0], "activate"), password=NEW_PASSWORD
        )


async def test_a_weak_new_password_is_refused() -> None:
    world = World(owner())
    await world.identity.request_password_reset(email=OWNER_EMAIL)
    with pytest.raises(InvalidInput):
        await world.identity.reset_password(token=world.link_token(world.outbox.mails[0], "reset"), password="short")
    await world.log_in()


async def test_a_refused_new_password_leaves_the_link_usable() -> None:
    world = World(owner())
    await world.identity.request_password_reset(email=OWNER_EMAIL)
    token = world.link_token(world.outbox.mails[0], "reset")
    with pytest.raises(InvalidInput):
        await world.identity.reset_password(token=token, password="short")
    await world.identity.reset_password(token=token, password=NEW_PASSWORD)


async def test_changing_the_password_keeps_this_session_and_ends_the_others() -> None:
    world = World(owner())
    here, there = await world.log_in(), await world.log_in(ip=OTHER_IP)
    await world.identity.change_password(
        user=world.users.users[100], current=PASSWORD, new=NEW_PASSWORD, keep_session=here.session.id
    )
    assert await world.identity.resume(token=here.token) is not None
    assert await world.identity.resume(token=there.token) is None
    await world.log_in(password=NEW_PASSWORD)


async def test_changing_the_password_needs_the_current_one() -> None:
    world = World(owner())
    here = await world.log_in()
    with pytest.raises(InvalidInput) as invalid:
        await world.identity.change_password(
            user=world.users.users[100], current="not it 123", new=NEW_PASSWORD, keep_session=here.session.id
        )
    assert invalid.value.field == "current_password"
    with pytest.raises(InvalidInput) as empty:
        await world.identity.change_password(
            user=world.users.users[100], current="", new=NEW_PASSWORD, keep_session=here.session.id
        )
    assert (empty.value.field, empty.value.reason) == ("current_password", "Enter your current password.")
    await world.log_in()


async def test_a_weak_changed_password_names_the_new_field() -> None:
    world = World(owner())
    with pytest.raises(InvalidInput) as invalid:
        await world.identity.change_password(user=world.users.users[100], current=PASSWORD, new="short", keep_session=1)
    assert invalid.value.field == "new_password"


# --- sessions -------------------------------------------------------------------------------


async def test_an_unknown_or_empty_token_resumes_nothing() -> None:
    world = World(owner())
    opened = await world.log_in()
    assert await world.identity.resume(token="") is None
    assert await world.identity.resume(token=opened.token + "x") is None
    assert await world.identity.resume(token=hash_token(opened.token)) is None  # the stored hash is no token


async def test_a_logged_out_session_is_gone() -> None:
    world = World(owner())
    opened = await world.log_in()
    await world.identity.log_out(session=opened.session)
    assert await world.identity.resume(token=opened.token) is None


async def test_a_session_ends_after_two_idle_hours() -> None:
    world = World(owner())
    opened = await world.log_in()
    world.clock.advance(2 * 3600 - 1)
    assert await world.identity.resume(token=opened.token) is not None
    world.clock.advance(2 * 3600)
    assert await world.identity.resume(token=opened.token) is None


async def test_activity_keeps_a_session_until_it_expires_after_seven_days() -> None:
    world = World(owner())
    opened = await world.log_in()
    for _ in range(7 * 24 - 1):
        world.clock.advance(3600)
        assert await world.identity.resume(token=opened.token) is not None
    world.clock.advance(3600)
    assert await world.identity.resume(token=opened.token) is None


async def test_last_seen_is_written_at_most_once_a_minute() -> None:
    world = World(owner())
    opened = await world.log_in()
    sid = opened.session.id
    for step in (10, 20, 29):  # 59 s after login
        world.clock.advance(step)
        await world.identity.resume(token=opened.token)
    assert world.sessions.touched == []
    world.clock.advance(1)  # a minute after login
    await world.identity.resume(token=opened.token)
    assert world.sessions.touched == [(sid, NOW + timedelta(seconds=60))]
    world.clock.advance(59)
    await world.identity.resume(token=opened.token)
    assert len(world.sessions.touched) == 1
    world.clock.advance(1)
    await world.identity.resume(token=opened.token)
    assert world.sessions.touched[-1] == (sid, NOW + timedelta(seconds=120))


async def test_a_user_can_end_another_of_their_sessions() -> None:
    world = World(owner())
    here, there = await world.log_in(), await world.log_in(ip=OTHER_IP)
    assert await world.identity.revoke_session(owner=here.session, session_id=there.session.id) is True
    assert await world.identity.resume(token=there.token) is None
    assert await world.identity.resume(token=here.token) is not None


async def test_a_user_cannot_end_someone_elses_session() -> None:
    world = World(owner(), owner(id=101, email="colleague@acme.example"))
    mine = await world.log_in()
    theirs = await world.log_in(email="colleague@acme.example")
    _, operators = await world.identity.operator_log_in(
        email=f.operator().email, password=PASSWORD, ip=IP, user_agent=UA
    )
    assert isinstance(operators, OpenedSession)
    for victim in (theirs, operators):
        assert await world.identity.revoke_session(owner=mine.session, session_id=victim.session.id) is False
        assert await world.identity.resume(token=victim.token) is not None
    assert await world.identity.revoke_session(owner=mine.session, session_id=999) is False


# --- operators ------------------------------------------------------------------------------


async def test_an_operator_logs_in_to_an_operator_session() -> None:
    world = World()
    operator, opened = await world.identity.operator_log_in(
        email=" Reviewer@smscloud.example", password=PASSWORD, ip=IP, user_agent=UA
    )
    assert operator.id == f.OPERATOR_ID
    assert isinstance(opened, OpenedSession)
    assert (opened.session.user_id, opened.session.operator_id) == (None, f.OPERATOR_ID)
    assert opened.session.kind is PrincipalKind.OPERATOR
    assert world.operators.operators[f.OPERATOR_ID].last_login_at == NOW
    assert await world.identity.resume(token=opened.token) == opened.session


async def test_operators_and_users_do_not_share_logins() -> None:
    world = World(owner())
    with pytest.raises(BadCredentials):
        await world.identity.operator_log_in(email=OWNER_EMAIL, password=PASSWORD, ip=IP, user_agent=UA)
    with pytest.raises(BadCredentials):
        await world.log_in(email=f.operator().email)


async def test_failed_operator_logins_do_not_block_a_user_with_the_same_address() -> None:
    world = World(owner(email=f.operator().email))
    for _ in range(5):
        with pytest.raises(BadCredentials):
            await world.identity.operator_log_in(email=f.operator().email, password="nope 1234", ip=IP, user_agent=UA)
    with pytest.raises(LoginThrottled):
        await world.identity.operator_log_in(email=f.operator().email, password=PASSWORD, ip=IP, user_agent=UA)
    user, _ = await world.identity.log_in(email=f.operator().email, password=PASSWORD, ip=IP, user_agent=UA)
    assert user.id == 100


async def test_a_disabled_operator_cannot_log_in() -> None:
    world = World()
    world.operators.operators[f.OPERATOR_ID] = f.operator(status=OperatorStatus.DISABLED)
    with pytest.raises(AccountDisabled):
        await world.identity.operator_log_in(email=f.operator().email, password=PASSWORD, ip=IP, user_agent=UA)
    assert world.sessions.sessions == {}


async def test_an_outdated_operator_hash_is_replaced_at_login() -> None:
    world = World()
    world.operators.operators[f.OPERATOR_ID] = f.operator(password_hash="old:" + PASSWORD)
    await world.identity.operator_log_in(email=f.operator().email, password=PASSWORD, ip=IP, user_agent=UA)
    assert world.operators.operators[f.OPERATOR_ID].password_hash == "plain:" + PASSWORD


async def test_replacing_an_outdated_operator_hash_leaves_their_sessions_open() -> None:
    world = World()
    email = f.operator().email
    _, earlier = await world.identity.operator_log_in(email=email, password=PASSWORD, ip=IP, user_agent=UA)
    world.operators.operators[f.OPERATOR_ID] = f.operator(password_hash="old:" + PASSWORD)
    await world.identity.operator_log_in(email=email, password=PASSWORD, ip=OTHER_IP, user_agent=UA)
    assert world.operators.operators[f.OPERATOR_ID].password_hash == "plain:" + PASSWORD
    assert isinstance(earlier, OpenedSession)
    assert await world.identity.resume(token=earlier.token) is not None


async def test_creating_an_operator() -> None:
    world = World()
    operator = await world.identity.create_operator(
        email=" Second@SMScloud.example ", name="  Li Si ", password=NEW_PASSWORD, language=Language.ZH_CN
    )
    assert (operator.email, operator.name, operator.status) == (
        "second@smscloud.example",
        "Li Si",
        OperatorStatus.ACTIVE,
    )
    assert operator.password_hash == "plain:" + NEW_PASSWORD
    await world.identity.operator_log_in(email="second@smscloud.example", password=NEW_PASSWORD, ip=IP, user_agent=UA)


@pytest.mark.parametrize(
    ("email", "name", "password", "field"),
    [
        ("nope", "Li", NEW_PASSWORD, "email"),
        ("li@smscloud.example", "  ", NEW_PASSWORD, "name"),
        ("li@smscloud.example", "n" * 65, NEW_PASSWORD, "name"),
        ("li@smscloud.example", "Li", "weak", "password"),
    ],
)
async def test_a_bad_operator_is_refused(email: str, name: str, password: str, field: str) -> None:
    world = World()
    with pytest.raises(InvalidInput) as invalid:
        await world.identity.create_operator(email=email, name=name, password=password, language=Language.EN)
    assert invalid.value.field == field
    assert list(world.operators.operators) == [f.OPERATOR_ID]


async def test_setting_an_operators_password_ends_their_sessions() -> None:
    world = World()
    _, opened = await world.identity.operator_log_in(email=f.operator().email, password=PASSWORD, ip=IP, user_agent=UA)
    await world.identity.set_operator_password(operator_id=f.OPERATOR_ID, password=NEW_PASSWORD)
    assert await world.identity.resume(token=opened.token) is None
    await world.identity.operator_log_in(email=f.operator().email, password=NEW_PASSWORD, ip=IP, user_agent=UA)


async def test_setting_the_password_of_an_unknown_operator_is_refused() -> None:
    world = World()
    with pytest.raises(InvalidInput):
        await world.identity.set_operator_password(operator_id=999, password=NEW_PASSWORD)


async def test_disabling_an_operator_ends_their_sessions_and_enabling_lets_them_in_again() -> None:
    world = World()
    second = await world.identity.create_operator(
        email="second@smscloud.example", name="Li Si", password=NEW_PASSWORD, language=Language.EN
    )
    _, opened = await world.identity.operator_log_in(email=second.email, password=NEW_PASSWORD, ip=IP, user_agent=UA)

    disabled = await world.identity.set_operator_status(operator_id=second.id, status=OperatorStatus.DISABLED)
    assert disabled.status is OperatorStatus.DISABLED
    assert await world.identity.resume(token=opened.token) is None
    with pytest.raises(AccountDisabled):
        await world.identity.operator_log_in(email=second.email, password=NEW_PASSWORD, ip=IP, user_agent=UA)

    await world.identity.set_operator_status(operator_id=second.id, status=OperatorStatus.ACTIVE)
    await world.identity.operator_log_in(email=second.email, password=NEW_PASSWORD, ip=IP, user_agent=UA)


async def test_the_last_active_operator_cannot_be_disabled() -> None:
    world = World()
    with pytest.raises(InvalidInput) as refused:
        await world.identity.set_operator_status(operator_id=f.OPERATOR_ID, status=OperatorStatus.DISABLED)
    assert "last active operator" in str(refused.value)
    assert world.operators.operators[f.OPERATOR_ID].status is OperatorStatus.ACTIVE
    with pytest.raises(InvalidInput):
        await world.identity.set_operator_status(operator_id=999, status=OperatorStatus.DISABLED)


# --- two-step verification ------------------------------------------------------------------


async def with_two_step(world: World, principal: Principal) -> tuple[str, list[str]]:
    secret = new_secret()
    codes = await world.identity.enable_two_step(
        principal, secret=secret, code=totp(secret, step_of(world.clock.now()))
    )
    world.clock.advance(30)  # the code that turned it on is used: the next login needs the next one
    return secret, codes


async def pending(world: World, email: str = OWNER_EMAIL, ip: str = IP) -> str:
    _, waiting = await world.identity.log_in(email=email, password=PASSWORD, ip=ip, user_agent=UA)
    assert isinstance(waiting, PendingLogin)
    return waiting.token


async def test_turning_it_on_needs_a_code_of_the_secret_and_gives_recovery_codes_once() -> None:
    world = World(owner())
    secret = new_secret()
    with pytest.raises(InvalidInput) as wrong:
        await world.identity.enable_two_step(Principal.user(100), secret=secret, code="000000")
    assert wrong.value.field == "code"
    assert await world.identity.two_step_of(Principal.user(100)) is None

    codes = await world.identity.enable_two_step(
        Principal.user(100), secret=secret, code=totp(secret, step_of(world.clock.now()))
    )
    assert len(codes) == 8 and len(set(codes)) == 8
    state = await world.identity.two_step_of(Principal.user(100))
    assert state is not None and state.recovery_codes_left == 8
    assert all(code not in repr(world.two_step.codes) for code in codes)  # only hashes are kept


async def test_a_login_with_two_step_opens_a_session_only_after_the_code() -> None:
    world = World(owner())
    secret, _ = await with_two_step(world, Principal.user(100))

    token = await pending(world)
    assert world.sessions.token_hashes == {}  # no session yet
    assert await world.identity.resume(token=token) is None  # the pending token is no session
    principal, opened = await world.identity.complete_log_in(
        token=token, code=totp(secret, step_of(world.clock.now())), ip=IP
    )

    assert principal == Principal.user(100)
    assert await world.identity.resume(token=opened.token) == opened.session
    assert world.users.users[100].last_login_at == world.clock.now()
    with pytest.raises(BadCode) as again:  # the pending login is over
        await world.identity.complete_log_in(token=token, code=totp(secret, step_of(world.clock.now())), ip=IP)
    assert again.value.expired


async def test_a_code_works_once() -> None:
    world = World(owner())
    secret, _ = await with_two_step(world, Principal.user(100))
    code = totp(secret, step_of(world.clock.now()))
    await world.identity.complete_log_in(token=await pending(world), code=code, ip=IP)

    with pytest.raises(BadCode) as replayed:
        await world.identity.complete_log_in(token=await pending(world), code=code, ip=IP)
    assert not replayed.value.expired


async def test_a_recovery_code_works_once_typed_loosely() -> None:
    world = World(owner())
    _, codes = await with_two_step(world, Principal.user(100))

    await world.identity.complete_log_in(token=await pending(world), code=f" {codes[3].upper()} ", ip=IP)
    state = await world.identity.two_step_of(Principal.user(100))
    assert state is not None and state.recovery_codes_left == 7
    with pytest.raises(BadCode):
        await world.identity.complete_log_in(token=await pending(world), code=codes[3], ip=IP)


async def test_wrong_codes_end_the_pending_login_and_count_as_failed_logins() -> None:
    world = World(owner())
    secret, _ = await with_two_step(world, Principal.user(100))
    token = await pending(world)

    for attempt in range(1, CHALLENGE_ATTEMPTS + 1):
        with pytest.raises(BadCode) as wrong:
            await world.identity.complete_log_in(token=token, code="000000", ip=IP)
        assert wrong.value.expired is (attempt == CHALLENGE_ATTEMPTS)
    with pytest.raises(BadCode) as over:  # even the right code, now
        await world.identity.complete_log_in(token=token, code=totp(secret, step_of(world.clock.now())), ip=IP)
    assert over.value.expired
    assert len(world.failures.failures) == CHALLENGE_ATTEMPTS
    with pytest.raises(LoginThrottled):  # the password alone cannot restart the guessing
        await world.identity.log_in(email=OWNER_EMAIL, password=PASSWORD, ip=IP, user_agent=UA)


async def test_a_pending_login_expires_after_five_minutes() -> None:
    world = World(owner())
    secret, _ = await with_two_step(world, Principal.user(100))
    token = await pending(world)
    world.clock.advance(5 * 60)
    with pytest.raises(BadCode) as late:
        await world.identity.complete_log_in(token=token, code=totp(secret, step_of(world.clock.now())), ip=IP)
    assert late.value.expired


async def test_turning_it_off_needs_the_password_and_a_reset_needs_nothing() -> None:
    world = World(owner())
    await with_two_step(world, Principal.user(100))
    with pytest.raises(InvalidInput) as wrong:
        await world.identity.disable_two_step(Principal.user(100), password="not it 1")
    assert (wrong.value.field, wrong.value.reason) == ("password", "is not your current password")
    with pytest.raises(InvalidInput) as empty:  # nothing typed is not a wrong password
        await world.identity.disable_two_step(Principal.user(100), password="")
    assert (empty.value.field, empty.value.reason) == ("password", "Enter your current password.")
    await world.identity.disable_two_step(Principal.user(100), password=PASSWORD)
    assert await world.identity.two_step_of(Principal.user(100)) is None
    assert isinstance(
        (await world.identity.log_in(email=OWNER_EMAIL, password=PASSWORD, ip=IP, user_agent=UA))[1], OpenedSession
    )

    await with_two_step(world, Principal.user(100))
    assert await world.identity.reset_two_step(Principal.user(100)) is True
    assert await world.identity.reset_two_step(Principal.user(100)) is False


async def test_an_operator_with_two_step_also_waits_for_the_code() -> None:
    world = World()
    secret, _ = await with_two_step(world, Principal.operator(f.OPERATOR_ID))
    _, waiting = await world.identity.operator_log_in(email=f.operator().email, password=PASSWORD, ip=IP, user_agent=UA)
    assert isinstance(waiting, PendingLogin)
    principal, opened = await world.identity.complete_log_in(
        token=waiting.token, code=totp(secret, step_of(world.clock.now())), ip=IP
    )
    assert principal == Principal.operator(f.OPERATOR_ID)
    assert opened.session.operator_id == f.OPERATOR_ID
