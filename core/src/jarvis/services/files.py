"""Each user's own folder (``{users folder}/{user id}``): list, download, zip, delete, upload.

Every path goes through :mod:`jarvis.paths`, the same resolution the filesystem plugin uses.
Disk work runs in worker threads so the event loop never waits on it.
"""

from __future__ import annotations

import asyncio
import re
import stat
import time
import zipfile
from collections.abc import AsyncIterator, Generator, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO
from urllib.parse import quote

from .. import paths
from ..errors import BadRequest, NotFound, PayloadTooLarge

MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # per file; the route may be given a smaller cap
CHUNK = 64 * 1024


@contextmanager
def path_errors(field: str = "path") -> Iterator[None]:
    """Turn a path problem into the API's error: 404 missing, 413 too large, else 400."""
    try:
        yield
    except paths.PathNotFound as err:
        raise NotFound(f"{field}: {err}") from None
    except paths.QuotaExceeded as err:
        raise PayloadTooLarge(f"file: {err}") from None
    except paths.TooLarge as err:
        raise PayloadTooLarge(f"{field}: {err}") from None
    except paths.PathError as err:
        raise BadRequest(f"{field}: {err}") from None


async def list_folder(folder: Path, path: str) -> dict[str, Any]:
    """``{"path", "entries": [{"name", "type", "size"}]}`` of one folder."""
    with path_errors():
        relative, entries = await asyncio.to_thread(paths.list_dir, folder, path)
    return {"path": relative,
            "entries": [{"name": e.name, "type": e.kind, "size": e.size} for e in entries]}


async def open_download(folder: Path, path: str) -> tuple[BinaryIO, int, str]:
    """An open file to send, its size and its name (the caller closes it)."""
    with path_errors():
        f, st, relative = await asyncio.to_thread(paths.open_file, folder, path)
    return f, st.st_size, PurePosixPath(relative).name


async def check_folder(folder: Path, path: str) -> str:
    """The canonical path of an existing folder (404 or 400 otherwise)."""
    with path_errors():
        target = await asyncio.to_thread(paths.resolve, folder, path)
        if not target.exists:
            raise paths.PathNotFound(f"{target.relative} does not exist")
        if target.kind != "dir":
            raise paths.WrongKind(f"{target.relative} is not a folder")
    return target.relative


async def delete(folder: Path, path: str) -> None:
    """Remove a file, a link (not what it points to) or a folder with what it holds."""
    with path_errors():
        await asyncio.to_thread(paths.delete, folder, path, recursive=True)


def upload_name(filename: str | None) -> str:
    """The name an uploaded file is stored under: its last component, nothing else."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    if not name or name in (".", "..") or "\x00" in name or len(name.encode()) > 255:
        raise BadRequest("file: the upload needs a file name")
    return name


async def save_upload(
    quota: paths.Quota, path: str, filename: str | None, chunks: AsyncIterator[bytes], limit: int
) -> dict[str, Any]:
    """Store one uploaded file in folder ``path`` of the quota's folder (created if missing),
    atomically, counted against the quota."""
    target = path.rstrip("/") + "/" + upload_name(filename)
    with path_errors():
        writer = await asyncio.to_thread(
            paths.AtomicWriter, quota.folder, target, limit=limit, make_parents=True, quota=quota
        )
        try:
            async for chunk in chunks:
                await asyncio.to_thread(writer.write, chunk)
            size = await asyncio.to_thread(writer.commit)
        finally:
            await asyncio.to_thread(writer.abort)  # nothing to undo after a commit
    return {"name": PurePosixPath(writer.relative).name, "path": writer.relative, "size": size}


def content_disposition(filename: str) -> str:
    """An ``attachment`` header value (RFC 6266) with a plain ASCII fallback and the exact
    name percent-encoded as ``filename*`` (RFC 5987): no quote, CR or LF gets through."""
    fallback = "".join(
        c if 0x20 <= ord(c) < 0x7F and c not in '"\\;' else "_" for c in filename
    ).strip() or "download"
    exact = quote(filename, safe="", errors="replace")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{exact}"


class _Sink:
    """A write-only stream the zip writer fills and the response drains."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def _date_time(mtime: float) -> tuple[int, int, int, int, int, int]:
    # a zip entry cannot predate 1980
    return max(time.gmtime(mtime)[:6], (1980, 1, 1, 0, 0, 0))


# What an unzipper on another system reads as a separator, a drive or a stream (C:, a\..\b,
# x:stream), or refuses outright; a name on this disk may hold any of them.
_NOT_IN_ZIP = re.compile(r'[\\:<>"|?*\x00-\x1f\x7f]')


class ZipNames:
    """Entry names for a zip archive: safe relative POSIX names, one per item, unique.

    Each part of a name has backslashes, colons and the characters Windows refuses replaced by
    ``_``, and trailing dots and spaces (which Windows drops) too; a name that then collides
    with an earlier one gets ``~2``, ``~3``... before its extension. Folders come before what
    they hold (as :func:`jarvis.paths.walk_tree` yields them), and their contents follow them.
    """

    def __init__(self) -> None:
        self.folders: dict[str, str] = {"": ""}  # the tree's name -> its name in the archive
        self.taken: set[str] = set()

    def __call__(self, name: str) -> str:
        is_dir = name.endswith("/")
        parent, _, leaf = name.rstrip("/").rpartition("/")
        prefix = self.folders[parent + "/" if parent else ""]
        safe = _NOT_IN_ZIP.sub("_", leaf).rstrip(". ") or "_"
        stem, dot, ext = safe.rpartition(".") if not is_dir and "." in safe[1:] else (safe, "", "")
        candidate, n = prefix + safe, 1
        while candidate.casefold() in self.taken:  # a.txt and A.TXT are one file elsewhere
            n += 1
            candidate = f"{prefix}{stem}~{n}{dot}{ext}"
        self.taken.add(candidate.casefold())
        if is_dir:
            candidate += "/"
            self.folders[name] = candidate
        return candidate


def zip_chunks(folder: Path, path: str) -> Generator[bytes]:
    """The zip archive of a folder, in pieces as it is written (call from a worker thread).

    Only folders and regular files below it go in (see :func:`jarvis.paths.walk_tree`).
    """
    sink = _Sink()
    names = ZipNames()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for item in paths.walk_tree(folder, path):
            info = zipfile.ZipInfo(names(item.name), _date_time(item.st.st_mtime))
            mode = stat.S_IMODE(item.st.st_mode)
            if item.file is None:
                info.external_attr = ((stat.S_IFDIR | mode) << 16) | 0x10
                zf.writestr(info, b"")
                continue
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            big = item.st.st_size >= zipfile.ZIP64_LIMIT
            with zf.open(info, "w", force_zip64=big) as out:
                while chunk := item.file.read(CHUNK):
                    out.write(chunk)
                    if sum(len(p) for p in sink.parts) >= CHUNK:
                        yield sink.take()
            yield sink.take()
    yield sink.take()
