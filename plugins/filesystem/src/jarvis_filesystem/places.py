"""Where a path the agent names lies: the user's own folder or a whitelisted one.

``~/notes.txt`` and ``notes.txt`` are in the user's own folder; an absolute path must lie in
the user's folder or a whitelisted folder, compared component by component (``/data/docs2`` is
not in ``/data/docs``). Whatever the whitelist says, a path that resolves into the server's own
files (:meth:`jarvis.Settings.private_paths`: the data folder, the users' folders, the database)
is refused here, after links are resolved, and so is deleting a folder that holds them. The rest
of the checks are :mod:`jarvis.paths`'s, shared with the core.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from jarvis import Settings, ToolContext, paths

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
        if relative == "/":
            return str(self.root)
        return str(self.root).rstrip("/") + relative  # the root "/" gives "/etc", not "//etc"


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


@dataclass(frozen=True, slots=True)
class Fence:
    """What no whitelisted folder opens: the users' folders and the server's own files."""

    users: Path  # canonical
    private: tuple[Path, ...]  # canonical, the users' folder among them

    def refusal(self, target: Path, own: Path, *, holding: bool) -> str | None:
        """Why ``target`` (canonical) may not be touched, or None; ``holding``: refuse a folder
        that holds private files too (deleting it would delete them)."""
        if paths.below(Path(os.path.realpath(own)), target) is not None:
            return None
        if paths.below(self.users, target) is not None:
            return "is in another user's folder"
        for private in self.private:
            if paths.below(private, target) is not None:
                return "is part of the server's own data (no tool may reach it)"
            if holding and paths.below(target, private) is not None:
                return "holds the server's own data (no tool may remove it)"
        return None

    def entry_refusal(self, folder: Path) -> str | None:
        """Why ``folder`` (canonical) cannot be whitelisted, or None."""
        for private in self.private:
            if paths.below(folder, private) is not None:
                return (f"{folder} contains {private}, which holds the server's own data (the "
                        "data folder, the users' folders or the database); whitelist a folder "
                        "that does not contain it")
            if paths.below(private, folder) is not None:
                return (f"{folder} lies inside {private}, which holds the server's own data (the "
                        "data folder, the users' folders or the database); no tool may reach it")
        return None


def fence_of(settings: Settings) -> Fence:
    """The fence for these settings (canonical paths: this touches the disk)."""
    return Fence(Path(os.path.realpath(settings.resolved_users_folder)),
                 tuple(settings.private_paths()))


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


def find(path: str, own: Path, roots: list[Path], fence: Fence, op: str) -> Found:
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
        st, canonical = None, base.path.joinpath(*missing)
    if not where.own:
        why = fence.refusal(canonical, own, holding=op == "delete")
        if why:
            raise paths.UnsafePath(f"{path} {why}")
    label = where.shown(relative)
    if op in ("read", "write") and st is not None:
        paths.check_single_link(st, label)
    if op != "write" and st is None:
        raise paths.PathNotFound(f"{label} does not exist")
    return Found(where, relative, st, label)


async def roots_of(ctx: ToolContext) -> list[Path]:
    return await store.root_paths(ctx.db)


def fence(ctx: ToolContext) -> Fence:
    return fence_of(ctx.context.settings)
