"""Settings: read once, in the entry point, and passed down.

Every setting has a default that makes `smscloud serve` work on a fresh machine. Environment
variables use the `SMSCLOUD_` prefix and `__` between a group and its field
(`SMSCLOUD_API__PORT=9000`); the few settings people type most also have a short form
(`SMSCLOUD_DATABASE_URL`, `SMSCLOUD_DATA_DIR`). Command-line flags override both.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import ipaddress
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import msgspec

__all__ = [
    "SETTINGS_JSON_ENV",
    "ApiSettings",
    "ConsoleSettings",
    "DatabaseSettings",
    "DispatchSettings",
    "MailSettings",
    "Settings",
    "SettingsError",
    "SimulatorSettings",
    "load_settings",
    "unknown_settings",
    "valid_fernet_key",
]

ENV_PREFIX = "SMSCLOUD_"
# Set by `smscloud serve` for the processes it starts, so they run with exactly its settings.
SETTINGS_JSON_ENV = "SMSCLOUD__SETTINGS_JSON"
_SHORT_FORMS = {
    "SMSCLOUD_DATABASE_URL": ("db", "url"),
    "SMSCLOUD_DATA_DIR": ("data_dir",),
    "SMSCLOUD_SECRET_KEYS": ("secret_keys",),
}
_PLACEHOLDER_SECRETS = {"changethis", "changeme", "secret", "password", "simulate", ""}
# SMSCLOUD_* variables that are not settings: the test suite's and the benchmarks' own. Names with
# a double underscore after the prefix (SMSCLOUD__SETTINGS_JSON, …) pass between smscloud's processes.
_NOT_SETTINGS = frozenset(
    {
        "SMSCLOUD_TEST_DATABASE",
        "SMSCLOUD_TEST_POSTGRES",
        "SMSCLOUD_REQUIRE_BROWSER",
        "SMSCLOUD_ARTIFACTS",
        "SMSCLOUD_BENCH_POSTGRES",
        "SMSCLOUD_CARRIER_PASSWORD",  # `smscloud carrier set`'s --password, kept off the command line
    }
)
_INTERNAL_PREFIX = ENV_PREFIX + "_"
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_DATABASE_URL_FORMS = "use sqlite:///path/to/file.db or postgresql://user@host:5432/dbname"


class SettingsError(ValueError):
    """A setting has a value smscloud refuses to run with."""


class DatabaseSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # None: SQLite in the data directory. Otherwise an SQLAlchemy-style URL:
    # sqlite:///path/to/file.db or postgresql://user@host:5432/dbname.
    url: str | None = None
    # SQLite only. "normal" survives a killed process (WAL); "full" also survives power loss.
    sqlite_synchronous: Literal["normal", "full"] = "normal"
    # PostgreSQL only: connections in the pool.
    pool_size: int = 10


class ApiSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    host: str = "127.0.0.1"
    port: int = 8080
    # What clients put in their SDK's endpoint; printed by `smscloud demo`. Defaults to host:port.
    public_endpoint: str | None = None
    # Processes answering HTTP on the port (serve and processes-1 `api-worker`s sharing its socket):
    # more use more cores for the API and console.
    processes: int = 1
    # `smscloud serve` also starts the carrier connector (senders, receipts) as a child process.
    # Turn off to run connectors elsewhere (`smscloud connector`, with PostgreSQL).
    connector: bool = True
    # Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: addresses or networks
    # (10.0.0.0/8), or "*" for any. Login throttling, the sign-up limit and the sessions list use
    # the client address; from anyone else, the forwarded headers are ignored.
    trusted_proxies: list[str] = msgspec.field(default_factory=lambda: ["127.0.0.1", "::1"])
    # Clients (addresses or networks, "*" for any) that may read GET /metrics; others get 404.
    metrics_allow: list[str] = msgspec.field(default_factory=lambda: ["127.0.0.1", "::1"])
    # A request's headers must arrive within header_timeout_s of the connection opening (or of
    # the request's first byte on a kept-alive connection), and its body within body_timeout_s
    # of the headers; a slower one is dropped with its connection.
    header_timeout_s: float = 20.0
    body_timeout_s: float = 120.0


class SimulatorSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # embedded: `smscloud serve` runs the built-in SMSC and keeps a carrier named "simulator"
    #           pointing at it (the only route on a fresh install);
    # external: the SMSC runs elsewhere (`smscloud simulator`); the carrier still points at host:port;
    # off:      no simulator and no simulator carrier changes (real carriers only).
    mode: Literal["embedded", "external", "off"] = "embedded"
    host: str = "127.0.0.1"
    port: int = 2775
    system_id: str = "smscloud"
    password: str = "simulate"  # noqa: S105 - the built-in simulator's default, refused in production
    # Seconds between a submit_sm and its delivery receipt.
    receipt_delay_s: float = 1.0
    # Seconds the simulator takes to answer each submit_sm (a real carrier takes tens of ms or more).
    submit_delay_s: float = 0.0
    # Optional file where the simulator appends one JSON line per received submit_sm.
    ledger_path: str | None = None
    # submit_sm awaiting a response on each bind to the simulator, and how many binds.
    window: int = 256
    binds: int = 1
    # Receipts (deliver_sm) the simulator sends before it waits for their responses, per session.
    receipt_window: int = 1024
    # Silence from a bound ESME before the simulator sends it an enquire_link, and before it
    # unbinds and closes the session (0 turns either off).
    enquire_link_s: float = 30.0
    idle_timeout_s: float = 90.0


class DispatchSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # Messages claimed per round trip to the database at most.
    claim_batch: int = 500
    # Seconds between polls when nothing woke the sender (a safety net; wake-ups are immediate).
    poll_interval_s: float = 1.0
    # A submitted message without a receipt after this many seconds becomes "expired".
    receipt_timeout_s: float = 72 * 3600
    # Connector processes `smscloud serve` starts. Each holds its share of the carriers' bind
    # slots (a slot whose process is gone is taken over by another), so a carrier with several
    # binds is sent on by several cores. Useful up to the number of binds.
    connector_processes: int = 1
    # Retries of transient carrier errors (throttling, queue full, timeouts) before "failed".
    max_attempts: int = 10
    retry_base_s: float = 1.0
    retry_cap_s: float = 300.0


class MailSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # SMTP server for outgoing mail (activation links, password resets, review results). With no
    # host, mail is kept in the outbox: operators read it in the console and the log shows it.
    smtp_host: str | None = None
    smtp_port: int = 587
    # none: plain SMTP; starttls: upgrade with STARTTLS (port 587); tls: TLS from the start (465).
    smtp_tls: Literal["none", "starttls", "tls"] = "starttls"
    smtp_username: str | None = None
    smtp_password: str | None = None
    # Check the server's certificate (turn off only for a test server with a self-signed one).
    smtp_verify_certificate: bool = True
    smtp_timeout_s: float = 30.0
    from_address: str = "smscloud <no-reply@localhost>"
    # Delivery attempts before a mail is given up (with growing pauses between them).
    max_attempts: int = 8


class ConsoleSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # The address people open the console at, used in e-mailed links. Defaults to http://api.host:api.port.
    public_url: str | None = None
    # Language for visitors who have not chosen one: zh-CN or en.
    default_language: Literal["zh-CN", "en"] = "zh-CN"
    # A console session ends after this long without a request, and in any case after session_max_age_s.
    session_idle_s: int = 2 * 3600
    session_max_age_s: int = 7 * 24 * 3600
    # Cookies only over HTTPS (set when the console is served behind TLS).
    secure_cookies: bool = False
    # Largest uploaded document (licences, proofs), in bytes.
    max_upload_bytes: int = 5 * 1024 * 1024
    # Operators must turn on two-step verification: until they do, every operator page leads to its setup.
    operators_need_two_step: bool = False


class Settings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    env: Literal["development", "production"] = "development"
    data_dir: str = ".smscloud"
    # Fernet keys (url-safe base64, 32 bytes) that encrypt AppKeys, SecretKeys and carrier
    # passwords at rest; the first encrypts, all decrypt (rotation). Empty: a key file in data_dir.
    secret_keys: list[str] = msgspec.field(default_factory=list)
    log_level: str = "INFO"
    log_format: Literal["console", "json"] = "console"
    db: DatabaseSettings = msgspec.field(default_factory=DatabaseSettings)
    api: ApiSettings = msgspec.field(default_factory=ApiSettings)
    simulator: SimulatorSettings = msgspec.field(default_factory=SimulatorSettings)
    dispatch: DispatchSettings = msgspec.field(default_factory=DispatchSettings)
    mail: MailSettings = msgspec.field(default_factory=MailSettings)
    console: ConsoleSettings = msgspec.field(default_factory=ConsoleSettings)

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    @property
    def database_url(self) -> str:
        if self.db.url:
            return self.db.url
        return f"sqlite:///{(self.data_path / 'smscloud.db').resolve()}"

    @property
    def public_endpoint(self) -> str:
        return self.api.public_endpoint or f"{self.api.host}:{self.api.port}"

    @property
    def console_url(self) -> str:
        """The console's base address, without a trailing slash."""
        return (self.console.public_url or f"http://{self.api.host}:{self.api.port}").rstrip("/")


