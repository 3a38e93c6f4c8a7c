"""Files only the server's own account may read: folders 0700, files 0600, whatever the umask."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

DIR_MODE = 0o700
FILE_MODE = 0o600


def tighten(path: Path, mode: int) -> None:
    """Take group and other permissions off an existing file or folder (links left alone)."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode) or stat.S_IMODE(st.st_mode) == mode:
        return
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("%s was open to other local users; it is now %o", path, mode)
    os.chmod(path, mode)


def private_dir(path: Path) -> Path:
    """Create a folder (and its parents) if missing, and make it 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    tighten(path, DIR_MODE)
    return path


def private_file(path: Path) -> None:
    """Create an empty file if missing (never through a link), and make it 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, FILE_MODE)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def private_sqlite(path: Path) -> None:
    """A SQLite database and its WAL files 0600 (SQLite gives new -wal and -shm files the
    database's own mode), its folder 0700 when Jarvis creates it."""
    if not path.parent.exists():
        private_dir(path.parent)
    private_file(path)
    for suffix in ("-wal", "-shm", "-journal"):
        tighten(path.with_name(path.name + suffix), FILE_MODE)
