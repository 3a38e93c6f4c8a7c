"""Where a path the agent names lies: the user's own folder or a whitelisted one.

``~/notes.txt`` and ``notes.txt`` are in the user's own folder; an absolute path must lie in
the user's folder or a whitelisted folder, compared component by component (``/data/docs2`` is
not in ``/data/docs``). The rest of the checks are :mod:`jarvis.paths`'s, shared with the core.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from jarvis import SETTINGS, ToolContext, paths

from . import store


@dataclass(frozen=True, slots=True)
class Place:
    """A path split into the folder it lies in and the rest below that folder."""

    root: Path
    rest: str
    own: bool  # the user's own folder

    def shown(self, relative: str) -> str:
        """How the agent sees a path below this root."""
        if self.own:
            return "~" + ("" if relative == "/" else relative)
        return str(self.root) if relative == "/" else f"{self.root}{relative}"


def place(path: str, own: Path, roots: list[Path]) -> Place:
    """The folder ``path`` lies in; UnsafePath when it lies in none."""
    paths.split_path(path)  # NUL bytes and '..' are refused before anything else
    text = path.strip()
    if text == "~" or text.startswith("~/"):
        return Place(own, text[1:] or "/", True)
    if not text.startswith("/"):
        return Place(own, text, True)
    candidates = [(own, True)] + [(r, False) for r in roots]
    # the most specific folder first: a whitelisted folder inside another one wins
    candidates.sort(key=lambda c: len(c[0].parts), reverse=True)
    for root, is_own in candidates:
        for form in dict.fromkeys([root, Path(os.path.realpath(root))]):
            rest = paths.below(form, text)
            if rest is not None:
                return Place(root, "/" + "/".join(rest), is_own)
    raise paths.UnsafePath(f"{text} is outside your folder and the whitelisted folders")


def others_folder(target: Path, own: Path, users_base: Path) -> bool:
    """True when ``target`` lies in the users' area but not in this user's own folder."""
    base = Path(os.path.realpath(users_base))
    mine = Path(os.path.realpath(own))
    return paths.below(base, target) is not None and paths.below(mine, target) is None


@dataclass(frozen=True, slots=True)
class Found:
    """A placed and resolved path: its folder, its canonical path below it, its ``lstat``."""

    place: Place
    relative: str
    st: os.stat_result | None
    label: str  # the canonical path as the agent sees it

    @property
    def exists(self) -> bool:
        return self.st is not None


def _deepest(root: Path, rest: str) -> tuple[paths.Target, list[str]]:
    """The deepest folder of ``rest`` that exists, and the names still missing below it."""
    parts = paths.split_path(rest)
    for i in range(len(parts) - 1, -1, -1):
        try:
            target = paths.resolve(root, "/".join(parts[:i]))
        except paths.PathNotFound:
            continue
        if target.st is not None:
            return target, parts[i:]
    raise paths.PathNotFound("the folder does not exist")


def find(path: str, own: Path, roots: list[Path], users_base: Path, op: str) -> Found:
    """Place and resolve ``path`` for ``op`` (list, read, write, delete); PathError if not.

    For a write, missing folders on the way are fine (the write creates them), and the checks
    apply to the deepest folder that exists.
    """
    where = place(path, own, roots)
    try:
        target = paths.resolve(where.root, where.rest, follow_last=op != "delete")
        relative, st, canonical = target.relative, target.st, target.path
    except paths.PathNotFound:
        if op != "write":
            raise
        base, missing = _deepest(where.root, where.rest)
        relative = base.relative.rstrip("/") + "/" + "/".join(missing)
        st, canonical = None, base.path
    if not where.own and others_folder(canonical, own, users_base):
        raise paths.UnsafePath(f"{path} is in another user's folder")
    label = where.shown(relative)
    if op in ("read", "write") and st is not None:
        paths.check_single_link(st, label)
    if op != "write" and st is None:
        raise paths.PathNotFound(f"{label} does not exist")
    return Found(where, relative, st, label)


async def roots_of(ctx: ToolContext) -> list[Path]:
    return await store.root_paths(ctx.db)


def users_base(ctx: ToolContext) -> Path:
    return ctx.app[SETTINGS].resolved_users_folder
