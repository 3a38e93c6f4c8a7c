"""The filesystem whitelist and the folder browser admins use to choose its folders."""

from __future__ import annotations

import asyncio
import os
from typing import Literal

from aiohttp import web
from jarvis import Access, BadRequest, NotFound, PluginContext, Routes, entry_routes
from pydantic import BaseModel, Field

from . import store
from .places import fence_of

routes = Routes("filesystem")


class RootIn(BaseModel):
    path: str = Field(min_length=1, max_length=4096, examples=["/data/documents"],
                      json_schema_extra={"pattern": "^/"})
    note: str = Field("", max_length=500)


class RootOut(BaseModel):
    path: str
    note: str
    created_at: str | None


class BrowseQuery(BaseModel):
    path: str = Field("/", max_length=4096, description="An absolute folder on the server",
                      json_schema_extra={"pattern": "^/"})


class FolderEntry(BaseModel):
    name: str
    type: Literal["dir"]


class Browse(BaseModel):
    path: str
    entries: list[FolderEntry]


async def _to_add(context: PluginContext, raw: str) -> str:
    fence = fence_of(context.settings)
    return await asyncio.to_thread(store.canonical_folder, raw, fence)


async def _remove(context: PluginContext, raw: str, user_id: str | None) -> str:
    return await store.remove_root(context.db, raw)


entry_routes(
    routes, "/api/filesystem-whitelist", store.ROOTS, access=Access.ADMIN, body=RootIn,
    response=RootOut, to_add=_to_add, remove=_remove, param="{path:.+}",
    added=("filesystem_whitelist_added", "{key} added to the filesystem whitelist"),
    removed=("filesystem_whitelist_removed", "{key} removed from the filesystem whitelist"),
    summaries=("Folders the agent may work in (besides each user's own)",
               "Whitelist a folder that exists on the server",
               "Take a folder off the whitelist (the path URL-encoded)"))


def _folders(path: str) -> Browse:
    real = os.path.realpath(store.absolute(path))
    if not os.path.exists(real):
        raise NotFound(f"path: {path} does not exist")
    if not os.path.isdir(real):
        raise BadRequest(f"path: {path} is not a folder")
    try:
        with os.scandir(real) as found:
            names = sorted(e.name for e in found if _is_folder(e))
    except OSError as err:
        raise BadRequest(f"path: {path} cannot be read ({err.strerror})") from None
    return Browse(path=real, entries=[FolderEntry(name=n, type="dir") for n in names])


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        entry.name.encode("utf-8")
        return entry.is_dir()
    except (OSError, UnicodeEncodeError):
        return False


@routes.get("/api/filesystem-browser", access=Access.ADMIN, query=BrowseQuery, response=Browse,
            summary="The folders in a folder of the server, to choose whitelist entries")
async def browse(request: web.Request, query: BrowseQuery) -> Browse:
    return await asyncio.to_thread(_folders, query.path)
