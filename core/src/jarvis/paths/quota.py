"""A storage quota on a folder, exact under parallel writes.

Every write that ends in the folder (an upload, a tool's write) goes through
:class:`~jarvis.paths.AtomicWriter` with the folder's :class:`Quota`. The content is written to
a temporary file first; the rename that makes it the file's happens while holding an exclusive
``flock`` on the folder, after counting what the folder holds at that moment (temporary files
of writes still in flight included, the replaced file's old content excluded). Commits are
therefore serialised per folder, across threads and processes of one machine, and the bytes
stored never exceed the quota. A write also stops early once it alone cannot fit.
"""

from __future__ import annotations

import fcntl
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .resolve import _DIR_FLAGS, PathError

MAX_DEPTH = 64


class QuotaExceeded(PathError):
    """The folder's quota has no room for this write."""


def _usage(fd: int, depth: int = 0) -> int:
    """Bytes of the regular files below an open folder (links and devices count nothing)."""
    total = 0
    items = []
    with os.scandir(fd) as found:
        for entry in found:
            try:
                items.append((entry.name, entry.stat(follow_symlinks=False)))
            except FileNotFoundError:
                continue  # gone meanwhile (a write's temporary file)
    for name, st in items:
        if stat.S_ISREG(st.st_mode):
            total += st.st_size
        elif stat.S_ISDIR(st.st_mode) and depth < MAX_DEPTH:
            try:
                child = os.open(name, _DIR_FLAGS, dir_fd=fd)
            except OSError:
                continue
            try:
                total += _usage(child, depth + 1)
            finally:
                os.close(child)
    return total


@dataclass(frozen=True, slots=True)
class Quota:
    """At most ``limit`` bytes in ``folder`` (None: no limit)."""

    folder: Path
    limit: int | None

    def used(self) -> int:
        """The bytes the folder holds now."""
        fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            return _usage(fd)
        finally:
            os.close(fd)

    def room(self) -> int | None:
        """A first estimate of the bytes still free (None: no limit), to stop big writes early;
        the exact check is :meth:`admit`'s."""
        if self.limit is None:
            return None
        return max(self.limit - self.used(), 0)

    @contextmanager
    def admit(self, freed: Callable[[], int] = lambda: 0) -> Iterator[None]:
        """Hold the folder's lock while the caller commits a change whose new content is
        already in the folder (a temporary file) and which then frees ``freed()`` bytes (the
        old content it replaces, measured under the lock); QuotaExceeded, before the block
        runs, when the folder would hold more than the limit."""
        if self.limit is None:
            yield
            return
        fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd closes
            used = _usage(fd) - freed()
            if used > self.limit:
                raise QuotaExceeded(self.message())
            yield
        finally:
            os.close(fd)

    def message(self) -> str:
        """Why a write does not fit, in words the user can act on."""
        return (f"this does not fit in your storage quota of {self.limit} bytes; delete files "
                "to make room or ask an admin for a bigger quota")
