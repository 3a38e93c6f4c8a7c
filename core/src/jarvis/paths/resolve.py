"""Resolving a path under a root.

A path is resolved one component at a time from an open descriptor of the root: ``..`` and NUL
bytes are refused, a symbolic link is followed only while its target stays inside the root, and
every directory and file is opened relative to its parent's descriptor with ``O_NOFOLLOW``, so
swapping a component for a link half-way cannot lead out either.
"""

from __future__ import annotations

import os
import stat
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from ..private import DIR_MODE

MAX_SYMLINKS = 40  # as the kernel: more hops than this is a loop
MAX_PATH = 4096
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class PathError(Exception):
    """A path cannot be used; the message says why in words a user understands."""


class UnsafePath(PathError):
    """A path that would leave its root or touch something it must not (refused)."""


class PathNotFound(PathError):
    """Nothing exists at the path."""


class WrongKind(PathError):
    """A file where a folder was expected, or the other way round."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where a path leads: the open folder holding it, its name there and its ``lstat``.

    ``name`` is None when the path is that folder itself (the root, say); ``st`` is None when
    nothing exists there yet.
    """

    root: Path
    dir_fd: int
    name: str | None
    parts: tuple[str, ...]
    st: os.stat_result | None

    @property
    def path(self) -> Path:
        """The canonical absolute path."""
        return self.root.joinpath(*self.parts)

    @property
    def relative(self) -> str:
        """The canonical path below the root, as ``/a/b`` (``/`` for the root)."""
        return "/" + "/".join(self.parts)

    @property
    def exists(self) -> bool:
        return self.st is not None

    @property
    def kind(self) -> str:
        return kind_of(self.st) if self.st is not None else "missing"


def kind_of(st: os.stat_result) -> str:
    """``dir``, ``file``, ``link`` or ``other`` (devices, sockets, pipes)."""
    if stat.S_ISDIR(st.st_mode):
        return "dir"
    if stat.S_ISREG(st.st_mode):
        return "file"
    if stat.S_ISLNK(st.st_mode):
        return "link"
    return "other"


def split_path(path: str) -> list[str]:
    """The components of a path given below a root (``/a/b``, ``a/b``; empty or ``/`` is the
    root itself); ``..`` and NUL bytes are refused, never interpreted."""
    if "\x00" in path:
        raise UnsafePath("the path contains a NUL byte")
    if len(path) > MAX_PATH:
        raise UnsafePath(f"the path is longer than {MAX_PATH} characters")
    parts = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            raise UnsafePath("the path may not contain '..'")
        parts.append(part)
    return parts


def below(root: Path | str, path: Path | str) -> list[str] | None:
    """The components of absolute ``path`` below ``root`` compared whole (so ``/data/docs2``
    is not below ``/data/docs``), or None when it is not below it."""
    root_parts = PurePosixPath(root).parts
    parts = PurePosixPath(path).parts
    if parts[: len(root_parts)] != root_parts:
        return None
    return list(parts[len(root_parts):])


class _Walk:
    """Open descriptors from the root down to the current folder."""

    def __init__(self, root: Path):
        self.given = Path(os.path.abspath(root))
        self.root = Path(os.path.realpath(root))
        try:
            self.fds = [os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)]
        except FileNotFoundError:
            raise PathNotFound("the folder does not exist") from None
        except OSError as err:
            raise PathNotFound(f"the folder cannot be opened: {err.strerror or err}") from None
        self.names: list[str] = []

    @property
    def fd(self) -> int:
        return self.fds[-1]

    def push(self, name: str) -> None:
        self.fds.append(os.open(name, _DIR_FLAGS, dir_fd=self.fd))
        self.names.append(name)

    def pop(self) -> None:
        if not self.names:
            raise UnsafePath("the path leads outside its folder")
        os.close(self.fds.pop())
        self.names.pop()

    def reset(self) -> None:
        while self.names:
            self.pop()

    def close(self) -> None:
        for fd in self.fds:
            os.close(fd)
        self.fds = []

    def link_target(self, name: str) -> list[str]:
        """The components a symbolic link stands for, relative to the current folder."""
        target = os.readlink(name, dir_fd=self.fd)
        if not target.startswith("/"):
            return target.split("/")
        inside = below(self.root, target)
        if inside is None:
            inside = below(self.given, target)
        if inside is None:
            raise UnsafePath(f"{self.shown(name)} is a link that leads outside its folder")
        self.reset()
        return inside

    def shown(self, name: str) -> str:
        return "/" + "/".join([*self.names, name])


def _resolve(walk: _Walk, parts: list[str], make_parents: bool, follow_last: bool) -> Target:
    pending = deque(parts)
    hops = 0
    while pending:
        name = pending.popleft()
        if name in ("", "."):
            continue
        if name == "..":  # only ever from a link's target: a path itself may not hold it
            walk.pop()
            continue
        try:
            st = os.stat(name, dir_fd=walk.fd, follow_symlinks=False)
        except FileNotFoundError:
            if not pending:
                return Target(walk.root, walk.fd, name, (*walk.names, name), None)
            if not make_parents:
                raise PathNotFound(f"{walk.shown(name)} does not exist") from None
            os.mkdir(name, DIR_MODE, dir_fd=walk.fd)
            walk.push(name)
            os.fchmod(walk.fd, DIR_MODE)  # whatever the umask
            continue
        if stat.S_ISLNK(st.st_mode) and (pending or follow_last):
            hops += 1
            if hops > MAX_SYMLINKS:
                raise UnsafePath("too many levels of symbolic links")
            pending.extendleft(reversed(walk.link_target(name)))
            continue
        if not pending:
            return Target(walk.root, walk.fd, name, (*walk.names, name), st)
        if not stat.S_ISDIR(st.st_mode):
            raise WrongKind(f"{walk.shown(name)} is not a folder")
        walk.push(name)
    return Target(walk.root, walk.fd, None, tuple(walk.names), os.fstat(walk.fd))


@contextmanager
def locate(
    root: Path | str, path: str, *, make_parents: bool = False, follow_last: bool = True
) -> Iterator[Target]:
    """Resolve ``path`` below ``root``; the Target's descriptors live until the block ends.

    ``make_parents`` creates missing folders on the way; ``follow_last=False`` leaves a link
    at the end unresolved (to delete the link itself).

    Raises UnsafePath (refused), PathNotFound (the root or a folder on the way is missing) or
    WrongKind (a file on the way).
    """
    parts = split_path(path)
    walk = _Walk(Path(root))
    try:
        try:
            target = _resolve(walk, parts, make_parents, follow_last)
        except OSError as err:  # a component swapped mid-way (ELOOP, ENOTDIR), a long name
            raise UnsafePath(f"the path cannot be used: {err.strerror or err}") from None
        yield target
    finally:
        walk.close()


def resolve(root: Path | str, path: str, *, follow_last: bool = True) -> Target:
    """Where ``path`` leads below ``root``, for decisions: the result holds no open folder."""
    with locate(root, path, follow_last=follow_last) as target:
        return replace(target, dir_fd=-1)


def check_single_link(st: os.stat_result, shown: str) -> None:
    """Refuse a regular file with more than one hard link: its other name may be anywhere."""
    if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
        raise UnsafePath(f"{shown} has other hard links; it cannot be read or written here")
