"""The `smscloud` command: serve the platform, provision a demo, run the simulator, manage the database.

Settings come from `SMSCLOUD_*` environment variables (see `smscloud.config`); the flags below
override them for one run.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
import uvloop

from smscloud.config import Settings, load_settings, unknown_settings, valid_fernet_key
from smscloud.domain.audit.model import Actor
from smscloud.entrypoints.cli_errors import USAGE, CommandError, ReportingGroup, remember_settings
from smscloud.entrypoints.logging import configure_logging

if TYPE_CHECKING:
    from smscloud.bootstrap import Platform
    from smscloud.domain.identity.model import Operator

__all__ = [
    "app",
    "carrier_disable",
    "carrier_enable",
    "carrier_list",
    "carrier_route",
    "carrier_set",
    "carrier_unroute",
    "db_backup",
    "db_restore",
    "db_upgrade",
    "demo",
    "main",
    "operator_create",
    "operator_disable",
    "operator_enable",
    "operator_list",
    "operator_password",
    "operator_two_step_off",
    "run_api_worker",
    "run_connector",
    "run_simulator",
    "serve",
    "status",
    "tenant_list",
    "tenant_resume",
    "tenant_suspend",
]

T = TypeVar("T")

# Every command runs inside ReportingGroup: an expected failure (settings refused, a database that
# cannot be reached, a port in use, …) ends as one line on stderr, exit code 2 or 1 (cli_errors).
app = typer.Typer(
    name="smscloud",
    cls=ReportingGroup,
    help="A self-hosted SMS cloud platform that speaks the Tencent Cloud SMS APIs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database tasks: schema upgrade, backup and restore.", no_args_is_help=True)
app.add_typer(db_app, name="db")
operator_app = typer.Typer(help="Operator accounts (the people who review and run the platform).", no_args_is_help=True)
app.add_typer(operator_app, name="operator")
tenant_app = typer.Typer(
    help="Customer accounts: list them, suspend one (its sends refused), resume it.", no_args_is_help=True
)
app.add_typer(tenant_app, name="tenant")
carrier_app = typer.Typer(
    help="Carriers (the SMSCs messages go out through) and the routes that send numbers to them.",
    no_args_is_help=True,
)
app.add_typer(carrier_app, name="carrier")

DataDir = Annotated[
    str | None,
    typer.Option("--data-dir", help="Directory for the SQLite database and keys (default ./.smscloud)."),
]
DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="sqlite:///path.db or postgresql://user@host/db (default: SQLite in the data dir).",
    ),
]


# Who the audit log names for what is done with these commands: whoever can run them on this host.
_COMMAND_LINE = Actor.system()


def _settings(overrides: dict[str, Any]) -> Settings:
    """The settings of this run (a refused one ends the command with exit code 2), after a warning
    for each SMSCLOUD_* variable that is no setting."""
    for warning in unknown_settings():
        typer.echo(f"smscloud: {warning}", err=True)
    settings = load_settings(overrides=overrides)
    remember_settings(settings)
    configure_logging(settings.log_level, settings.log_format)
    return settings


def _sqlite_file(settings: Settings) -> Path | None:
    """The SQLite database file of these settings; None on PostgreSQL (or an in-memory SQLite)."""
    from sqlalchemy.engine import make_url

    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _database_place(settings: Settings, sqlite_file: Path) -> str:
    if settings.db.url:
        return f"at {sqlite_file.absolute()}"
    return f"in {settings.data_path.absolute()}"


def _check_key_file(settings: Settings) -> None:
    """A key file that cannot open the platform is refused before anything is opened."""
    if settings.secret_keys:
        return  # checked with the settings
    path = settings.data_path / "secret.key"
    if not path.is_file():
        return
    try:
        keys = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    except UnicodeDecodeError:
        keys = ["?"]  # not text: no key either
    if not keys:
        raise CommandError(f"{path} holds no key: delete the empty file or set SMSCLOUD_SECRET_KEYS", exit_code=USAGE)
    for number, key in enumerate(keys, start=1):
        if not valid_fernet_key(key):
            raise CommandError(
                f"{path}: key {number} is not a Fernet key (32 url-safe base64-encoded bytes)", exit_code=USAGE
            )


def _prepare_platform(settings: Settings, *, create: bool, database_only: bool = False) -> str | None:
    """Check, before it is opened, that the platform these settings name can be opened: on SQLite
    its database must exist, unless `create` (then where it goes must be creatable), and a key file
    must hold keys (unless `database_only`: the database alone is opened). Returns where a new
    SQLite database will be made ("in <data dir>"), if one will."""
    sqlite_file = _sqlite_file(settings)
    place = None
    if sqlite_file is not None and not sqlite_file.exists():
        place = _database_place(settings, sqlite_file)
        if not create:
            raise CommandError(
                f"no smscloud database {place}: start `smscloud serve` there first, or pass --data-dir/--database-url",
                exit_code=USAGE,
            )
        if settings.db.url and not sqlite_file.absolute().parent.is_dir():
            raise CommandError(
                f"cannot create the SQLite database {sqlite_file}: there is no directory"
                f" {sqlite_file.absolute().parent}",
                exit_code=USAGE,
            )
    # The data directory holds the default database and, for a whole platform, the key file (unless
    # the keys are set), lock files and leases.
    in_data_dir = sqlite_file is not None and not settings.db.url
    whole = not database_only and (sqlite_file is not None or not settings.secret_keys)
    if create and (in_data_dir or whole):
        try:
            settings.data_path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(
                f"cannot create the data directory {settings.data_path}: {exc.strerror}; pass another --data-dir",
                exit_code=USAGE,
            ) from exc
    if not database_only:
        _check_key_file(settings)
    return place


def _run(coroutine: Awaitable[T]) -> T:
    async def runner() -> T:
        return await coroutine

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner_:
        return runner_.run(runner())


@app.command()
def serve(
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    host: Annotated[str | None, typer.Option(help="Address for the API and console (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port for the API and console (default 8080).")] = None,
    simulator: Annotated[
        str | None,
        typer.Option(help="embedded (run the built-in SMSC), external (use `smscloud simulator` elsewhere) or off."),
    ] = None,
    simulator_port: Annotated[int | None, typer.Option(help="SMPP port of the simulator (default 2775).")] = None,
) -> None:
    """Run the whole platform: Tencent-compatible API, carrier senders, receipts and the carrier simulator."""
    from smscloud.entrypoints.serve import serve as run_serve

    settings = _settings(
        {
            "data_dir": data_dir,
            "db.url": database_url,
            "api.host": host,
            "api.port": port,
            "simulator.mode": simulator,
            "simulator.port": simulator_port,
        }
    )
    _prepare_platform(settings, create=True)
    _run(run_serve(settings))


@app.command()
def demo(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object, for scripts.")] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create (once) a demo tenant ready to send, and print its credentials for an SDK."""
    from smscloud.entrypoints.demo import ensure_demo

    settings = _settings({"data_dir": data_dir, "db.url": database_url})

    details = _with_platform(settings, ensure_demo, create=True)
    if as_json:
        sys.stdout.write(json.dumps(details, ensure_ascii=False) + "\n")
        return
    typer.echo("Demo tenant ready. Point an official Tencent Cloud SDK at it:")
    for name, value in details.items():
        typer.echo(f"  {name}: {value}")


