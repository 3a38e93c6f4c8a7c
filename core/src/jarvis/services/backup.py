"""Backups: the database and the vault key file in one archive, taken while the server runs.

- SQLite: SQLite's online backup API copies a consistent snapshot while writers go on.
- PostgreSQL: ``pg_dump --format=custom`` of the schema Jarvis uses: one consistent snapshot
  (a repeatable-read transaction), restorable by ``jarvis restore`` or by ``pg_restore`` by hand.

The archive (``tar.gz``, mode 0600) holds ``manifest.json``, the database (``jarvis.db`` or
``database.pgdump``) and ``vault.key`` (and ``vault.key.next`` during a key rotation). Without the
key file the stored credentials cannot be decrypted: the archive is as secret as both.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from ..db import sqlite_copy
from ..models.tables import table_of
from .crypto import KEY_FILE, NEXT_KEY_FILE

FORMAT = 1
SQLITE_MEMBER = "jarvis.db"
PG_MEMBER = "database.pgdump"
LIVE_WITHIN = timedelta(seconds=60)  # a heartbeat this recent: a server is running


class BackupError(Exception):
    """A backup or restore cannot be done; the message says why in one line."""


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URI (without the password) and the environment holding it."""
    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = u.password
    plain = u.set(drivername="postgresql", password=None, query={})
    return plain.render_as_string(hide_password=False), env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    if shutil.which(cmd[0]) is None:
        raise BackupError(f"{cmd[0]} is not installed (PostgreSQL's client tools are needed)")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"{cmd[0]}: {last}")


def _pg_schema(url: str, schema: str | None) -> str:
    if schema:
        return schema
    import asyncio

    import asyncpg

    async def current() -> str:
        uri, env = _libpq(url)
        conn = await asyncpg.connect(uri, password=env.get("PGPASSWORD"))
        try:
            return await conn.fetchval("SELECT current_schema()")
        finally:
            await conn.close()

    return asyncio.run(current())


def backup(url: str, data_dir: Path, target: Path, *, version: str,
           schema: str | None = None) -> dict[str, Any]:
    """Write the archive ``target`` (``version``: the server's, for the manifest); returns its
    manifest."""
    data_dir = Path(data_dir)
    key = data_dir / KEY_FILE
    if not key.exists():
        raise BackupError(f"no key file at {key}: back up the master password's vault instead "
                          "(JARVIS_MASTER_PASSWORD), or start the server once")
    manifest: dict[str, Any] = {
        "format": FORMAT, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "jarvis": version,
    }
    with tempfile.TemporaryDirectory(prefix="jarvis-backup-") as tmp:
        work = Path(tmp)
        if url.startswith("sqlite"):
            source = Path(url.split("///", 1)[1])
            if not source.exists():
                raise BackupError(f"no database at {source}")
            sqlite_copy(source, work / SQLITE_MEMBER)
            manifest["database"] = "sqlite"
            members = [SQLITE_MEMBER]
        else:
            uri, env = _libpq(url)
            name = _pg_schema(url, schema)
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  f"--schema={name}", f"--file={work / PG_MEMBER}", f"--dbname={uri}"], env)
            manifest.update(database="postgresql", schema=name)
            members = [PG_MEMBER]
        for name in (KEY_FILE, NEXT_KEY_FILE):
            if (data_dir / name).exists():
                shutil.copy(data_dir / name, work / name)
                members.append(name)
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for name in ["manifest.json", *members]:
                tar.add(work / name, arcname=name)
        partial.replace(target)
    return manifest


def restore(archive: Path, url: str, data_dir: Path, *, schema: str | None = None,
            force: bool = False) -> dict[str, Any]:
    """Replace the database and key file with the archive's (the server must be stopped).

    The replaced SQLite file and key file are kept beside them as ``*.before-restore-<time>``.
    """
    data_dir = Path(data_dir)
    if not force:
        _refuse_if_running(url, schema)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    with tempfile.TemporaryDirectory(prefix="jarvis-restore-") as tmp:
        work = Path(tmp)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(work, filter="data")
            manifest = json.loads((work / "manifest.json").read_text())
        except (OSError, tarfile.TarError, ValueError, KeyError) as err:
            raise BackupError(f"{archive} is not a Jarvis backup: {err}") from None
        if not (work / KEY_FILE).exists():
            raise BackupError(f"{archive} holds no key file")
        kind = "sqlite" if url.startswith("sqlite") else "postgresql"
        if manifest.get("database") != kind:
            raise BackupError(f"{archive} is a {manifest.get('database')} backup; this Jarvis "
                              f"uses {kind}")
        if kind == "sqlite":
            _restore_sqlite(work / SQLITE_MEMBER, Path(url.split("///", 1)[1]), stamp)
        else:
            uri, env = _libpq(url)
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                  "--single-transaction", f"--dbname={uri}", str(work / PG_MEMBER)], env)
        data_dir.mkdir(parents=True, exist_ok=True)
        for name in (KEY_FILE, NEXT_KEY_FILE):
            current = data_dir / name
            if current.exists():
                current.replace(data_dir / f"{name}.before-restore-{stamp}")
            if (work / name).exists():
                shutil.copy(work / name, current)
                current.chmod(0o600)
    return manifest


def _restore_sqlite(source: Path, target: Path, stamp: str) -> None:
    with sqlite3.connect(source) as conn:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if ok != "ok":
        raise BackupError(f"the backup's database is damaged: {ok}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        sqlite_copy(target, target.with_name(f"{target.name}.before-restore-{stamp}"))
    partial = target.with_name(target.name + ".restoring")
    shutil.copy(source, partial)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    partial.replace(target)


def _refuse_if_running(url: str, schema: str | None) -> None:
    """A server that beat its heart within the last minute is still running: refuse."""
    import asyncio

    from sqlalchemy import select

    from ..db import Database
    from ..models.instances import ServerInstance

    async def latest() -> datetime | None:
        db = Database(url, schema=schema)
        try:
            async with db.read() as conn:
                names = await conn.run_sync(lambda c: c.dialect.get_table_names(c))
                if ServerInstance.__tablename__ not in names:
                    return None
                t = table_of(ServerInstance)
                return (await conn.execute(
                    select(t.c.heartbeat_at).order_by(t.c.heartbeat_at.desc()).limit(1)
                )).scalar()
        except Exception:  # no database yet, or it cannot be read: nothing is running on it
            return None
        finally:
            await db.dispose()

    if url.startswith("sqlite") and not Path(url.split("///", 1)[1]).exists():
        return
    beat = asyncio.run(latest())
    if beat is not None and datetime.now(UTC).replace(tzinfo=None) - beat < LIVE_WITHIN:
        raise BackupError("a Jarvis server is running on this database: stop it first "
                          "(or pass --force if it died less than a minute ago)")
