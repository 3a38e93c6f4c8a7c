"""The file tools and the fs.path policy: allowed folders work, every way out is refused."""

from __future__ import annotations

import pytest
from jarvis.testing.plugins import contributions, plugin_context
from jarvis_filesystem import store

from .conftest import SECRET, attempt


def traps(s) -> list[str]:
    """Paths (as the agent gives them) that must be refused for alice."""
    return [
        f"../{s.bob}/secret.txt", f"~/../{s.bob}/secret.txt", f"~/docs/../../{s.bob}/secret.txt",
        "~/out_file", "~/out_dir/p.txt", "~/to_bob/secret.txt", "~/to_bob_abs/secret.txt",
        "~/sibling", "~/climb/secret.txt", "~/loop", "~/notes.txt\x00.png",
        f"{s.docs}/../private/p.txt", f"{s.srv}/docs2/x.txt", f"{s.srv}/private/p.txt",
        f"{s.docs}/to_private", f"{s.docs}/private_abs/p.txt", "/etc/passwd",
        f"{s.users}/{s.bob}/secret.txt", f"{s.users}/{s.alice}/../{s.bob}/secret.txt",
        f"{s.users}/{s.alice}2/x.txt", f"{s.docs}/sub/../../docs2/x.txt",
    ]


async def test_reading_refuses_every_way_out(server, alice):
    for path in [*traps(server), "~/hard", f"{server.docs}/hard"]:
        decision, result = await attempt(alice, "fs_read", path=path)
        assert decision.verdict == "deny", path
        assert not result.ok, path
        assert SECRET.decode() not in (result.content or ""), path


async def test_writing_refuses_every_way_out(server, alice):
    for path in [*traps(server), "~/hard", f"{server.docs}/hard"]:
        decision, result = await attempt(alice, "fs_write", path=path, content="overwritten")
        assert decision.verdict == "deny", path
        assert not result.ok, path
    assert server.untouched()


async def test_listing_refuses_folders_outside(server, alice):
    for path in ("~/..", "~/out_dir", "~/to_bob", "~/to_bob_abs", "~/climb", f"{server.srv}",
                 f"{server.srv}/docs2", f"{server.docs}/private_abs",
                 f"{server.users}/{server.bob}", "/"):
        decision, result = await attempt(alice, "fs_list", path=path)
        assert decision.verdict == "deny", path
        assert not result.ok, path
        assert "secret" not in (result.content or "") and "p.txt" not in (result.content or "")


async def test_deleting_refuses_every_way_out(server, alice):
    final_links = {"~/out_file", "~/sibling", "~/loop", f"{server.docs}/to_private"}
    for path in traps(server):
        if path in final_links:
            continue
        decision, result = await attempt(alice, "fs_delete", path=path, recursive=True)
        assert decision.verdict == "deny", path
        assert not result.ok, path
    assert server.untouched()


async def test_deleting_a_link_removes_only_the_link(server, alice):
    for path in ("~/out_file", "~/out_dir", "~/to_bob", f"{server.docs}/private_abs"):
        decision, result = await attempt(alice, "fs_delete", path=path)
        assert decision.verdict == "allow", path
        assert result.ok, (path, result.error)
        assert result.content.startswith("deleted the link")
    assert server.untouched()


async def test_other_users_folders_stay_closed_under_a_whitelisted_parent(server, admin_client,
                                                                          alice):
    resp = await admin_client.post("/api/filesystem-whitelist", json={"path": str(server.users)})
    assert resp.status == 400  # refused now; an entry saved by an older version still counts:
    await store.ROOTS.add(plugin_context(admin_client, "filesystem").db, str(server.users), note="")
    bobs, alices = server.users / server.bob, server.users / server.alice
    decision, result = await attempt(alice, "fs_read", path=f"{bobs}/secret.txt")
    assert decision.verdict == "deny" and "another user's folder" in decision.reason
    assert not result.ok
    decision, result = await attempt(alice, "fs_write", path=f"{bobs}/new/x.txt",
                                     content="planted")
    assert decision.verdict == "deny" and not result.ok
    assert not (server.users / server.bob / "new").exists()
    decision, result = await attempt(alice, "fs_read", path=f"{alices}/notes.txt")
    assert decision.verdict == "allow" and result.content == "my notes"


