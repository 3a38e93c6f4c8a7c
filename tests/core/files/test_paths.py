"""jarvis.paths: resolution below a root refuses every way out, and the file operations on it."""

from __future__ import annotations

import os

import pytest
from jarvis import paths

from .conftest import SECRET

# (path below alice's folder, why it must be refused)
TRAPS = [
    ("../bob/secret.txt", "parent folder"),
    ("docs/../../bob/secret.txt", "parent folder in the middle"),
    ("/../bob/secret.txt", "parent folder after the root"),
    ("docs/sub/../../../outside/secret.txt", "climbing out of a real folder"),
    ("out_file", "link to an outside file"),
    ("out_dir/secret.txt", "link to an outside folder"),
    ("to_bob/secret.txt", "relative link to another user's folder"),
    ("to_bob_abs/secret.txt", "absolute link to another user's folder"),
    ("sibling", "link to a sibling folder sharing the prefix"),
    ("climb/secret.txt", "link climbing out through a real folder"),
    ("loop", "link loop"),
    ("notes.txt\x00.png", "NUL byte"),
]


@pytest.mark.parametrize(("path", "why"), TRAPS)
def test_resolution_refuses_every_way_out(tree, path, why):
    with pytest.raises(paths.UnsafePath):
        paths.resolve(tree.alice, path)


@pytest.mark.parametrize(("path", "why"), TRAPS + [("hard", "hard link to an outside file")])
def test_reading_refuses_every_way_out(tree, path, why):
    with pytest.raises(paths.UnsafePath):
        paths.read_file(tree.alice, path, 1000)
    with pytest.raises(paths.UnsafePath):
        paths.open_file(tree.alice, path)


@pytest.mark.parametrize(("path", "why"), TRAPS + [("hard", "hard link to an outside file")])
def test_writing_refuses_every_way_out_and_leaves_the_target_alone(tree, path, why):
    with pytest.raises(paths.UnsafePath):
        paths.write_atomic(tree.alice, path, b"overwritten", make_parents=True)
    assert tree.secret.read_bytes() == SECRET
    assert (tree.bob / "secret.txt").read_bytes() == SECRET


@pytest.mark.parametrize("path", ["out_dir", "to_bob", "to_bob_abs", "../bob", "climb"])
def test_listing_refuses_folders_outside(tree, path):
    with pytest.raises(paths.UnsafePath):
        paths.list_dir(tree.alice, path)


@pytest.mark.parametrize("path", ["/docs/a.txt", "docs/a.txt", "docs//a.txt", "./docs/./a.txt",
                                  "inside"])
def test_paths_inside_resolve_to_their_canonical_form(tree, path):
    data, size, relative = paths.read_file(tree.alice, path, 1000)
    assert (data, size, relative) == (b"alpha", 5, "/docs/a.txt")


def test_a_link_inside_that_uses_dotdot_is_followed(tree):
    os.symlink("../notes.txt", tree.alice / "docs" / "up_notes")
    assert paths.read_file(tree.alice, "docs/up_notes", 100)[0] == b"my notes"


def test_missing_paths_and_wrong_kinds(tree):
    target = paths.resolve(tree.alice, "docs/new.txt")
    assert not target.exists and target.relative == "/docs/new.txt"
    with pytest.raises(paths.PathNotFound):
        paths.resolve(tree.alice, "nope/new.txt")
    with pytest.raises(paths.WrongKind):
        paths.resolve(tree.alice, "notes.txt/x")
    with pytest.raises(paths.WrongKind):
        paths.read_file(tree.alice, "docs", 10)
    with pytest.raises(paths.PathNotFound):
        paths.list_dir(tree.alice, "nope")


def test_root_relative_checks_compare_whole_components():
    assert paths.below("/data/docs", "/data/docs/x") == ["x"]
    assert paths.below("/data/docs", "/data/docs") == []
    assert paths.below("/data/docs", "/data/docs2/x") is None
    assert paths.below("/data/docs", "/data") is None


def test_listing_shows_kinds_and_sizes_folders_first(tree):
    relative, entries = paths.list_dir(tree.alice, "/")
    assert relative == "/"
    kinds = {e.name: (e.kind, e.size) for e in entries}
    assert kinds["docs"] == ("dir", 0)
    assert kinds["notes.txt"] == ("file", 8)
    assert kinds["out_file"] == ("link", 0)
    assert entries[0].name == "docs"


def test_writes_create_folders_and_replace_whole_files(tree):
    relative, size = paths.write_atomic(tree.alice, "new/deeper/file.txt", b"hello",
                                        make_parents=True)
    assert (relative, size) == ("/new/deeper/file.txt", 5)
    paths.write_atomic(tree.alice, "new/deeper/file.txt", [b"one ", b"two"])
    assert (tree.alice / "new" / "deeper" / "file.txt").read_bytes() == b"one two"
    with pytest.raises(paths.PathNotFound):
        paths.write_atomic(tree.alice, "missing/file.txt", b"x")
    leftovers = [p for p in tree.alice.rglob("*") if p.name.startswith(paths.ops.TEMP_PREFIX)]
    assert leftovers == []


def test_a_write_over_the_limit_keeps_the_old_content(tree):
    with pytest.raises(paths.TooLarge):
        paths.write_atomic(tree.alice, "notes.txt", [b"x" * 600, b"x" * 600], limit=1000)
    assert (tree.alice / "notes.txt").read_text() == "my notes"
    assert sorted(p.name for p in tree.alice.iterdir() if p.name.startswith(".")) == []


def test_deleting_a_link_removes_the_link_not_its_target(tree):
    for name in ("out_file", "out_dir", "to_bob"):
        assert paths.delete(tree.alice, name, recursive=True) == (f"/{name}", "link")
        assert not os.path.lexists(tree.alice / name)
    assert tree.secret.read_bytes() == SECRET
    assert (tree.bob / "secret.txt").read_bytes() == SECRET


def test_deleting_folders(tree):
    with pytest.raises(paths.WrongKind):
        paths.delete(tree.alice, "docs")
    assert paths.delete(tree.alice, "docs", recursive=True) == ("/docs", "dir")
    assert not (tree.alice / "docs").exists()
    with pytest.raises(paths.UnsafePath):
        paths.delete(tree.alice, "/", recursive=True)
    with pytest.raises(paths.PathNotFound):
        paths.delete(tree.alice, "docs")


def test_a_tree_walk_never_leaves_the_folder(tree):
    os.mkfifo(tree.alice / "docs" / "pipe")
    items = list(paths.walk_tree(tree.alice, "/"))
    names = [i.name for i in items]
    assert names == ["docs/", "docs/a.txt", "docs/sub/", "docs/sub/b.txt", "notes.txt"]
    assert all(i.file is not None for i in items if not i.name.endswith("/"))