@app.command("status")
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object, for scripts.")] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """What waits in the pipeline, per carrier: queued, due, in flight, awaiting receipts (as GET /metrics)."""
    from smscloud.entrypoints.status import backlog_json, backlog_table, bind_lines

    settings = _settings({"data_dir": data_dir, "db.url": database_url})

    async def work(platform: Platform) -> Any:
        now = platform.clock.now()
        return now, await platform.backlog.per_carrier(now=now), await platform.binds.reported()

    now, backlog, binds = _with_platform(settings, work)
    if as_json:
        typer.echo(backlog_json(backlog, binds, now=now))
        return
    typer.echo(backlog_table(backlog))
    lines = bind_lines(binds, now=now)
    if lines:
        typer.echo("\nbinds:")
        for line in lines:
            typer.echo(f"  {line}")


@app.command("simulator")
def run_simulator(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="SMPP port (default 2775).")] = None,
    system_id: Annotated[str | None, typer.Option(help="system_id ESMEs must bind with.")] = None,
    password: Annotated[str | None, typer.Option(help="Password ESMEs must bind with.")] = None,
    receipt_delay: Annotated[float | None, typer.Option(help="Seconds from submit to delivery receipt.")] = None,
    ledger: Annotated[str | None, typer.Option(help="Append a JSON line per received submit_sm to this file.")] = None,
) -> None:
    """Run the built-in SMSC simulator on its own (real SMPP 3.4 with delivery receipts and test numbers)."""
    from smscloud.entrypoints.children import die_with_parent
    from smscloud.entrypoints.simulator import run_standalone

    die_with_parent()
    settings = _settings(
        {
            "simulator.host": host,
            "simulator.port": port,
            "simulator.system_id": system_id,
            "simulator.password": password,
            "simulator.receipt_delay_s": receipt_delay,
            "simulator.ledger_path": ledger,
        }
    )
    _run(run_standalone(settings))


@app.command("api-worker", hidden=True)
def run_api_worker(
    fd: Annotated[int, typer.Option(help="The listening socket serve passed down (a file descriptor).")],
) -> None:
    """Serve the API and console on serve's listening socket (serve starts api.processes-1 of these)."""
    from smscloud.entrypoints.api_worker import run_api_worker as worker
    from smscloud.entrypoints.children import die_with_parent

    die_with_parent()
    _run(worker(_settings({}), fd))


