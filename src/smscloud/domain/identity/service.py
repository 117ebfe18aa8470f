"""Use cases of console identity: sign up, activate, log in and out, reset passwords, operators.

Each function is the one write path for its change. Links in e-mails carry a random token;
only its hash is stored (`model.hash_token`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

from smscloud.domain.accounts.model import TenantKind
from smscloud.domain.accounts.ports import AccountStore
from smscloud.domain.audit.model import Actor, AuditNote
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
    ConsoleSession,
    Language,
    LoginChallenge,
    Operator,
    OperatorStatus,
    Principal,
    TokenPurpose,
    User,
    UserRole,
    UserStatus,
    hash_token,
    new_token,
)
from smscloud.domain.identity.ports import (
    LoginFailures,
    OperatorStore,
    PasswordHasher,
    SessionStore,
    TokenStore,
    TwoStepStore,
    UserStore,
)
from smscloud.domain.identity.rules import LoginThrottlePolicy, check_password, normalize_email
from smscloud.domain.identity.two_step import (
    CHALLENGE_ATTEMPTS,
    TwoStep,
    matching_step,
    new_recovery_codes,
    new_secret,
    normalize_recovery_code,
    otpauth_uri,
)
from smscloud.domain.notifications.mails import activation_mail, password_reset_mail
from smscloud.domain.notifications.ports import Outbox
from smscloud.domain.shared.clock import Clock
from smscloud.domain.shared.errors import InvalidInput

__all__ = [
    "ACTIVATION_VALID",
    "CHALLENGE_VALID",
    "RESET_VALID",
    "Identity",
    "OpenedSession",
    "PendingLogin",
    "SessionPolicy",
    "TwoStepSetup",
]

ACTIVATION_VALID = timedelta(hours=24)
CHALLENGE_VALID = timedelta(minutes=5)  # from the right password to the code
RESET_VALID = timedelta(hours=1)
# Mails with a link (activation, reset) per address: at most one a minute and five a day, so the
# forms cannot be used to flood someone's mailbox. Further requests are dropped silently, as
# requests for unknown addresses are.
LINK_MAIL_GAP = timedelta(minutes=1)
LINK_MAILS_PER_DAY = 5
# Accounts one client address may open per window (an office behind one address opens a few).
SIGNUPS_PER_ADDRESS = 10
SIGNUP_WINDOW = timedelta(hours=1)
# A session's last_seen_at is written at most this often, so browsing is not a stream of writes.
_TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    idle: timedelta = timedelta(hours=2)
    max_age: timedelta = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class OpenedSession:
    session: ConsoleSession
    token: str  # for the cookie; not stored anywhere


@dataclass(frozen=True, slots=True)
class PendingLogin:
    """The password was right and two-step verification is on: the browser keeps `token` (a
    cookie) and sends the code with it (`complete_log_in`); no session is open yet."""

    token: str


@dataclass(frozen=True, slots=True)
class TwoStepSetup:
    """A new secret to show (QR code and text) until the person proves it with a code."""

    secret: str
    uri: str


@dataclass(slots=True)
class Identity:
    """The identity use cases over their ports (one instance per process)."""

    users: UserStore
    operators: OperatorStore
    sessions: SessionStore
    tokens: TokenStore
    failures: LoginFailures
    accounts: AccountStore
    outbox: Outbox
    hasher: PasswordHasher
    clock: Clock
    console_url: str
    two_step: TwoStepStore
    throttle: LoginThrottlePolicy = field(default_factory=LoginThrottlePolicy)
    session_policy: SessionPolicy = field(default_factory=SessionPolicy)
    # A hash no password matches, verified against for unknown addresses so that a login for one
    # takes as long as a wrong password (the time does not tell who has an account).
    _decoy_hash: str | None = field(default=None, init=False, repr=False)

    # --- tenant users ---------------------------------------------------------------------

    async def sign_up(self, *, email: str, password: str, language: Language, ip: str | None = None) -> User:
        """A new tenant with its owner, pending until the e-mailed activation link is followed.

        At most `SIGNUPS_PER_ADDRESS` accounts per `SIGNUP_WINDOW` from one client address `ip`:
        each sign-up mails a link, and the platform must not become a way to mail strangers.
        """
        email = normalize_email(email)
        check_password(password, email=email)
        now = self.clock.now()
        if ip:
            recent = await self.users.signups_since(ip=ip, since=now - SIGNUP_WINDOW)
            if len(recent) >= SIGNUPS_PER_ADDRESS:
                wait = recent[-SIGNUPS_PER_ADDRESS] + SIGNUP_WINDOW - now
                raise SignUpThrottled(max(60, int(wait.total_seconds())))
        if await self.users.by_email(email) is not None:
            raise EmailTaken(f"{email} is registered already")
        tenant = await self.accounts.add_tenant(
            name=email, kind=TenantKind.INDIVIDUAL, timezone="Asia/Shanghai", now=now
        )
        user = await self.users.add(
            tenant_id=tenant.id,
            email=email,
            password_hash=await self.hasher.hash(password),
            role=UserRole.OWNER,
            language=language,
            now=now,
            signup_ip=ip or None,
        )
        await self._send_activation(user)
        return user

    async def resend_activation(self, *, email: str) -> None:
        """Send a fresh activation link to a pending user; silent for any other address."""
        try:
            email = normalize_email(email)
        except InvalidInput:
            return
        user = await self.users.by_email(email)
        if user is not None and user.status is UserStatus.PENDING and await self._may_mail(user, TokenPurpose.ACTIVATE):
            await self._send_activation(user)

    async def _may_mail(self, user: User, purpose: TokenPurpose) -> bool:
        now = self.clock.now()
        issued = await self.tokens.issued_since(user_id=user.id, purpose=purpose, since=now - timedelta(days=1))
        return len(issued) < LINK_MAILS_PER_DAY and all(now - at >= LINK_MAIL_GAP for at in issued)

    async def _send_activation(self, user: User) -> None:
        token = new_token()
        now = self.clock.now()
        await self.tokens.add(
            user_id=user.id,
            purpose=TokenPurpose.ACTIVATE,
            token_hash=hash_token(token),
            now=now,
            expires_at=now + ACTIVATION_VALID,
        )
        link = f"{self.console_url}/console/activate/{token}"
        await self.outbox.put(activation_mail(to_address=user.email, link=link, language=user.language), now=now)

    async def activate(self, *, token: str) -> User:
        now = self.clock.now()
        user_id = await self.tokens.consume(token_hash=hash_token(token), purpose=TokenPurpose.ACTIVATE, now=now)
        if user_id is None:
            raise LinkInvalid()
        return await self.users.activate(user_id, now=now)

    async def log_in(
        self, *, email: str, password: str, ip: str, user_agent: str
    ) -> tuple[User, OpenedSession | PendingLogin]:
        email = self._login_email(email)
        await self._check_throttle(email=email, ip=ip)
        user = await self.users.by_email(email)
        if not await self._verify(None if user is None else user.password_hash, password) or user is None:
            await self.failures.record(email=email, ip=ip, now=self.clock.now())
            raise BadCredentials("wrong e-mail address or password")
        if user.status is UserStatus.PENDING:
            raise NotActivated("follow the activation link in your e-mail first")
        if user.status is UserStatus.DISABLED:
            raise AccountDisabled("this account is disabled")
        if self.hasher.needs_rehash(user.password_hash):  # the same password: the sessions stay
            await self.users.set_password(user.id, await self.hasher.hash(password))
        if await self.two_step.of(Principal.user(user.id)) is not None:
            # The failures are cleared only once the code is right too, so that guessing codes
            # after the right password still meets the login throttle.
            return user, await self._challenge(Principal.user(user.id), ip=ip, user_agent=user_agent)
        await self.failures.clear(email=email)
        now = self.clock.now()
        await self.users.record_login(user.id, now=now)
        opened = await self._open(user_id=user.id, operator_id=None, ip=ip, user_agent=user_agent)
        return user, opened

    async def request_password_reset(self, *, email: str) -> None:
        """E-mail a reset link to an active or pending user; silent for unknown addresses, so the
        form does not tell who has an account."""
        try:
            email = normalize_email(email)
        except InvalidInput:
            return
        user = await self.users.by_email(email)
        if user is None or user.status is UserStatus.DISABLED or not await self._may_mail(user, TokenPurpose.RESET):
            return
        token = new_token()
        now = self.clock.now()
        await self.tokens.add(
            user_id=user.id,
            purpose=TokenPurpose.RESET,
            token_hash=hash_token(token),
            now=now,
            expires_at=now + RESET_VALID,
        )
        link = f"{self.console_url}/console/reset/{token}"
        await self.outbox.put(password_reset_mail(to_address=user.email, link=link, language=user.language), now=now)

    async def reset_link_works(self, *, token: str) -> bool:
        """Whether a reset link would still set a password (it is not used up by asking)."""
        user_id = await self.tokens.peek(token_hash=hash_token(token), purpose=TokenPurpose.RESET, now=self.clock.now())
        return user_id is not None and await self.users.by_id(user_id) is not None

    async def reset_password(self, *, token: str, password: str) -> User:
        """Set a new password from a reset link; every session of the user ends. Following a
        reset link also proves the address, so a pending user becomes active."""
        now = self.clock.now()
        token_hash = hash_token(token)
        # The new password is checked before the link is used up, so a refused one can be retried.
        user_id = await self.tokens.peek(token_hash=token_hash, purpose=TokenPurpose.RESET, now=now)
        user = None if user_id is None else await self.users.by_id(user_id)
        if user is None:
            raise LinkInvalid()
        check_password(password, email=user.email)
        if await self.tokens.consume(token_hash=token_hash, purpose=TokenPurpose.RESET, now=now) != user.id:
            raise LinkInvalid()
        await self.users.set_password(user.id, await self.hasher.hash(password), sessions_end_at=now)
        await self.failures.clear(email=user.email)
        if user.status is UserStatus.PENDING:
            user = await self.users.activate(user.id, now=now)
        return user

    async def change_password(self, *, user: User, current: str, new: str, keep_session: int) -> None:
        if not current:
            raise InvalidInput("current_password", "Enter your current password.")
        if not await self.hasher.verify(user.password_hash, current):
            raise InvalidInput("current_password", "is not your current password")
        check_password(new, email=user.email, field="new_password")
        await self.users.set_password(
            user.id, await self.hasher.hash(new), sessions_end_at=self.clock.now(), keep_session=keep_session
        )

    # --- operators ------------------------------------------------------------------------

    async def create_operator(
        self, *, email: str, name: str, password: str, language: Language, actor: Actor | None = None
    ) -> Operator:
        """A new active operator; `actor` (who created it) is recorded in the audit log."""
        email = normalize_email(email)
        name = name.strip()
        if not 1 <= len(name) <= 64:
            raise InvalidInput("name", "must be 1 to 64 characters")
        check_password(password, email=email)
        now = self.clock.now()
        noted = None
        if actor is not None:
            noted = AuditNote(
                actor=actor,
                action="operator.create",
                subject_kind="operator",
                subject_id=None,  # the new operator
                tenant_id=None,
                detail=email,
                at=now,
            )
        return await self.operators.add(
            email=email,
            name=name,
            password_hash=await self.hasher.hash(password),
            language=language,
            now=now,
            noted=noted,
        )

    async def operator_log_in(
        self, *, email: str, password: str, ip: str, user_agent: str
    ) -> tuple[Operator, OpenedSession | PendingLogin]:
        email = self._login_email(email)
        # Operators share the throttle with users, under a separate key per address.
        key = f"operator:{email}"
        await self._check_throttle(email=key, ip=ip)
        operator = await self.operators.by_email(email)
        if not await self._verify(None if operator is None else operator.password_hash, password) or operator is None:
            await self.failures.record(email=key, ip=ip, now=self.clock.now())
            raise BadCredentials("wrong e-mail address or password")
        if operator.status is not OperatorStatus.ACTIVE:
            raise AccountDisabled("this operator account is disabled")
        if self.hasher.needs_rehash(operator.password_hash):  # the same password: the sessions stay
            await self.operators.set_password(operator.id, await self.hasher.hash(password))
        if await self.two_step.of(Principal.operator(operator.id)) is not None:
            return operator, await self._challenge(Principal.operator(operator.id), ip=ip, user_agent=user_agent)
        await self.failures.clear(email=key)
        await self.operators.record_login(operator.id, now=self.clock.now())
        opened = await self._open(user_id=None, operator_id=operator.id, ip=ip, user_agent=user_agent)
        return operator, opened

    async def set_operator_password(self, *, operator_id: int, password: str, actor: Actor | None = None) -> None:
        """Set an operator's password (its sessions end); `actor` (who set it) is recorded."""
        operator = await self.operators.by_id(operator_id)
        if operator is None:
            raise InvalidInput("operator", "no such operator")
        check_password(password, email=operator.email)
        noted = None
        if actor is not None:
            noted = AuditNote(
                actor=actor,
                action="operator.password_set",
                subject_kind="operator",
                subject_id=operator_id,
                tenant_id=None,
                detail=operator.email,
                at=self.clock.now(),
            )
        await self.operators.set_password(
            operator_id, await self.hasher.hash(password), noted=noted, sessions_end_at=self.clock.now()
        )

    async def set_operator_status(
        self, *, operator_id: int, status: OperatorStatus, actor: Actor | None = None
    ) -> Operator:
        """Disable an operator (its console sessions end at once) or enable it again, recorded
        with `actor`. The last active operator cannot be disabled: nobody could review or enable
        anyone after that."""
        operator = await self.operators.by_id(operator_id)
        if operator is None:
            raise InvalidInput("operator", "no such operator")
        if status is OperatorStatus.DISABLED and operator.status is OperatorStatus.ACTIVE:
            others = [
                o for o in await self.operators.all() if o.status is OperatorStatus.ACTIVE and o.id != operator_id
            ]
            if not others:
                raise InvalidInput("operator", "the last active operator cannot be disabled")
        noted = None
        if actor is not None and status is not operator.status:
            noted = AuditNote(
                actor=actor,
                action="operator.disable" if status is OperatorStatus.DISABLED else "operator.enable",
                subject_kind="operator",
                subject_id=operator_id,
                tenant_id=None,
                detail=operator.email,
                at=self.clock.now(),
            )
        end_at = self.clock.now() if status is OperatorStatus.DISABLED else None
        await self.operators.set_status(operator_id, status, noted=noted, sessions_end_at=end_at)
        return replace(operator, status=status)

    # --- two-step verification ---------------------------------------------------------------

    async def two_step_of(self, principal: Principal) -> TwoStep | None:
        return await self.two_step.of(principal)

    def start_two_step(self, *, account: str, secret: str | None = None) -> TwoStepSetup:
        """A new secret for an authenticator app (or `secret` again, for a form sent back);
        nothing is stored until a code proves the app has it."""
        chosen = secret or new_secret()
        return TwoStepSetup(secret=chosen, uri=otpauth_uri(chosen, account=account, issuer="smscloud"))

    async def enable_two_step(self, principal: Principal, *, secret: str, code: str) -> list[str]:
        """Turn two-step verification on with `secret` once `code` shows the app has it; returns
        the recovery codes, to be shown this once (only their hashes are kept)."""
        try:
            step = matching_step(secret, code, now=self.clock.now())
        except ValueError:  # a secret that is not base32: not one this server made
            raise InvalidInput("secret", "start again: the setup was not complete") from None
        if step is None:
            raise InvalidInput("code", "is not the code the app shows now")
        codes = new_recovery_codes()
        await self.two_step.enable(
            principal,
            secret=secret,
            code_hashes=[hash_token(normalize_recovery_code(code)) for code in codes],
            now=self.clock.now(),
        )
        await self.two_step.use_step(principal, step)
        return codes

    async def disable_two_step(self, principal: Principal, *, password: str) -> None:
        """Turn it off, which the person proves with their password."""
        if not password:
            # As the password page says it: nothing typed is not a wrong password.
            raise InvalidInput("password", "Enter your current password.")
        password_hash = await self._password_hash_of(principal)
        if password_hash is None or not await self.hasher.verify(password_hash, password):
            raise InvalidInput("password", "is not your current password")
        await self.two_step.disable(principal)

    async def reset_two_step(self, principal: Principal, *, noted: AuditNote | None = None) -> bool:
        """Turn it off for someone who lost their phone and codes (an operator, or the CLI, does
        this after checking who is asking), recorded with `noted`; False if it was off."""
        return await self.two_step.disable(principal, noted=noted)

    async def pending_login(self, *, token: str) -> LoginChallenge | None:
        """The login waiting for its code with this browser's token, if it still waits."""
        if not token:
            return None
        return await self.two_step.challenge(hash_token(token), now=self.clock.now())

    async def complete_log_in(self, *, token: str, code: str, ip: str) -> tuple[Principal, OpenedSession]:
        """The second step: a code of the app (or a recovery code) for a pending login opens its
        session. A wrong code counts as a failed login; after `CHALLENGE_ATTEMPTS` of them the
        pending login ends and the password is asked again."""
        challenge = await self.pending_login(token=token)
        if challenge is None or challenge.failures >= CHALLENGE_ATTEMPTS:
            raise BadCode("the login has expired: log in again", expired=True)
        principal = challenge.principal
        key = await self._throttle_key(principal)
        await self._check_throttle(email=key, ip=ip)
        if not await self._second_step_passes(principal, code):
            await self.failures.record(email=key, ip=ip, now=self.clock.now())
            await self.two_step.fail_challenge(challenge.id)
            expired = challenge.failures + 1 >= CHALLENGE_ATTEMPTS
            raise BadCode("the code is not right", expired=expired)
        now = self.clock.now()
        if not await self.two_step.finish_challenge(challenge.id, now=now):
            raise BadCode("the login has expired: log in again", expired=True)
        await self.failures.clear(email=key)
        if principal.user_id is not None:
            await self.users.record_login(principal.user_id, now=now)
        elif principal.operator_id is not None:
            await self.operators.record_login(principal.operator_id, now=now)
        opened = await self._open(
            user_id=principal.user_id, operator_id=principal.operator_id, ip=ip, user_agent=challenge.user_agent
        )
        return principal, opened

    async def _second_step_passes(self, principal: Principal, code: str) -> bool:
        found = await self.two_step.of(principal)
        if found is None:
            return False
        step = matching_step(found.secret, code, now=self.clock.now(), after=found.last_step)
        if step is not None:
            return await self.two_step.use_step(principal, step)
        recovery = normalize_recovery_code(code)
        if len(recovery) != 10:
            return False
        return await self.two_step.use_recovery_code(principal, hash_token(recovery), now=self.clock.now())

    async def _challenge(self, principal: Principal, *, ip: str, user_agent: str) -> PendingLogin:
        token = new_token()
        now = self.clock.now()
        await self.two_step.add_challenge(
            principal,
            token_hash=hash_token(token),
            ip=ip,
            user_agent=user_agent,
            now=now,
            expires_at=now + CHALLENGE_VALID,
        )
        return PendingLogin(token=token)

    async def _password_hash_of(self, principal: Principal) -> str | None:
        if principal.user_id is not None:
            user = await self.users.by_id(principal.user_id)
            return None if user is None else user.password_hash
        operator = None if principal.operator_id is None else await self.operators.by_id(principal.operator_id)
        return None if operator is None else operator.password_hash

    async def _throttle_key(self, principal: Principal) -> str:
        """The key its failed logins are counted under (as in `log_in` and `operator_log_in`)."""
        if principal.user_id is not None:
            user = await self.users.by_id(principal.user_id)
            return "" if user is None else user.email
        operator = None if principal.operator_id is None else await self.operators.by_id(principal.operator_id)
        return "" if operator is None else f"operator:{operator.email}"

    # --- sessions -------------------------------------------------------------------------

    async def resume(self, *, token: str) -> ConsoleSession | None:
        """The live session a cookie token stands for, or None (unknown, revoked, expired, idle)."""
        if not token:
            return None
        session = await self.sessions.by_token_hash(hash_token(token))
        now = self.clock.now()
        if session is None or not session.alive(now=now, idle=self.session_policy.idle):
            return None
        if now - session.last_seen_at >= _TOUCH_EVERY:
            await self.sessions.touch(session.id, now=now)
        return session

    async def log_out(self, *, session: ConsoleSession) -> None:
        await self.sessions.revoke(session.id, now=self.clock.now())

    async def revoke_session(self, *, owner: ConsoleSession, session_id: int) -> bool:
        """End one of the caller's own sessions (another browser); False if it is not theirs."""
        now = self.clock.now()
        mine = await self.sessions.live_of(user_id=owner.user_id, operator_id=owner.operator_id, now=now)
        if session_id not in {s.id for s in mine}:
            return False
        await self.sessions.revoke(session_id, now=now)
        return True

    async def _open(self, *, user_id: int | None, operator_id: int | None, ip: str, user_agent: str) -> OpenedSession:
        token = new_token()
        now = self.clock.now()
        session = await self.sessions.add(
            token_hash=hash_token(token),
            user_id=user_id,
            operator_id=operator_id,
            csrf_token=new_token(),
            now=now,
            expires_at=now + self.session_policy.max_age,
            ip=ip[:64],
            user_agent=user_agent[:256],
        )
        return OpenedSession(session=session, token=token)

    async def _verify(self, password_hash: str | None, password: str) -> bool:
        if password_hash is not None:
            return await self.hasher.verify(password_hash, password)
        if self._decoy_hash is None:
            self._decoy_hash = await self.hasher.hash(new_token())
        await self.hasher.verify(self._decoy_hash, password)
        return False

    def _login_email(self, email: str) -> str:
        try:
            return normalize_email(email)
        except InvalidInput as bad:
            raise BadCredentials("wrong e-mail address or password") from bad

    async def _check_throttle(self, *, email: str, ip: str) -> None:
        now = self.clock.now()
        counts = await self.failures.count_since(email=email, ip=ip, since=now - self.throttle.window)
        if self.throttle.blocked(counts):
            raise LoginThrottled(int(self.throttle.window.total_seconds()))
