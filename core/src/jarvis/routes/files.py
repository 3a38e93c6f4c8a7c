"""Per-user files: list, download (one file or a folder as zip), delete and upload."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from aiohttp import BodyPartReader, MultipartReader, web
from aiohttp.http_exceptions import HttpProcessingError
from pydantic import BaseModel, Field

from .. import paths
from ..errors import BadRequest, PayloadTooLarge
from ..keys import CONFIG, SETTINGS, UPLOAD_LIMIT
from ..services import files, user_folders
from ..services.config import storage_quota
from ..web import Access, Ok, Routes, current_user

routes = Routes("files")
log = logging.getLogger(__name__)

MULTIPART_OVERHEAD = 64 * 1024  # headers and boundaries around the file itself


class PathQuery(BaseModel):
    path: str = Field("/", max_length=4096, description="A folder below your own, e.g. /subdir")


class FileQuery(BaseModel):
    path: str = Field(max_length=4096, description="A path below your own folder")


class UploadForm(BaseModel):
    """The multipart/form-data fields: one or more file parts (any field name)."""

    file: list[bytes] = Field(min_length=1, description="the files, each with its file name")


class FileEntry(BaseModel):
    name: str
    type: Literal["file", "dir", "link", "other"]
    size: int


class Listing(BaseModel):
    path: str
    entries: list[FileEntry]


class SavedFile(BaseModel):
    name: str
    path: str
    size: int


class Uploaded(BaseModel):
    ok: bool = True
    files: list[SavedFile]


def _folder(request: web.Request) -> Path:
    return user_folders.ensure(request.app[SETTINGS], current_user(request).id)


def _quota(request: web.Request) -> paths.Quota:
    return paths.Quota(_folder(request), storage_quota(request.app[CONFIG]))


def _no_sniff(response: web.StreamResponse) -> None:
    # a user's file is never rendered as a page of this site
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "private, no-store"


async def _send(
    request: web.Request, response: web.StreamResponse, chunks: AsyncIterator[bytes]
) -> web.StreamResponse:
    """Stream ``chunks``; a client that goes away half-way is no error of ours (debug log)."""
    try:
        await response.prepare(request)
        async for chunk in chunks:
            await response.write(chunk)
        await response.write_eof()
    except ConnectionResetError:  # aiohttp's ClientConnectionResetError is one too
        log.debug("%s %s: the client left during the download", request.method, request.path)
    return response


@routes.get("/api/my/files", access=Access.USER, query=PathQuery, response=Listing,
            errors=(404,),
            summary="List a folder of your own files")
async def list_files(request: web.Request, query: PathQuery) -> Listing:
    return Listing.model_validate(await files.list_folder(_folder(request), query.path))


@routes.get("/api/my/files/download", access=Access.USER, query=FileQuery,
            errors=(404,),
            content_type="application/octet-stream", summary="Download one of your files")
async def download(request: web.Request, query: FileQuery) -> web.StreamResponse:
    f, size, name = await files.open_download(_folder(request), query.path)

    async def chunks() -> AsyncIterator[bytes]:
        left = size
        while left > 0 and (chunk := await asyncio.to_thread(f.read, min(files.CHUNK, left))):
            left -= len(chunk)
            yield chunk

    try:
        response = web.StreamResponse(headers={
            "Content-Type": "application/octet-stream",
            "Content-Disposition": files.content_disposition(name),
        })
        _no_sniff(response)
        response.content_length = size
        return await _send(request, response, chunks())
    finally:
        f.close()


@routes.get("/api/my/files/download-zip", access=Access.USER, query=PathQuery,
            errors=(404,),
            content_type="application/zip", summary="Download a folder of your files as zip")
async def download_zip(request: web.Request, query: PathQuery) -> web.StreamResponse:
    folder = _folder(request)
    relative = await files.check_folder(folder, query.path)
    name = PurePosixPath(relative).name or current_user(request).username
    response = web.StreamResponse(headers={
        "Content-Type": "application/zip",
        "Content-Disposition": files.content_disposition(f"{name}.zip"),
    })
    _no_sniff(response)
    pieces = files.zip_chunks(folder, relative)
    step: asyncio.Future[bytes | None] | None = None

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal step
        while True:
            step = asyncio.ensure_future(asyncio.to_thread(next, pieces, None))
            chunk = await asyncio.shield(step)
            if chunk is None:
                return
            if chunk:
                yield chunk

    try:
        return await _send(request, response, chunks())
    finally:
        if step is not None and not step.done():  # the client left while a piece was made
            with contextlib.suppress(Exception):
                await step
        await asyncio.to_thread(pieces.close)  # closes the files and folders it holds open


@routes.delete("/api/my/files", access=Access.USER, query=FileQuery, response=Ok,
               errors=(404,),
               summary="Delete one of your files or folders")
async def delete_file(request: web.Request, query: FileQuery) -> Ok:
    await files.delete(_folder(request), query.path)
    return Ok()


async def _next_part(reader: MultipartReader) -> Any:
    try:
        return await reader.next()
    except (ValueError, HttpProcessingError):
        raise BadRequest("body: malformed multipart/form-data") from None


async def _chunks(part: BodyPartReader) -> AsyncIterator[bytes]:
    try:
        while chunk := await part.read_chunk(files.CHUNK):
            yield chunk
    except (ValueError, HttpProcessingError):
        raise BadRequest("body: malformed multipart/form-data") from None


@routes.post("/api/my/files", access=Access.USER, query=PathQuery, upload=UploadForm,
             errors=(404,),
             response=Uploaded, status=201,
             summary="Upload files (multipart/form-data) into a folder of your own")
async def upload(request: web.Request, query: PathQuery) -> Uploaded:
    limit = request.app.get(UPLOAD_LIMIT, files.MAX_UPLOAD_BYTES)
    if not request.content_type.startswith("multipart/"):
        raise BadRequest("body: send the files as multipart/form-data")
    if request.content_length is not None and request.content_length > limit + MULTIPART_OVERHEAD:
        raise PayloadTooLarge(f"file: uploads are limited to {limit} bytes")
    quota = _quota(request)
    try:
        reader = await request.multipart()
    except (ValueError, AssertionError, HttpProcessingError):
        raise BadRequest("body: malformed multipart/form-data") from None
    saved = []
    while (part := await _next_part(reader)) is not None:
        if not isinstance(part, BodyPartReader) or part.filename is None:
            continue  # plain fields and nested parts carry no file
        saved.append(
            await files.save_upload(quota, query.path, part.filename, _chunks(part), limit)
        )
    if not saved:
        raise BadRequest("file: no file in the upload")
    return Uploaded(files=[SavedFile(**s) for s in saved])
