"""The filesystem whitelist and the folder browser admins use to choose its folders."""

from __future__ import annotations

import asyncio
import os
from typing import Literal

from aiohttp import web
from jarvis import (
    Access,
    BadRequest,
    NotFound,
    Ok,
    Routes,
    audit_action,
    plugin_context,
)
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


@routes.get("/api/filesystem-whitelist", access=Access.ADMIN, response=list[RootOut],
            summary="Folders the agent may work in (besides each user's own)")
async def list_roots(request: web.Request) -> list[RootOut]:
    return [RootOut(**row) for row in await store.ROOTS.rows(plugin_context(request).db)]


@routes.post("/api/filesystem-whitelist", access=Access.ADMIN, body=RootIn, response=Ok,
             status=201, errors=(409,), summary="Whitelist a folder that exists on the server")
async def add_root(request: web.Request, body: RootIn) -> Ok:
    settings = plugin_context(request).settings
    path = await asyncio.to_thread(
        lambda: store.canonical_folder(body.path, fence_of(settings)))
    await store.add_root(plugin_context(request).db, path, body.note)
    await audit_action(request, "filesystem_whitelist_added",
                       f"{path} added to the filesystem whitelist", path=path)
    return Ok()


@routes.delete("/api/filesystem-whitelist/{path:.+}", access=Access.ADMIN, response=Ok,
               summary="Take a folder off the whitelist (the path URL-encoded)")
async def remove_root(request: web.Request) -> Ok:
    path = await store.remove_root(plugin_context(request).db, request.match_info["path"])
    await audit_action(request, "filesystem_whitelist_removed",
                       f"{path} removed from the filesystem whitelist", path=path)
    return Ok()


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