def _set_path(tree: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = tree
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def _parse_env_value(path: tuple[str, ...], raw: str) -> Any:
    if path in (("secret_keys",), ("api", "trusted_proxies"), ("api", "metrics_allow")):
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def _setting_names() -> frozenset[str]:
    """Every environment variable that is a setting: SMSCLOUD_<FIELD>, SMSCLOUD_<GROUP>__<FIELD>
    and the short forms."""
    names = set(_SHORT_FORMS)
    defaults = Settings()
    for field in Settings.__struct_fields__:
        value = getattr(defaults, field)
        if isinstance(value, msgspec.Struct):
            names.update(f"{ENV_PREFIX}{field.upper()}__{sub.upper()}" for sub in value.__struct_fields__)
        else:
            names.add(f"{ENV_PREFIX}{field.upper()}")
    return frozenset(names)


_SETTING_NAMES = _setting_names()


def _not_ours(name: str) -> bool:
    return not name.startswith(ENV_PREFIX) or name.startswith(_INTERNAL_PREFIX) or name in _NOT_SETTINGS


def _unknown(name: str, *, ignored: bool = False) -> str:
    """`unknown setting SMSCLOUD_API_PORT — did you mean SMSCLOUD_API__PORT?`"""
    strip = len(ENV_PREFIX)
    close = difflib.get_close_matches(name[strip:], [known[strip:] for known in _SETTING_NAMES], n=1)
    if close:
        return f"unknown setting {name} — did you mean {ENV_PREFIX}{close[0]}?" + (" (ignored)" if ignored else "")
    return f"unknown setting {name} ({'ignored; ' if ignored else ''}README.md lists the settings under Configuration)"


def _in_a_group(name: str) -> bool:
    """Whether an unknown name starts like a setting (SMSCLOUD_API__PORTT): refused, not ignored."""
    return name[len(ENV_PREFIX) :].split("__")[0].lower() in Settings.__struct_fields__


def unknown_settings(environ: Mapping[str, str] | None = None) -> list[str]:
    """One warning per SMSCLOUD_* variable that is no setting (`load_settings` ignores it)."""
    environ = os.environ if environ is None else environ
    if SETTINGS_JSON_ENV in environ:  # a child of `serve`: serve has warned already
        return []
    return [
        _unknown(name, ignored=True)
        for name in sorted(environ)
        if not _not_ours(name) and name not in _SETTING_NAMES and not _in_a_group(name)
    ]


def load_settings(environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Build `Settings` from the environment, then apply overrides (dotted keys, from CLI flags).

    A SMSCLOUD_* variable that is no setting is ignored (`unknown_settings` names them), unless it
    starts like one (SMSCLOUD_API__PORTT): that is refused.
    """
    environ = os.environ if environ is None else environ
    if SETTINGS_JSON_ENV in environ and all(value is None for value in (overrides or {}).values()):
        try:
            return msgspec.json.decode(environ[SETTINGS_JSON_ENV], type=Settings)
        except msgspec.ValidationError as exc:
            raise SettingsError(f"invalid {SETTINGS_JSON_ENV}: {exc}") from exc
    tree: dict[str, Any] = {}
    for name, raw in environ.items():
        if _not_ours(name):
            continue
        if name not in _SETTING_NAMES:
            if _in_a_group(name):
                raise SettingsError(_unknown(name))
            continue
        path = _SHORT_FORMS.get(name) or tuple(part.lower() for part in name[len(ENV_PREFIX) :].split("__"))
        _set_path(tree, path, _parse_env_value(path, raw))
    for dotted, value in (overrides or {}).items():
        if value is not None:
            _set_path(tree, tuple(dotted.split(".")), value)
    try:
        settings = msgspec.convert(tree, Settings, strict=False)
    except msgspec.ValidationError as exc:
        raise SettingsError(f"invalid setting: {exc}") from exc
    _check(settings)
    return settings


def valid_fernet_key(key: str) -> bool:
    """Whether `key` is a Fernet key: 32 bytes, url-safe base64 (as cryptography's Fernet checks)."""
    try:
        return len(base64.urlsafe_b64decode(key.encode())) == 32
    except (binascii.Error, ValueError):
        return False


def _shown_url(url: str) -> str:
    """The URL with a password (if any) hidden, also when it does not parse."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def _check_database_url(url: str) -> None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        backend = make_url(url).get_backend_name()
    except (ArgumentError, ValueError):
        raise SettingsError(f"database URL {_shown_url(url)!r} is not a database URL: {_DATABASE_URL_FORMS}") from None
    if backend not in ("sqlite", "postgresql"):
        raise SettingsError(f"database URL {_shown_url(url)!r}: {backend} is not supported: {_DATABASE_URL_FORMS}")


def _check(settings: Settings) -> None:
    if settings.env == "production":
        if settings.simulator.mode != "off" and settings.simulator.password in _PLACEHOLDER_SECRETS:
            raise SettingsError("simulator.password is a placeholder; set a real one or disable the simulator")
        if any(key in _PLACEHOLDER_SECRETS for key in settings.secret_keys):
            raise SettingsError("secret_keys holds a placeholder value")
    for number, key in enumerate(settings.secret_keys, start=1):
        if not valid_fernet_key(key):
            raise SettingsError(
                f"SMSCLOUD_SECRET_KEYS: key {number} of {len(settings.secret_keys)} is not a Fernet key (32 url-safe"
                " base64-encoded bytes); make one with: python -c 'from cryptography.fernet import Fernet;"
                " print(Fernet.generate_key().decode())'"
            )
    if settings.log_level.upper() not in _LOG_LEVELS:
        raise SettingsError(f"SMSCLOUD_LOG_LEVEL {settings.log_level!r} is not one of {', '.join(_LOG_LEVELS)}")
    if settings.db.url:
        _check_database_url(settings.db.url)
    if not 0 < settings.api.port < 65536:
        raise SettingsError(f"api.port {settings.api.port} is not a TCP port")
    if settings.mail.smtp_host is not None and not 0 < settings.mail.smtp_port < 65536:
        raise SettingsError(f"mail.smtp_port {settings.mail.smtp_port} is not a TCP port")
    if settings.dispatch.claim_batch < 1:
        raise SettingsError("dispatch.claim_batch must be at least 1")
    for name in ("trusted_proxies", "metrics_allow"):
        for network in getattr(settings.api, name):
            if network != "*":
                try:
                    ipaddress.ip_network(network)
                except ValueError:
                    raise SettingsError(f"api.{name}: {network!r} is not an address or a network") from None
    if not 1 <= settings.api.processes <= 64:
        raise SettingsError("api.processes must be between 1 and 64")
    for name in ("header_timeout_s", "body_timeout_s"):
        if not getattr(settings.api, name) > 0:
            raise SettingsError(f"api.{name} must be more than 0 seconds")
    if not 1 <= settings.dispatch.connector_processes <= 64:
        raise SettingsError("dispatch.connector_processes must be between 1 and 64")
