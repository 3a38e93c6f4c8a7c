"""File operations on safely resolved paths: list, read, atomic write, delete, walk a tree."""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..private import FILE_MODE
from .quota import Quota, QuotaExceeded
from .resolve import (
    _DIR_FLAGS,
    PathError,
    PathNotFound,
    Target,
    UnsafePath,
    WrongKind,
    check_single_link,
    kind_of,
    locate,
)

_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # a FIFO must not hang
MAX_DEPTH = 64
TEMP_PREFIX = ".jarvis-"


class TooLarge(PathError):
    """More bytes than the caller allows."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a folder listing."""

    name: str
    kind: str  # dir | file | link | other
    size: int


def _printable(name: str) -> bool:
    # names that are not valid UTF-8 cannot travel in JSON or a zip archive
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _open_dir(t: Target) -> int:
    if t.name is None:
        return os.dup(t.dir_fd)
    return os.open(t.name, _DIR_FLAGS, dir_fd=t.dir_fd)


def _must_exist(t: Target) -> os.stat_result:
    if t.st is None:
        raise PathNotFound(f"{t.relative} does not exist")
    return t.st


def list_dir(root: Path | str, path: str) -> tuple[str, list[Entry]]:
    """The canonical path and the entries of a folder, folders first, then by name."""
    with locate(root, path) as t:
        if kind_of(_must_exist(t)) != "dir":
            raise WrongKind(f"{t.relative} is not a folder")
        fd = _open_dir(t)
        try:
            entries = []
            with os.scandir(fd) as found:
                for item in found:
                    if not _printable(item.name):
                        continue
                    st = item.stat(follow_symlinks=False)
                    kind = kind_of(st)
                    entries.append(Entry(item.name, kind, st.st_size if kind == "file" else 0))
        finally:
            os.close(fd)
    entries.sort(key=lambda e: (e.kind != "dir", e.name))
    return t.relative, entries


def _open_regular(name: str, dir_fd: int, shown: str) -> tuple[BinaryIO, os.stat_result]:
    fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
    try:
        st = os.fstat(fd)  # of what was opened: no swap between check and use
        if not stat.S_ISREG(st.st_mode):
            raise WrongKind(f"{shown} is not a regular file")
        check_single_link(st, shown)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb"), st


def open_file(root: Path | str, path: str) -> tuple[BinaryIO, os.stat_result, str]:
    """An open regular file below ``root``, its stat and its canonical path (caller closes)."""
    with locate(root, path) as t:
        st = _must_exist(t)
        if t.name is None or stat.S_ISDIR(st.st_mode):
            raise WrongKind(f"{t.relative} is a folder")
        try:
            f, fst = _open_regular(t.name, t.dir_fd, t.relative)
        except OSError as err:
            raise UnsafePath(f"{t.relative} cannot be opened: {err.strerror or err}") from None
        return f, fst, t.relative


def read_file(root: Path | str, path: str, limit: int) -> tuple[bytes, int, str]:
    """At most ``limit`` bytes of a regular file, its full size and its canonical path."""
    f, st, relative = open_file(root, path)
    with f:
        return f.read(limit), st.st_size, relative


