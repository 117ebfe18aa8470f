"""What stops a command is said in one line on stderr, exit code 2 for bad configuration or
arguments and 1 for a failure at run time, never with a traceback: settings (secret keys, the
database URL, the log level, unknown SMSCLOUD_* variables), a database that cannot be reached or
created, a port in use, a file descriptor that is no socket."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy.engine import make_url
from typer.testing import CliRunner, Result

from smscloud.entrypoints.cli import app
from tests.support.server import SMSCLOUD, free_port

pytestmark = pytest.mark.integration

TEST_DATABASE = os.environ.get("SMSCLOUD_TEST_DATABASE", "sqlite")


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def refused(result: Result, exit_code: int, message: str) -> None:
    """The command ended with `exit_code` and said `message` as its only line on stderr."""
    # An exception other than the exit means a traceback for the user.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert (result.exit_code, result.stderr) == (exit_code, f"smscloud: {message}\n")
    assert result.stdout == ""


@pytest.fixture
def where(tmp_path: Path) -> tuple[str, ...]:
    return ("--data-dir", str(tmp_path / "data"))


# 25: secret keys ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [("status",), ("demo",), ("serve",), ("operator", "list"), ("tenant", "list"), ("connector",), ("db", "upgrade")],
)
def test_a_secret_key_that_is_not_a_fernet_key_is_refused_by_every_command(
    command: tuple[str, ...], where: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMSCLOUD_SECRET_KEYS", f"{Fernet.generate_key().decode()},notakey")
    refused(
        run(*command, *where),
        2,
        "SMSCLOUD_SECRET_KEYS: key 2 of 2 is not a Fernet key (32 url-safe base64-encoded bytes); make one with:"
        " python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'",
    )
    assert not (tmp_path / "data").exists()


def test_a_key_file_without_a_fernet_key_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "secret.key").write_text("notakey\n")
    refused(
        run("demo", "--data-dir", str(data)),
        2,
        f"{data / 'secret.key'}: key 1 is not a Fernet key (32 url-safe base64-encoded bytes)",
    )
    assert not (data / "smscloud.db").exists()


def test_keys_that_do_not_open_the_stored_secrets_are_named(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = ("--data-dir", str(tmp_path / "data"), "--database-url", database_url)
    assert run("demo", *where).exit_code == 0
    monkeypatch.setenv("SMSCLOUD_SECRET_KEYS", Fernet.generate_key().decode())
    refused(
        run("demo", *where),
        2,
        "a stored secret does not decrypt with the configured keys:"
        " SMSCLOUD_SECRET_KEYS must hold the key the data was encrypted with",
    )


# 26: the database URL -------------------------------------------------------------------------


@pytest.mark.parametrize("command", [("status",), ("serve",), ("db", "upgrade"), ("demo",)])
def test_a_database_other_than_sqlite_or_postgresql_is_refused(
    command: tuple[str, ...], where: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMSCLOUD_DATABASE_URL", "mysql://smscloud:hunter2@db.example.com/smscloud")
    refused(
        run(*command, *where),
        2,
        "database URL 'mysql://smscloud:***@db.example.com/smscloud': mysql is not supported:"
        " use sqlite:///path/to/file.db or postgresql://user@host:5432/dbname",
    )


@pytest.mark.parametrize("url", ["notaurl", "postgresql://user:hunter2@host:port/db"])
def test_a_database_url_that_is_no_url_is_refused(url: str, where: tuple[str, ...]) -> None:
    shown = url.replace("hunter2", "***")
    refused(
        run("db", "upgrade", "--database-url", url, *where),
        2,
        f"database URL {shown!r} is not a database URL: use sqlite:///path/to/file.db or"
        " postgresql://user@host:5432/dbname",
    )


# 27: a database that cannot be reached --------------------------------------------------------


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A local port nothing listens on: a connection to it is refused."""
    yield free_port()


