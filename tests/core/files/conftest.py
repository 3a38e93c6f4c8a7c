"""Fixtures for the per-user files tests: a tree with every kind of trap in it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jarvis.keys import SETTINGS
from jarvis.services import user_folders
from jarvis.testing.plugins import cheap_vault_keys

SECRET = b"TOP SECRET: do not leak"


@pytest.fixture
def jarvis_settings() -> dict[str, Any]:
    return {"disable_plugins": ["anthropic", "litellm"]}


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch):
    """Cheaper key derivation for the vault's key: start-up speed, not what is tested here."""
    cheap_vault_keys(monkeypatch)


@dataclass
class Tree:
    """alice's folder next to bob's, a sibling ``alice2`` and an outside folder, with links."""

    users: Path
    alice: Path
    bob: Path
    outside: Path

    @property
    def secret(self) -> Path:
        return self.outside / "secret.txt"


def plant(users: Path, outside: Path, alice: str = "alice", bob: str = "bob") -> Tree:
    """Fill ``users/alice`` with ordinary files and every trap that must not lead out."""
    tree = Tree(users, users / alice, users / bob, outside)
    for folder in (tree.alice / "docs" / "sub", tree.bob, users / f"{alice}2", outside):
        folder.mkdir(parents=True, exist_ok=True)
    (tree.alice / "docs" / "a.txt").write_text("alpha")
    (tree.alice / "docs" / "sub" / "b.txt").write_text("beta")
    (tree.alice / "notes.txt").write_text("my notes")
    (tree.bob / "secret.txt").write_bytes(SECRET)
    (users / f"{alice}2" / "x.txt").write_bytes(SECRET)
    tree.secret.write_bytes(SECRET)
    links = {
        "out_file": tree.secret,                      # absolute link to an outside file
        "out_dir": outside,                           # absolute link to an outside folder
        "to_bob": Path("..") / bob,                   # relative link to another user's folder
        "to_bob_abs": tree.bob,                       # absolute link to another user's folder
        "sibling": users / f"{alice}2" / "x.txt",     # /users/alice2 starts like /users/alice
        "climb": Path("docs") / ".." / ".." / bob,    # climbs out through a real folder
        "loop": Path("loop"),                         # a link to itself
        "inside": Path("docs") / "a.txt",             # a link that stays inside: fine
    }
    for name, target in links.items():
        os.symlink(target, tree.alice / name)
    os.link(tree.secret, tree.alice / "hard")         # a second name of the outside file
    return tree


@pytest.fixture
def tree(tmp_path) -> Tree:
    return plant(tmp_path / "users", tmp_path / "outside")


@pytest.fixture
def folder_of():
    """``folder_of(client)``: the logged-in user's own folder (created)."""

    def find(client: Any) -> Path:
        return user_folders.ensure(client.app[SETTINGS], client.user.id)

    return find
