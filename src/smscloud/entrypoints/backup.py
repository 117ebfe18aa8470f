"""`smscloud db backup` and `db restore`: a running SQLite install copied with its key file, and
a copy put back while nothing runs (the copying itself is `adapters/storage/backup.py`)."""

from __future__ import annotations

import contextlib
import shutil
from datetime import UTC, datetime
from pathlib import Path

from smscloud.adapters.storage.backup import BackupFailed, backup_sqlite, check_copy, restore_sqlite
from smscloud.config import Settings
from smscloud.entrypoints.cli_errors import USAGE, CommandError
from smscloud.entrypoints.locks import AlreadyRunning, single_instance

__all__ = ["backup", "restore"]

_UNREADABLE = "its API keys, AppKeys and carrier passwords cannot be read"


def backup(settings: Settings, sqlite_file: Path | None, target: Path) -> list[str]:
    """Copy the database `sqlite_file` (None: PostgreSQL, refused) and the key file into the new
    directory `target`; returns what to tell the operator."""
    if sqlite_file is None:
        raise CommandError(
            "the database is PostgreSQL: back it up with pg_dump, and keep SMSCLOUD_SECRET_KEYS (or the data"
            f" directory's secret.key) with the dump: without them {_UNREADABLE}",
            exit_code=USAGE,
        )
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CommandError(f"{target} exists and is not an empty directory: give a new one", exit_code=USAGE)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"cannot create {target}: {exc.strerror}", exit_code=USAGE) from exc
    try:
        copy = backup_sqlite(sqlite_file, target / "smscloud.db")
    except BackupFailed as exc:
        raise CommandError(str(exc)) from exc
    said = [
        f"{copy.path}: {copy.size_bytes:,} bytes, schema {copy.revision}, {copy.messages:,} messages, checked sound"
    ]
    key_file = settings.data_path / "secret.key"
    if settings.secret_keys:
        said.append(
            f"the secret keys are in SMSCLOUD_SECRET_KEYS: keep them with this backup; without them {_UNREADABLE}"
        )
    elif key_file.is_file():
        kept = target / "secret.key"
        shutil.copyfile(key_file, kept)
        kept.chmod(0o600)
        said.append(f"{kept}: the key the stored secrets are encrypted with; keep it as safe as the database")
    return said


def restore(settings: Settings, sqlite_file: Path | None, source: Path) -> list[str]:
    """Put the backup in `source` in place of `sqlite_file` (None: PostgreSQL, refused) and of the
    key file, holding serve's and the connectors' locks meanwhile; returns what to tell the operator."""
    if sqlite_file is None:
        raise CommandError(
            "the database is PostgreSQL: restore it with pg_restore or psql from your dump", exit_code=USAGE
        )
    try:
        copy = check_copy(source / "smscloud.db")
    except BackupFailed as exc:
        raise CommandError(f"{exc}: give a directory written by `smscloud db backup`", exit_code=USAGE) from exc
    stamp = datetime.now(UTC).strftime(".replaced-%Y%m%dT%H%M%SZ")
    roles = ["serve", *sorted(path.stem for path in settings.data_path.glob("connector*.lock"))]
    with contextlib.ExitStack() as held:
        try:
            for role in roles:  # held until the files are in place: nothing starts meanwhile
                held.enter_context(single_instance(settings, role))
        except AlreadyRunning as exc:
            raise CommandError(f"smscloud is running on {settings.data_path}: stop it first ({exc})") from exc
        sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        kept = restore_sqlite(copy.path, sqlite_file, kept_suffix=stamp)
        key_note = _restore_key_file(settings, source / "secret.key", stamp, kept)
    said = [f"{sqlite_file}: restored from {copy.path} (schema {copy.revision}, {copy.messages:,} messages)"]
    said += [f"kept what it replaced: {path}" for path in kept]
    if key_note:
        said.append(key_note)
    said.append("start smscloud now (it upgrades an older schema at start)")
    return said


def _restore_key_file(settings: Settings, key: Path, stamp: str, kept: list[Path]) -> str:
    """Put the backup's key file in place (keeping a different one it replaces, added to `kept`);
    returns what the operator must know about the keys, if anything."""
    if not key.is_file():
        return "the backup has no secret.key: SMSCLOUD_SECRET_KEYS must hold the key its secrets were encrypted with"
    if settings.secret_keys:
        backup_keys = {line.strip() for line in key.read_text().splitlines() if line.strip()}
        if backup_keys & set(settings.secret_keys):
            return ""
        return f"SMSCLOUD_SECRET_KEYS holds none of the backup's keys: add the key in {key} to it, or {_UNREADABLE}"
    current = settings.data_path / "secret.key"
    if current.is_file() and current.read_bytes() == key.read_bytes():
        return ""
    if current.is_file():
        moved = current.with_name(current.name + stamp)
        current.replace(moved)
        kept.append(moved)
    shutil.copyfile(key, current)
    current.chmod(0o600)
    return f"{current}: the backup's key"