@app.command("connector")
def run_connector(
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    index: Annotated[
        int,
        typer.Option(
            help="Which of the dispatch.connector_processes connectors this is (0, 1, …): it goes for"
            " its share of the bind slots first and stands by for the rest."
        ),
    ] = 0,
) -> None:
    """Run the carrier connector alone: senders, receipt intake, reconciler (serve starts them itself)."""
    from smscloud.entrypoints.children import die_with_parent
    from smscloud.entrypoints.connector import run_connector as connector

    die_with_parent()
    settings = _settings({"data_dir": data_dir, "db.url": database_url})
    count = settings.dispatch.connector_processes
    if not 0 <= index < count:
        typer.echo(f"smscloud: --index must be 0..{count - 1} (dispatch.connector_processes is {count})", err=True)
        raise typer.Exit(2)
    _prepare_platform(settings, create=True)
    _run(connector(settings, process_index=index))


@db_app.command("upgrade")
def db_upgrade(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Bring the database to the newest schema (serve does this at start too)."""
    from smscloud.adapters.storage.migrate import current_revision, upgrade

    settings = _settings({"data_dir": data_dir, "db.url": database_url})
    _prepare_platform(settings, create=True, database_only=True)
    _run(upgrade(settings.database_url))
    typer.echo(f"database at revision {_run(current_revision(settings.database_url))}")


@db_app.command("backup")
def db_backup(
    target: Annotated[Path, typer.Argument(help="A new directory to write the backup into.", show_default=False)],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Copy the SQLite database and its key file into TARGET, consistently, while smscloud runs.

    The copy holds every message accepted before the backup began; `smscloud db restore TARGET`
    puts it back. On PostgreSQL, use pg_dump, and keep the secret keys with the dump."""
    from smscloud.entrypoints.backup import backup

    settings = _settings({"data_dir": data_dir, "db.url": database_url})
    sqlite_file = _sqlite_file(settings)
    if sqlite_file is not None:
        _prepare_platform(settings, create=False, database_only=True)
    for line in backup(settings, sqlite_file, target):
        typer.echo(line)


@db_app.command("restore")
def db_restore(
    source: Annotated[Path, typer.Argument(help="A directory written by `smscloud db backup`.", show_default=False)],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Put a backup made by `smscloud db backup` in place of the database; smscloud must be stopped.

    The database and key file it replaces are kept beside them, named *.replaced-<time>. Start
    smscloud afterwards: messages that were on their way to a carrier when the backup was taken
    are sent again."""
    from smscloud.entrypoints.backup import restore

    settings = _settings({"data_dir": data_dir, "db.url": database_url})
    for line in restore(settings, _sqlite_file(settings), source):
        typer.echo(line)


Password = Annotated[
    str | None,
    typer.Option(
        "--password",
        help="The password: 8 to 128 characters, at least one letter and one digit, not containing the part of "
        "the e-mail address before the @ (when that part has 4 or more characters); without it one is generated "
        "and printed.",
    ),
]


def _with_platform(settings: Settings, work: Callable[[Platform], Awaitable[T]], *, create: bool = False) -> T:
    """Run `work` on the platform. Without `create`, a SQLite database that does not exist is
    refused (a wrong --data-dir must not start a new platform); with it, one is made and said so."""
    from smscloud.bootstrap import open_platform

    new_place = _prepare_platform(settings, create=create)

    async def job() -> T:
        platform = await open_platform(settings)
        if new_place is not None:
            typer.echo(f"smscloud: created a new platform {new_place}", err=True)
        try:
            return await work(platform)
        finally:
            await platform.close()

    return _run(job())


def _refused(exc: Exception) -> typer.Exit:
    typer.echo(f"smscloud: {exc}", err=True)
    return typer.Exit(1)


@operator_app.command("create")
def operator_create(
    email: Annotated[str, typer.Option("--email", help="The operator's e-mail address (the login).")],
    name: Annotated[str, typer.Option("--name", help="The name shown in the audit log.")],
    password: Password = None,
    language: Annotated[str, typer.Option(help="Console language: zh-CN or en.")] = "zh-CN",
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create an operator account."""
    from smscloud.domain.identity.model import Language
    from smscloud.domain.shared.errors import DomainError
    from smscloud.entrypoints.operators import new_password

    settings = _settings({"data_dir": data_dir, "db.url": database_url})
    chosen = password or new_password(email=email)
    try:
        lang = Language(language)
    except ValueError as exc:
        raise _refused(ValueError("--language must be zh-CN or en")) from exc

    async def work(platform: Platform) -> Any:
        return await platform.identity.create_operator(
            email=email, name=name, password=chosen, language=lang, actor=_COMMAND_LINE
        )

    try:
        operator = _with_platform(settings, work, create=True)
    except DomainError as exc:
        raise _refused(exc) from exc
    typer.echo(f"operator {operator.email} created (id {operator.id})")
    if password is None:
        typer.echo(f"password: {chosen}")


@operator_app.command("password")
def operator_password(
    email: Annotated[str, typer.Option("--email", help="The operator's e-mail address.")],
    password: Password = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Set an operator's password (its console sessions end)."""
    from smscloud.entrypoints.operators import new_password

    chosen = password or new_password(email=email)

    async def change(platform: Platform, operator: Operator) -> None:
        await platform.identity.set_operator_password(operator_id=operator.id, password=chosen, actor=_COMMAND_LINE)

    _change_operator(email, change, data_dir, database_url)
    typer.echo(f"password of {email} changed")
    if password is None:
        typer.echo(f"password: {chosen}")


def _change_operator(
    email: str,
    change: Callable[[Platform, Operator], Awaitable[None]],
    data_dir: str | None,
    database_url: str | None,
) -> None:
    """Apply `change` to the operator with this e-mail address; refuse (exit 1) with the reason."""
    from smscloud.domain.identity.rules import normalize_email
    from smscloud.domain.shared.errors import DomainError

    settings = _settings({"data_dir": data_dir, "db.url": database_url})

    async def work(platform: Platform) -> bool:
        operator = await platform.operators.by_email(normalize_email(email))
        if operator is None:
            return False
        await change(platform, operator)
        return True

    try:
        found = _with_platform(settings, work)
    except DomainError as exc:
        raise _refused(exc) from exc
    if not found:
        raise _refused(ValueError(f"no operator with the e-mail address {email}"))


def _set_operator_status(email: str, status: str, data_dir: str | None, database_url: str | None) -> None:
    from smscloud.domain.identity.model import OperatorStatus

    async def change(platform: Platform, operator: Operator) -> None:
        await platform.identity.set_operator_status(
            operator_id=operator.id, status=OperatorStatus(status), actor=_COMMAND_LINE
        )

    _change_operator(email, change, data_dir, database_url)
    typer.echo(f"operator {email} {status}")


@operator_app.command("disable")
def operator_disable(
    email: Annotated[str, typer.Option("--email", help="The operator's e-mail address.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Disable an operator: it can no longer log in and its console sessions end (never the last active one)."""
    _set_operator_status(email, "disabled", data_dir, database_url)


@operator_app.command("enable")
def operator_enable(
    email: Annotated[str, typer.Option("--email", help="The operator's e-mail address.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Enable a disabled operator again."""
    _set_operator_status(email, "active", data_dir, database_url)


@operator_app.command("two-step-off")
def operator_two_step_off(
    email: Annotated[str, typer.Option("--email", help="The operator's e-mail address.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Turn off an operator's two-step verification (a lost phone and lost recovery codes); they
    log in with the password alone until they turn it on again."""
    from smscloud.domain.audit.model import AuditNote
    from smscloud.domain.identity.model import Principal

    async def change(platform: Platform, operator: Operator) -> None:
        noted = AuditNote(
            actor=_COMMAND_LINE,
            action="operator.two_step_reset",
            subject_kind="operator",
            subject_id=operator.id,
            tenant_id=None,
            detail=operator.email,
            at=platform.clock.now(),
        )
        await platform.identity.reset_two_step(Principal.operator(operator.id), noted=noted)

    _change_operator(email, change, data_dir, database_url)
    typer.echo(f"two-step verification of {email} is off")


@operator_app.command("list")
def operator_list(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """List the operator accounts."""
    settings = _settings({"data_dir": data_dir, "db.url": database_url})

    async def work(platform: Platform) -> list[Any]:
        return list(await platform.operators.all())

    for operator in _with_platform(settings, work):
        last = operator.last_login_at.isoformat(timespec="seconds") if operator.last_login_at else "never"
        typer.echo(f"{operator.id}\t{operator.email}\t{operator.name}\t{operator.status}\tlast login: {last}")


@tenant_app.command("list")
def tenant_list(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many, newest first.")] = 100,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """List the customer accounts: id, name, type, status, SMS service, created."""
    settings = _settings({"data_dir": data_dir, "db.url": database_url})

    async def work(platform: Platform) -> list[Any]:
        return list(await platform.accounts.tenants(limit=limit))

    for tenant in _with_platform(settings, work):
        sms = "sms" if tenant.sms_enabled else "-"
        created = tenant.created_at.isoformat(timespec="seconds")
        typer.echo(f"{tenant.id}\t{tenant.name}\t{tenant.kind}\t{tenant.status}\t{sms}\t{created}")


def _set_tenant_suspended(
    tenant_id: int, *, suspended: bool, reason: str, data_dir: str | None, database_url: str | None
) -> Any:
    from smscloud.domain.accounts.service import Telling, set_tenant_suspended
    from smscloud.domain.audit.model import Actor
    from smscloud.domain.shared.errors import DomainError

    settings = _settings({"data_dir": data_dir, "db.url": database_url})

    async def work(platform: Platform) -> Any:
        return await set_tenant_suspended(
            store=platform.accounts,
            clock=platform.clock,
            tenant_id=tenant_id,
            actor=Actor.system(),
            suspended=suspended,
            reason=reason,
            telling=Telling(platform.users, platform.notifications, settings.console_url),
        )

    try:
        return _with_platform(settings, work)
    except DomainError as exc:
        raise _refused(exc) from exc


@tenant_app.command("suspend")
def tenant_suspend(
    tenant_id: Annotated[
        int, typer.Option("--id", min=1, max=2**63 - 1, help="The account's id (`smscloud tenant list`).")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why: the customer sees it in the console.")],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Suspend an account: every send of it is refused (a running server within 2 s), its people
    can still sign in. Recorded in the audit log with the reason."""
    tenant = _set_tenant_suspended(
        tenant_id, suspended=True, reason=reason, data_dir=data_dir, database_url=database_url
    )
    typer.echo(f"tenant {tenant.id} ({tenant.name}) suspended")


@tenant_app.command("resume")
def tenant_resume(
    tenant_id: Annotated[
        int, typer.Option("--id", min=1, max=2**63 - 1, help="The account's id (`smscloud tenant list`).")
    ],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Let a suspended account send again. Recorded in the audit log."""
    tenant = _set_tenant_suspended(tenant_id, suspended=False, reason="", data_dir=data_dir, database_url=database_url)
    typer.echo(f"tenant {tenant.id} ({tenant.name}) may send again")


CarrierName = Annotated[str, typer.Argument(help="The carrier's name (`smscloud carrier list`).", show_default=False)]
_RESTART_NOTE = "a running connector takes it within 10 s"


def _refused_input(exc: Exception) -> typer.Exit:
    """Every problem of a refused input, one per line."""
    from smscloud.domain.shared.errors import InvalidInput

    if isinstance(exc, InvalidInput):
        for problem in exc.every:
            typer.echo(f"smscloud: {problem.field}: {problem.reason}", err=True)
        return typer.Exit(1)
    return _refused(exc)


def _carrier_work(work: Callable[[Platform], Awaitable[T]], data_dir: str | None, database_url: str | None) -> T:
    from smscloud.domain.shared.errors import DomainError

    settings = _settings({"data_dir": data_dir, "db.url": database_url})
    try:
        return _with_platform(settings, work)
    except DomainError as exc:
        raise _refused_input(exc) from exc


@carrier_app.command("list")
def carrier_list(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object, for scripts.")] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Every carrier with its settings (never its password), then every route."""

    async def work(platform: Platform) -> tuple[list[Any], list[Any]]:
        return list(await platform.carriers.all()), list(await platform.carriers.routes())

    carriers, routes = _carrier_work(work, data_dir, database_url)
    if as_json:
        shown = [
            {
                "name": c.name,
                "host": c.host,
                "port": c.port,
                "system_id": c.system_id,
                "system_type": c.system_type,
                "source_addr": c.source_addr,
                "window": c.window,
                "tps": c.tps,
                "binds": c.binds,
                "enabled": c.enabled,
                "receipt_ids": c.receipt_ids.value,
            }
            for c in carriers
        ]
        ways = [
            {"prefix": r.prefix, "carrier": r.carrier, "priority": r.priority, "enabled": r.enabled} for r in routes
        ]
        typer.echo(json.dumps({"carriers": shown, "routes": ways}, ensure_ascii=False))
        return
    if not carriers:
        typer.echo("no carriers")
    for c in carriers:
        state = "on" if c.enabled else "off"
        tps = c.tps or "no cap"
        typer.echo(
            f"{c.name}\t{c.host}:{c.port}\tsystem_id={c.system_id}\twindow={c.window}\ttps={tps}"
            f"\tbinds={c.binds}\treceipt_ids={c.receipt_ids}\t{state}"
        )
    typer.echo("routes:" if routes else "no routes: every number is refused until one exists")
    for r in routes:
        state = "" if r.enabled else "\t(off)"
        typer.echo(f"  {'+' + r.prefix if r.prefix else 'every number'}\t-> {r.carrier}\tpriority {r.priority}{state}")


@carrier_app.command("set")
def carrier_set(
    name: CarrierName,
    host: Annotated[str | None, typer.Option(help="The SMSC's host name or IP address.")] = None,
    port: Annotated[int | None, typer.Option(help="The SMSC's SMPP port.")] = None,
    system_id: Annotated[str | None, typer.Option("--system-id", help="The bind's system_id (at most 15).")] = None,
    password: Annotated[
        str | None,
        typer.Option(
            envvar="SMSCLOUD_CARRIER_PASSWORD",
            help="The bind's password (at most 8); better given in SMSCLOUD_CARRIER_PASSWORD than on the "
            "command line. A carrier being changed keeps its password when none is given.",
        ),
    ] = None,
    system_type: Annotated[str | None, typer.Option("--system-type", help="The bind's system_type.")] = None,
    source_addr: Annotated[
        str | None, typer.Option("--source-addr", help="The sender number (source_addr) of messages.")
    ] = None,
    window: Annotated[
        int | None, typer.Option(help="submit_sm awaiting their response, per bind (default 10).")
    ] = None,
    tps: Annotated[int | None, typer.Option(help="Submits per second for the carrier; 0: no cap (default).")] = None,
    binds: Annotated[int | None, typer.Option(help="Binds (SMPP sessions) to keep up (default 1).")] = None,
    receipt_ids: Annotated[
        str | None,
        typer.Option(
            "--receipt-ids",
            help="How the SMSC's receipts write the ids of its submit responses: as-sent (default), caseless, "
            "hex (both hex, any case or leading zeros), hex-then-decimal, decimal-then-hex.",
        ),
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Add a carrier, or change one: the options given replace its settings, the others stay.

    A new carrier needs --host, --port and --system-id, and takes no numbers until a route sends
    some to it (`smscloud carrier route`). Recorded in the audit log."""

    from dataclasses import replace

    from smscloud.domain.audit.model import Actor
    from smscloud.domain.carriers.model import Carrier
    from smscloud.domain.carriers.service import save_carrier

    async def work(platform: Platform) -> tuple[Any, bool]:
        existing = await platform.carriers.by_name(name)
        if existing is None:
            missing = [
                flag
                for flag, value in (("--host", host), ("--port", port), ("--system-id", system_id))
                if value is None
            ]
            if missing:
                raise typer.BadParameter(f"a new carrier needs {', '.join(missing)}")
            base = Carrier(0, name, "smpp", "", 0, "", "", "", "", 10, 0, 1, True)
        else:
            base = existing
        given = {
            "host": host,
            "port": port,
            "system_id": system_id,
            "password": password,
            "system_type": system_type,
            "source_addr": source_addr,
            "window": window,
            "tps": tps,
            "binds": binds,
            "receipt_ids": None if receipt_ids is None else _receipt_ids(receipt_ids),
        }
        changes: dict[str, Any] = {field: value for field, value in given.items() if value is not None}
        carrier = replace(base, **changes)  # a carrier being changed keeps what is not given
        saved = await save_carrier(store=platform.carriers, clock=platform.clock, carrier=carrier, actor=Actor.system())
        return saved, existing is None

    saved, created = _carrier_work(work, data_dir, database_url)
    verb = "added" if created else "changed"
    typer.echo(f"carrier {saved.name} {verb}: {saved.host}:{saved.port} as {saved.system_id}; {_RESTART_NOTE}")
    if created:
        typer.echo(f"it takes no numbers yet: smscloud carrier route {saved.name} --prefix <country code>")


def _receipt_ids(given: str) -> Any:
    from smscloud.domain.carriers.message_ids import ReceiptIds

    try:
        return ReceiptIds(given)
    except ValueError:
        choices = ", ".join(ids.value for ids in ReceiptIds)
        raise typer.BadParameter(f"--receipt-ids must be one of {choices}") from None


def _set_carrier_enabled(name: str, enabled: bool, data_dir: str | None, database_url: str | None) -> None:
    from smscloud.domain.audit.model import Actor
    from smscloud.domain.carriers.service import set_carrier_enabled

    async def work(platform: Platform) -> Any:
        return await set_carrier_enabled(
            store=platform.carriers, clock=platform.clock, name=name, enabled=enabled, actor=Actor.system()
        )

    carrier = _carrier_work(work, data_dir, database_url)
    typer.echo(f"carrier {carrier.name} is {'on' if carrier.enabled else 'off'}; {_RESTART_NOTE}")


@carrier_app.command("enable")
def carrier_enable(name: CarrierName, data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Turn a carrier on: its routes take numbers again. Recorded in the audit log."""
    _set_carrier_enabled(name, True, data_dir, database_url)


@carrier_app.command("disable")
def carrier_disable(name: CarrierName, data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Turn a carrier off: its routes take no new numbers (one no other route takes is refused),
    a running connector unbinds it within 10 s, and what is queued for it waits until it is on
    again. Recorded in the audit log."""
    _set_carrier_enabled(name, False, data_dir, database_url)


Prefix = Annotated[
    str,
    typer.Option(
        "--prefix",
        help="Digits an international number starts with, without or with '+': 86, +852, 1; '' for every number.",
    ),
]


@carrier_app.command("route")
def carrier_route(
    name: CarrierName,
    prefix: Prefix,
    priority: Annotated[int, typer.Option(help="Between routes of the same prefix, the highest wins.")] = 0,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Send numbers starting with --prefix to the carrier; the longest matching prefix wins. The
    API uses it within seconds. Recorded in the audit log."""
    from smscloud.domain.audit.model import Actor
    from smscloud.domain.carriers.service import add_route

    async def work(platform: Platform) -> str:
        return await add_route(
            store=platform.carriers,
            clock=platform.clock,
            name=name,
            prefix=prefix,
            priority=priority,
            actor=Actor.system(),
        )

    stored = _carrier_work(work, data_dir, database_url)
    typer.echo(f"{'+' + stored if stored else 'every number'} -> {name} (priority {priority})")


@carrier_app.command("unroute")
def carrier_unroute(
    name: CarrierName, prefix: Prefix, data_dir: DataDir = None, database_url: DatabaseUrl = None
) -> None:
    """Stop sending numbers of --prefix to the carrier. Recorded in the audit log."""
    from smscloud.domain.audit.model import Actor
    from smscloud.domain.carriers.service import remove_route

    async def work(platform: Platform) -> bool:
        return await remove_route(
            store=platform.carriers, clock=platform.clock, name=name, prefix=prefix, actor=Actor.system()
        )

    if not _carrier_work(work, data_dir, database_url):
        typer.echo(f"smscloud: {name} has no route for {prefix!r}", err=True)
        raise typer.Exit(1)
    typer.echo(f"route {prefix!r} of {name} removed")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