async def test_reading_and_listing_inside_allowed_folders(server, alice):
    decision, result = await attempt(alice, "fs_read", path=f"{server.docs}/readme.txt")
    assert decision.verdict == "allow" and result.content == "read me"
    _, result = await attempt(alice, "fs_read", path="~/inside")
    assert result.content == "alpha"
    _, result = await attempt(alice, "fs_read", path="notes.txt")
    assert result.content == "my notes"
    decision, result = await attempt(alice, "fs_list", path=str(server.docs))
    assert decision.verdict == "allow"
    assert result.content.splitlines()[0] == f"{server.docs}:"
    assert "  sub/" in result.content and "  readme.txt (7 bytes)" in result.content
    assert "  to_private [link]" in result.content
    _, result = await attempt(alice, "fs_list", path="~")
    assert result.content.splitlines()[0] == "~:" and "  notes.txt (8 bytes)" in result.content


async def test_writing_creates_folders_and_replaces_files(server, alice):
    decision, result = await attempt(alice, "fs_write", path="~/plans/2026/may.txt", content="plan")
    assert decision.verdict == "allow"
    assert result.ok and result.content == "wrote 4 bytes to ~/plans/2026/may.txt"
    assert (server.users / server.alice / "plans" / "2026" / "may.txt").read_text() == "plan"
    _, result = await attempt(alice, "fs_write", path=f"{server.docs}/readme.txt", content="new")
    assert result.ok and (server.docs / "readme.txt").read_text() == "new"
    _, result = await attempt(alice, "fs_write", path=f"{server.docs}/readme.txt", content="x",
                              overwrite=False)
    assert not result.ok and "exists" in result.error
    assert (server.docs / "readme.txt").read_text() == "new"
    _, result = await attempt(alice, "fs_write", path="~/inside", content="via link")
    assert result.ok and (server.users / server.alice / "docs" / "a.txt").read_text() == "via link"


async def test_deleting_files_and_folders(server, alice):
    _, result = await attempt(alice, "fs_delete", path=f"{server.docs}/sub")
    assert not result.ok and "not empty" in result.error
    _, result = await attempt(alice, "fs_delete", path=f"{server.docs}/sub", recursive=True)
    assert result.ok and not (server.docs / "sub").exists()
    _, result = await attempt(alice, "fs_delete", path="~/notes.txt")
    assert result.ok and result.content == "deleted the file ~/notes.txt"
    _, result = await attempt(alice, "fs_delete", path="~")
    assert not result.ok
    _, result = await attempt(alice, "fs_delete", path=str(server.docs), recursive=True)
    assert not result.ok and server.docs.exists()


async def test_missing_paths_fail_without_a_denial(server, alice):
    decision, result = await attempt(alice, "fs_read", path="~/nope.txt")
    assert decision.verdict == "allow"
    assert not result.ok and "does not exist" in result.error


@pytest.mark.parametrize("fs_settings", [{"plugins": {"filesystem": {"max_read_bytes": 1000}}}])
async def test_reads_are_capped_and_binary_files_refused(server, alice):
    (server.docs / "big.txt").write_text("x" * 5000)
    (server.docs / "image.png").write_bytes(b"\x89PNG\x00\x00\x00")
    _, result = await attempt(alice, "fs_read", path=f"{server.docs}/big.txt")
    assert result.ok
    assert result.content.startswith("x" * 1000 + "\n\n[only the first 1000 of 5000 bytes")
    _, result = await attempt(alice, "fs_read", path=f"{server.docs}/image.png")
    assert not result.ok and "binary" in result.error


def test_the_tools_declare_their_risks(anon_client):
    tools = contributions(anon_client).tools
    assert {t.group for t in tools.values() if t.name.startswith("fs_")} == {"filesystem"}
    write, delete = tools["fs_write"], tools["fs_delete"]
    assert write.side_effect and delete.side_effect
    assert write.requires_confirmation(write.Input(path="~/a", content="b"))
    assert delete.requires_confirmation(delete.Input(path="~/a"))
    assert tools["fs_read"].reads_untrusted and not tools["fs_read"].side_effect
    [request] = tools["fs_read"].policy_requests(tools["fs_read"].Input(path="~/a"))
    assert (request.resource, request.value, request.detail) == ("fs.path", "~/a", {"op": "read"})