@pytest.mark.parametrize("command", [("status",), ("serve",), ("tenant", "list"), ("demo",), ("db", "upgrade")])
def test_a_postgresql_server_that_is_not_there_is_named_with_the_reason(
    command: tuple[str, ...], where: tuple[str, ...], closed_port: int
) -> None:
    url = f"postgresql://root:hunter2@127.0.0.1:{closed_port}/test"
    refused(
        run(*command, *where, "--database-url", url),
        1,
        f"cannot reach the database at postgresql://root:***@127.0.0.1:{closed_port}/test: Connection refused",
    )


@pytest.mark.skipif(not TEST_DATABASE.startswith("postgresql"), reason="needs the PostgreSQL test server")
@pytest.mark.parametrize("command", [("status",), ("serve",), ("operator", "list")])
def test_a_role_that_does_not_exist_is_named(command: tuple[str, ...], where: tuple[str, ...]) -> None:
    url = make_url(TEST_DATABASE).set(username="smscloud_nobody", password=None)
    shown = url.render_as_string(hide_password=True)
    refused(
        run(*command, *where, "--database-url", shown),
        1,
        f'cannot reach the database at {shown}: role "smscloud_nobody" does not exist',
    )


def test_what_the_user_sees_is_one_line(tmp_path: Path, closed_port: int) -> None:
    """The real command in a shell: no traceback on stderr, whatever logging is set up."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("SMSCLOUD_")}
    for command in ("serve", "status"):
        done = subprocess.run(
            [
                SMSCLOUD,
                command,
                "--data-dir",
                str(tmp_path),
                "--database-url",
                f"postgresql://root@127.0.0.1:{closed_port}/x",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert (done.returncode, done.stdout) == (1, ""), done.stderr
        assert done.stderr == (
            f"smscloud: cannot reach the database at postgresql://root@127.0.0.1:{closed_port}/x: Connection refused\n"
        )


def test_an_sqlite_file_that_is_no_database_is_named(tmp_path: Path, where: tuple[str, ...]) -> None:
    (tmp_path / "notes.db").write_text("not a database\n")
    refused(
        run("status", *where, "--database-url", f"sqlite:///{tmp_path / 'notes.db'}"),
        1,
        f"cannot reach the database at sqlite:///{tmp_path / 'notes.db'}: file is not a database",
    )


# 28: a database or data directory that cannot be created --------------------------------------


def test_an_sqlite_database_in_a_directory_that_does_not_exist_is_refused(
    tmp_path: Path, where: tuple[str, ...]
) -> None:
    missing = tmp_path / "nonexistent" / "dir"
    refused(
        run("demo", *where, "--database-url", f"sqlite:///{missing / 'x.db'}"),
        2,
        f"cannot create the SQLite database {missing / 'x.db'}: there is no directory {missing}",
    )
    assert not (tmp_path / "data").exists() and not missing.exists()


@pytest.mark.parametrize("command", [("demo",), ("operator", "create", "--email", "li@example.com", "--name", "Li")])
def test_a_data_directory_that_cannot_be_created_is_refused(command: tuple[str, ...]) -> None:
    refused(
        run(*command, "--data-dir", "/proc/nope"),
        2,
        "cannot create the data directory /proc/nope: No such file or directory; pass another --data-dir",
    )


# 29, and serve's own: a port in use -----------------------------------------------------------


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def test_the_simulator_on_a_port_in_use_says_so_as_serve_does(busy_port: int, tmp_path: Path) -> None:
    refused(
        run("simulator", "--port", str(busy_port)),
        1,
        f"cannot listen on 127.0.0.1:{busy_port} for the carrier simulator: Address already in use",
    )
    refused(
        run("serve", "--data-dir", str(tmp_path), "--port", str(free_port()), "--simulator-port", str(busy_port)),
        1,
        f"cannot listen on 127.0.0.1:{busy_port} for the carrier simulator: Address already in use",
    )


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("SMSCLOUD_SIMULATOR__RECEIPT_WINDOW", "0", "receipt_window must be at least 1"),
        (
            "SMSCLOUD_SIMULATOR__IDLE_TIMEOUT_S",
            "20",
            "enquire_link_s (30.0) must be shorter than idle_timeout_s (20.0): a silent session would be closed"
            " before it is enquired",
        ),
    ],
)
def test_a_simulator_setting_the_simulator_refuses_stops_serve_and_simulator_in_one_line(
    variable: str, value: str, problem: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    message = f"simulator settings (SMSCLOUD_SIMULATOR__*): {problem}"
    refused(run("simulator", "--port", str(free_port())), 2, message)
    refused(run("serve", "--data-dir", str(tmp_path / "data"), "--port", str(free_port())), 2, message)
    assert not (tmp_path / "data" / "smscloud.db").exists()  # refused before anything was opened


# 33: api-worker's inherited socket -----------------------------------------------------------


def is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def test_an_api_worker_without_a_listening_socket_is_refused(tmp_path: Path) -> None:
    closed = next(fd for fd in range(999, 10, -1) if not is_open(fd))
    hint = (
        "api-worker serves the listening socket `smscloud serve` hands down (set SMSCLOUD_API__PROCESSES and run serve)"
    )
    refused(run("api-worker", "--fd", str(closed)), 2, f"--fd {closed}: Bad file descriptor; {hint}")

    fd = os.open(tmp_path / "a-file", os.O_CREAT | os.O_RDONLY)
    try:
        refused(run("api-worker", "--fd", str(fd)), 2, f"--fd {fd}: Socket operation on non-socket; {hint}")
    finally:
        os.close(fd)

    with socket.socket() as unbound:
        refused(
            run("api-worker", "--fd", str(unbound.fileno())),
            2,
            f"--fd {unbound.fileno()}: not a listening TCP socket; {hint}",
        )
        assert unbound.fileno() != -1  # the command left it open: it was not the command's


# 5: unknown settings and the log level --------------------------------------------------------


def test_unknown_smscloud_variables_are_warned_about_with_the_nearest_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMSCLOUD_API_PORT", "9000")
    monkeypatch.setenv("SMSCLOUD_DATA__DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("SMSCLOUD_SOMETHING_ELSE", "1")
    # The suite's own variables are not settings and not warned about.
    for name in ("SMSCLOUD_TEST_POSTGRES", "SMSCLOUD_REQUIRE_BROWSER", "SMSCLOUD_ARTIFACTS", "SMSCLOUD_BENCH_POSTGRES"):
        monkeypatch.setenv(name, "x")
    result = run("db", "upgrade", "--data-dir", str(tmp_path / "data"))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "smscloud: unknown setting SMSCLOUD_API_PORT — did you mean SMSCLOUD_API__PORT? (ignored)",
        "smscloud: unknown setting SMSCLOUD_DATA__DIR — did you mean SMSCLOUD_DATA_DIR? (ignored)",
        "smscloud: unknown setting SMSCLOUD_SOMETHING_ELSE (ignored; README.md lists the settings under Configuration)",
    ]
    assert result.stdout.startswith("database at revision ")
    assert not (tmp_path / "elsewhere").exists()


def test_a_misspelt_field_of_a_settings_group_is_refused(
    where: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMSCLOUD_MAIL__SMTP_PASWORD", "x")
    refused(
        run("status", *where),
        2,
        "unknown setting SMSCLOUD_MAIL__SMTP_PASWORD — did you mean SMSCLOUD_MAIL__SMTP_PASSWORD?",
    )


def test_a_log_level_that_is_none_is_refused_with_the_allowed_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMSCLOUD_LOG_LEVEL", "verbose")
    refused(
        run("db", "upgrade", "--data-dir", str(tmp_path)),
        2,
        "SMSCLOUD_LOG_LEVEL 'verbose' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL",
    )
    monkeypatch.setenv("SMSCLOUD_LOG_LEVEL", "warning")
    assert run("db", "upgrade", "--data-dir", str(tmp_path)).exit_code == 0
