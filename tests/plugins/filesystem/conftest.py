"""Fixtures for the filesystem plugin: a server tree with a whitelisted folder, users' folders
full of traps, and tool contexts built by hand."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jarvis_filesystem
import pytest
from jarvis import Decision, ToolResult
from jarvis.testing.apps import app_fixtures, settings_fixture
from jarvis.testing.plugins import (
    contributions,
    decide,
    plugin_context,
    tool_context,
)

SECRET = b"TOP SECRET: do not leak"


@dataclass
class Server:
    """The folders of the test server."""

    srv: Path  # docs (whitelisted), docs2 (its sibling), private
    users: Path
    alice: str  # alice's folder name (her id)
    bob: str

    @property
    def docs(self) -> Path:
        return self.srv / "docs"

    @property
    def private(self) -> Path:
        return self.srv / "private" / "p.txt"

    def untouched(self) -> bool:
        return all(p.read_bytes() == SECRET for p in (
            self.private, self.srv / "docs2" / "x.txt", self.users / self.bob / "secret.txt",
            self.users / f"{self.alice}2" / "x.txt"))


def build(srv: Path, users: Path, alice_id: str, bob_id: str) -> Server:
    server = Server(srv, users, alice_id, bob_id)
    alice, bob, sibling = users / alice_id, users / bob_id, users / f"{alice_id}2"
    for folder in (server.docs / "sub", srv / "docs2", srv / "private", alice / "docs", bob,
                   sibling):
        folder.mkdir(parents=True, exist_ok=True)
    (server.docs / "readme.txt").write_text("read me")
    (server.docs / "sub" / "deep.txt").write_text("deep")
    for secret in (server.private, srv / "docs2" / "x.txt", bob / "secret.txt",
                   sibling / "x.txt"):
        secret.write_bytes(SECRET)
    (alice / "notes.txt").write_text("my notes")
    (alice / "docs" / "a.txt").write_text("alpha")
    links = {
        server.docs / "to_private": Path("..") / "private" / "p.txt",
        server.docs / "private_abs": srv / "private",
        alice / "out_file": server.private,
        alice / "out_dir": srv / "private",
        alice / "to_bob": Path("..") / bob_id,
        alice / "to_bob_abs": bob,
        alice / "sibling": sibling / "x.txt",
        alice / "climb": Path("docs") / ".." / ".." / bob_id,
        alice / "loop": Path("loop"),
        alice / "inside": Path("docs") / "a.txt",
    }
    for link, target in links.items():
        os.symlink(target, link)
    os.link(server.private, server.docs / "hard")
    os.link(server.private, alice / "hard")
    return server


fs_settings = settings_fixture("fs_settings")  # overrides of the app's settings
jarvis_plugins, jarvis_settings = app_fixtures(jarvis_filesystem, "fs_settings", model=False,
                                               whole=True)


@pytest.fixture
async def server(anon_client, admin_client, alice, bob, tmp_path) -> Server:
    """The tree, with ``srv/docs`` on the whitelist."""
    users = plugin_context(anon_client, "filesystem").settings.resolved_users_folder
    found = build(tmp_path / "srv", users, alice.user.id, bob.user.id)
    resp = await admin_client.post("/api/filesystem-whitelist", json={"path": str(found.docs)})
    assert resp.status == 201, await resp.text()
    return found


async def attempt(client: Any, tool_name: str, **args: Any) -> tuple[Decision, ToolResult]:
    """What the policies decide about a call, and what the tool does when run anyway."""
    tool = contributions(client).tools[tool_name]
    parsed = tool.Input(**args)
    ctx = tool_context(client, client.user, plugin="filesystem")
    decision = await decide(client, tool.policy_requests(parsed), ctx)
    return decision, await tool.run(parsed, ctx)
