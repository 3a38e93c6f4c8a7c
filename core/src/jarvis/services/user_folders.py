"""Each user's own folder: ``{users folder}/{user id}``, an id never given to anyone else.

Folders were once named after the user; at start-up :func:`migrate` renames each such folder
to its owner's id, once. A name folder that may not be its namesake's (no user has the name, or
the audit log shows a user of that name was deleted before the current one was created) is
moved to the archive in the data folder instead, where no tool reaches. Deleting a user removes
their folder.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..db import Database
from ..models.audit import AuditEntry
from ..models.tables import table_of
from ..models.users import User
from ..private import private_dir
from ..settings import Settings
from ..timeutil import utcnow

log = logging.getLogger(__name__)

ARCHIVE = "archived-user-folders"  # in the data folder, out of every tool's reach


def folder_path(settings: Settings, user_id: str) -> Path:
    """Where a user's folder is (it may not exist yet)."""
    if not user_id or "/" in user_id or user_id in (".", ".."):
        raise ValueError(f"{user_id!r} cannot name a folder")
    return settings.resolved_users_folder / user_id


def ensure(settings: Settings, user_id: str) -> Path:
    """The user's folder, created 0700 on first use."""
    return private_dir(folder_path(settings, user_id))


def remove(settings: Settings, user_id: str) -> None:
    """Delete a (deleted) user's folder and everything in it; links are not followed."""
    folder = folder_path(settings, user_id)
    try:
        shutil.rmtree(folder)
    except FileNotFoundError:
        return
    except OSError:
        log.exception("could not remove the folder of deleted user %s", user_id)


@dataclass(frozen=True, slots=True)
class _Account:
    id: str
    username: str
    created_at: datetime


async def migrate(db: Database, settings: Settings) -> None:
    """Rename the folders named after users to their ids (see the module's doc)."""
    base = settings.resolved_users_folder
    names = await asyncio.to_thread(_folder_names, base)
    if not names:
        return
    async with db.read() as conn:
        users = table_of(User)
        rows = (await conn.execute(select(users.c.id, users.c.username, users.c.created_at)))
        accounts = [_Account(*row) for row in rows]
        ids = {a.id for a in accounts}
        leftovers = [n for n in names if n not in ids]
        if not leftovers:
            return
        deleted = await _deletions(conn)
    by_name = {a.username: a for a in accounts}
    moves: list[tuple[Path, Path | None]] = []
    for name in leftovers:
        owner = by_name.get(name)
        gone = deleted.get(name)
        # a deletion of the name before its current owner was created: the folder may be the
        # deleted user's, so it goes to the archive rather than to the namesake
        heir = owner is not None and (gone is None or gone > owner.created_at)
        moves.append((base / name, base / owner.id if heir and owner else None))
    await asyncio.to_thread(_apply, moves, settings.data_dir / ARCHIVE)


def _folder_names(base: Path) -> list[str]:
    try:
        with os.scandir(base) as found:
            return [e.name for e in found if e.is_dir(follow_symlinks=False)]
    except FileNotFoundError:
        return []


async def _deletions(conn: Any) -> dict[str, datetime]:
    """The latest deletion time of each deleted user name, from the audit log."""
    audit = table_of(AuditEntry)
    rows = await conn.execute(select(audit.c.created_at, audit.c.detail).where(
        audit.c.action == "user_deleted"))
    found: dict[str, datetime] = {}
    for created_at, detail in rows:
        try:
            name = json.loads(detail).get("target")
        except (ValueError, AttributeError):
            continue
        if isinstance(name, str) and (name not in found or found[name] < created_at):
            found[name] = created_at
    return found


def _apply(moves: list[tuple[Path, Path | None]], archive: Path) -> None:
    """Rename each folder to its heir's, or archive it (no heir, or the heir's is taken)."""
    for source, target in moves:
        try:
            if target is not None and not target.exists():
                os.rename(source, target)
                log.info("user folder %s is now %s", source.name, target.name)
                continue
            private_dir(archive)
            stamp = utcnow().strftime("%Y%m%dT%H%M%S")
            os.rename(source, archive / f"{source.name}-{stamp}")
            log.warning("user folder %s may belong to no current user; archived in %s",
                        source.name, archive)
        except FileNotFoundError:
            pass  # another process moved it first
        except OSError:
            log.exception("could not move the user folder %s", source)