class AtomicWriter:
    """Write a file through a temporary file in the same folder, fsync it, then rename it over
    the target: a crash leaves the old content or the new, never a mix.

    ``with AtomicWriter(root, path) as w: w.write(b"..."); w.commit()``; leaving the block
    without ``commit()`` removes the temporary file.
    """

    def __init__(self, root: Path | str, path: str, *, limit: int | None = None,
                 make_parents: bool = False, quota: Quota | None = None):
        self.limit = limit
        self.size = 0
        self.quota = quota
        self._done = False
        self._stack = ExitStack()
        try:
            t = self._stack.enter_context(locate(root, path, make_parents=make_parents))
            self.target = t
            if t.name is None or (t.st is not None and stat.S_ISDIR(t.st.st_mode)):
                raise WrongKind(f"{t.relative} is a folder")
            self._name: str = t.name
            if t.st is not None:
                if not stat.S_ISREG(t.st.st_mode):
                    raise WrongKind(f"{t.relative} is not a regular file")
                check_single_link(t.st, t.relative)
            room = quota.room() if quota is not None else None
            # the file's old content makes room too; the exact check is at commit
            self._room = None if room is None else room + (t.st.st_size if t.st else 0)
            self._temp = f"{TEMP_PREFIX}{secrets.token_hex(8)}.tmp"
            fd = os.open(self._temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                         | os.O_CLOEXEC, FILE_MODE, dir_fd=t.dir_fd)
            self._file = os.fdopen(fd, "wb")
            # a new file is the owner's alone whatever the umask; a replaced one keeps its mode
            os.fchmod(fd, stat.S_IMODE(t.st.st_mode) if t.st is not None else FILE_MODE)
        except OSError as err:
            self._stack.close()
            raise UnsafePath(f"cannot write there: {err.strerror or err}") from None
        except BaseException:
            self._stack.close()
            raise

    @property
    def relative(self) -> str:
        return self.target.relative

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.limit is not None and self.size > self.limit:
            raise TooLarge(f"more than {self.limit} bytes")
        if self._room is not None and self.size > self._room:
            raise QuotaExceeded(self.quota.message() if self.quota else "over the quota")
        self._file.write(chunk)

    def _replaced_size(self) -> int:
        """The size of what the commit replaces, now (0 when nothing is there)."""
        try:
            st = os.stat(self._name, dir_fd=self.target.dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            return 0
        return st.st_size if stat.S_ISREG(st.st_mode) else 0

    def commit(self) -> int:
        """Make the new content the file's; returns its size. QuotaExceeded when the folder's
        quota has no room for it once every other write so far is counted."""
        t = self.target
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        if self.quota is None:
            os.replace(self._temp, self._name, src_dir_fd=t.dir_fd, dst_dir_fd=t.dir_fd)
        else:
            with self.quota.admit(self._replaced_size):
                os.replace(self._temp, self._name, src_dir_fd=t.dir_fd, dst_dir_fd=t.dir_fd)
        self._done = True
        os.fsync(t.dir_fd)  # the rename itself must reach the disk too
        self._stack.close()
        return self.size

    def abort(self) -> None:
        if self._done:
            return
        self._done = True
        self._file.close()  # closing twice (after a refused commit) is harmless
        with suppress(FileNotFoundError):
            os.unlink(self._temp, dir_fd=self.target.dir_fd)
        self._stack.close()

    def __enter__(self) -> AtomicWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.abort()


def write_atomic(root: Path | str, path: str, data: bytes | Iterable[bytes], *,
                 limit: int | None = None, make_parents: bool = False,
                 quota: Quota | None = None) -> tuple[str, int]:
    """Write ``data`` atomically; returns the canonical path and the size written."""
    with AtomicWriter(root, path, limit=limit, make_parents=make_parents, quota=quota) as w:
        for chunk in [data] if isinstance(data, bytes) else data:
            w.write(chunk)
        return w.relative, w.commit()


def delete(root: Path | str, path: str, *, recursive: bool = False) -> tuple[str, str]:
    """Remove a file, a link (never what it points to) or a folder; returns path and kind."""
    with locate(root, path, follow_last=False) as t:
        kind = kind_of(_must_exist(t))
        if t.name is None:
            raise UnsafePath("the folder itself cannot be deleted")
        try:
            if kind != "dir":
                os.unlink(t.name, dir_fd=t.dir_fd)
            elif recursive:
                shutil.rmtree(t.name, dir_fd=t.dir_fd)  # descriptor-based: links are not followed
            else:
                os.rmdir(t.name, dir_fd=t.dir_fd)
        except OSError as err:
            if kind == "dir" and not recursive and err.errno == errno.ENOTEMPTY:
                raise WrongKind(f"{t.relative} is not empty") from None
            raise UnsafePath(f"{t.relative} cannot be deleted: {err.strerror or err}") from None
        return t.relative, kind


@dataclass(frozen=True, slots=True)
class TreeItem:
    """A folder (``file`` None, ``name`` ends with /) or an open regular file of a walk."""

    name: str
    st: os.stat_result
    file: BinaryIO | None


def walk_tree(root: Path | str, path: str) -> Iterator[TreeItem]:
    """Every folder and regular file below a folder, names relative to it. Links, devices,
    pipes and files with other hard links are skipped: nothing outside can come along."""
    with locate(root, path) as t:
        if kind_of(_must_exist(t)) != "dir":
            raise WrongKind(f"{t.relative} is not a folder")
        fd = _open_dir(t)
    yield from _walk(fd, "", 0)


def _walk(fd: int, prefix: str, depth: int) -> Iterator[TreeItem]:
    try:
        with os.scandir(fd) as found:
            items = sorted(((e.name, e.stat(follow_symlinks=False)) for e in found
                            if _printable(e.name)), key=lambda x: x[0])
        for name, st in items:
            if stat.S_ISDIR(st.st_mode) and depth < MAX_DEPTH:
                try:
                    child = os.open(name, _DIR_FLAGS, dir_fd=fd)
                except OSError:
                    continue
                yield TreeItem(f"{prefix}{name}/", st, None)
                yield from _walk(child, f"{prefix}{name}/", depth + 1)
            elif stat.S_ISREG(st.st_mode) and st.st_nlink == 1:
                try:
                    f, fst = _open_regular(name, fd, prefix + name)
                except (OSError, PathError):
                    continue
                with f:
                    yield TreeItem(prefix + name, fst, f)
    finally:
        os.close(fd)
