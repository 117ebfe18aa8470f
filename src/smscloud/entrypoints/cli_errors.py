"""How the `smscloud` command says what stops it: one line on stderr, never a traceback.

Exit code 2 for bad configuration or arguments, 1 for a failure at run time. `explain` turns the
exceptions the command expects (settings refused, a database that cannot be reached, a port in
use, a file that cannot be written) into that line; anything else is a bug and keeps its
traceback. `ReportingGroup` applies it around every command, so commands need no try/except of
their own for these.
"""

from __future__ import annotations

import contextvars
import os
import re
import socket
import sqlite3
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup
from typing_extensions import override

if TYPE_CHECKING:
    from smscloud.config import Settings

__all__ = [
    "FAILURE",
    "USAGE",
    "CommandError",
    "ReportingGroup",
    "explain",
    "listen_failure",
    "os_reason",
    "remember_settings",
    "shown_url",
]

USAGE = 2  # bad configuration or arguments: fix them and run again
FAILURE = 1  # a failure at run time

# The settings of the command being run, to name its database in an error.
_settings: contextvars.ContextVar[Settings | None] = contextvars.ContextVar("smscloud_settings", default=None)
# SQLSTATE classes of a server that answers but will not let us in (or not now): connection
# exception, invalid authorization, no such database, insufficient resources, operator intervention.
_CONNECT_SQLSTATES = ("08", "28", "3D", "53", "57P")


class CommandError(Exception):
    """A command cannot go on; the message says what is wrong and what to do."""

    def __init__(self, message: str, *, exit_code: int = FAILURE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def remember_settings(settings: Settings) -> None:
    """Keep the settings of the running command, to name its database in an error."""
    _settings.set(settings)


class ReportingGroup(TyperGroup):
    """The root command group: an expected failure of any subcommand ends as one line."""

    @override
    def invoke(self, ctx: Any) -> Any:
        token = _settings.set(None)
        try:
            return super().invoke(ctx)
        except Exception as exc:
            problem = explain(exc, _settings.get())
            if problem is None:
                raise
            typer.echo(f"smscloud: {problem}", err=True)
            raise typer.Exit(problem.exit_code) from exc
        finally:
            _settings.reset(token)


def shown_url(url: str) -> str:
    """A database URL fit to print: its password hidden, even when the URL does not parse."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def os_reason(exc: OSError) -> str:
    """The one-line reason of an OS error: `Address already in use`, `Connection refused`, …"""
    if isinstance(exc, socket.gaierror) and exc.strerror:
        return exc.strerror
    if isinstance(exc.errno, int) and exc.errno > 0:
        return os.strerror(exc.errno)
    if isinstance(exc, TimeoutError):
        return "timed out"
    return _first_line(exc)


def listen_failure(host: str, port: int, what: str, exc: OSError) -> str:
    return f"cannot listen on {host}:{port} for the {what}: {os_reason(exc)}"


def explain(exc: BaseException, settings: Settings | None) -> CommandError | None:
    """The one line (and exit code) for an expected failure; None for anything else (a bug)."""
    if isinstance(exc, ExceptionGroup):
        explained = [explain(inner, settings) for inner in exc.exceptions]
        first = explained[0] if explained else None
        return first if all(explained) else None
    if isinstance(exc, CommandError):
        return exc
    from smscloud.config import SettingsError

    if isinstance(exc, SettingsError):
        return CommandError(str(exc), exit_code=USAGE)
    from smscloud.entrypoints.locks import AlreadyRunning

    if isinstance(exc, AlreadyRunning):
        return CommandError(str(exc))
    from smscloud.adapters.crypto.fernet_box import SecretBoxError

    if isinstance(exc, SecretBoxError):
        where = "SMSCLOUD_SECRET_KEYS"
        if settings is not None and not settings.secret_keys:
            where = f"{settings.data_path / 'secret.key'} (or SMSCLOUD_SECRET_KEYS)"
        return CommandError(f"{exc}: {where} must hold the key the data was encrypted with", exit_code=USAGE)
    reason = _database_failure(exc)
    if reason is not None:
        where = "the database" if settings is None else f"the database at {shown_url(settings.database_url)}"
        return CommandError(f"cannot reach {where}: {reason}")
    from sqlalchemy.exc import ArgumentError

    if isinstance(exc, ArgumentError):  # config checks the URL first: only what slips through
        return CommandError(f"database URL: {_first_line(exc)}", exit_code=USAGE)
    if isinstance(exc, OSError) and exc.filename is not None and _ours(str(exc.filename), settings):
        return CommandError(f"cannot use {exc.filename}: {os_reason(exc)}")
    return None


def _database_failure(exc: BaseException) -> str | None:
    """The driver's reason when `exc` says the database cannot be reached or will not let us in."""
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

    if isinstance(exc, DBAPIError):
        if (
            isinstance(exc, (OperationalError, InterfaceError))
            or _connect_sqlstate(exc.orig)
            or type(exc.orig) is sqlite3.DatabaseError  # "file is not a database", "… malformed"
        ):
            return _first_line(exc.orig) if exc.orig is not None else _first_line(exc)
        return None
    if type(exc).__module__.startswith("asyncpg") and _connect_sqlstate(exc):
        return _first_line(exc)
    if isinstance(exc, OSError) and _raised_in_driver(exc):  # refused, no such host, timed out
        return os_reason(exc)
    return None


def _connect_sqlstate(error: BaseException | None) -> bool:
    code = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
    return isinstance(code, str) and code.startswith(_CONNECT_SQLSTATES)


def _raised_in_driver(exc: BaseException) -> bool:
    return any(
        str(frame.f_globals.get("__name__", "")).startswith("asyncpg")
        for frame, _ in traceback.walk_tb(exc.__traceback__)
    )


def _ours(filename: str, settings: Settings | None) -> bool:
    """Whether a file smscloud failed to use is one the settings chose (a bug's stays loud)."""
    if settings is None:
        return False
    path = Path(filename).absolute()
    chosen = [settings.data_path.absolute()]
    if settings.simulator.ledger_path:
        chosen.append(Path(settings.simulator.ledger_path).absolute())
    return any(path == place or path.is_relative_to(place) for place in chosen)


def _first_line(error: object) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
