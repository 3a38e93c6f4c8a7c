"""The filesystem whitelist (no aiohttp here: routes, policy and tools all call it)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jarvis import BadRequest, EntryList, NotFound, table_of
from sqlalchemy import delete

from .models import MAX_PATH, FilesystemRoot

if TYPE_CHECKING:
    from .places import Fence

roots_table = table_of(FilesystemRoot)


def absolute(raw: str, field: str = "path") -> str:
    """An absolute path with ``.`` and doubled slashes removed, or a 400 naming ``field``."""
    if "\x00" in raw:
        raise BadRequest(f"{field}: the path contains a NUL byte")
    text = raw.strip()
    if not text.startswith("/"):
        raise BadRequest(f"{field}: give an absolute path (starting with /)")
    return os.path.normpath(text).replace("//", "/", 1)


def canonical_folder(raw: str, fence: Fence) -> str:
    """The canonical form of an existing folder on the server that may be whitelisted (400
    when there is none, or when it contains or lies in the server's own files)."""
    real = os.path.realpath(absolute(raw))
    if len(real) > MAX_PATH:
        raise BadRequest(f"path: at most {MAX_PATH} characters")
    if not os.path.exists(real):
        raise BadRequest(f"path: {raw.strip()} does not exist on the server")
    if not os.path.isdir(real):
        raise BadRequest(f"path: {raw.strip()} is not a folder")
    refusal = fence.entry_refusal(Path(real))
    if refusal:
        raise BadRequest(f"path: {refusal}")
    return real


# The whitelisted folders, alphabetically (each in its canonical form).
ROOTS = EntryList(roots_table, "path", present="{} is already on the filesystem whitelist",
                  absent="{} is not on the filesystem whitelist")


async def root_paths(db: Any) -> list[Path]:
    """The whitelisted folders as paths."""
    return [Path(p) for p in await ROOTS.keys(db)]


async def remove_root(db: Any, raw: str) -> str:
    """Take a folder off the whitelist, as given or in its canonical form; returns it."""
    given = absolute(raw if raw.startswith("/") else "/" + raw)
    real = await asyncio.to_thread(os.path.realpath, given)  # may touch the disk
    forms = list(dict.fromkeys([given, real]))
    async with db.write() as conn:
        for form in forms:
            result = await conn.execute(delete(roots_table).where(roots_table.c.path == form))
            if result.rowcount:
                return form
    raise NotFound(f"{given} is not on the filesystem whitelist")
