"""The agent's writes into the user's folder count against the storage quota, together with
uploads, exactly under parallel writes; writes into whitelisted folders do not."""

from __future__ import annotations

import asyncio
import stat

import aiohttp
from jarvis.testing.plugins import contributions, tool_context, user_folder

QUOTA = 60_000
PIECE = 10_000


async def fs_write(client, path: str, content: str):
    tool = contributions(client).tools["fs_write"]
    return await tool.run(tool.Input(path=path, content=content),
                          tool_context(client.app, client.user))


async def upload(client, name: str, data: bytes) -> int:
    form = aiohttp.FormData()
    form.add_field("file", data, filename=name)
    return (await client.post("/api/my/files", data=form)).status


async def test_tool_writes_and_uploads_share_the_quota(server, admin_client, alice, bob):
    resp = await admin_client.post("/api/settings/storage",
                                   json={"user_quota_bytes": QUOTA})
    assert resp.status == 200
    folder = user_folder(alice, alice.user)

    def stored() -> int:
        return sum(p.lstat().st_size for p in folder.rglob("*")
                   if stat.S_ISREG(p.lstat().st_mode))

    before = stored()  # the planted tree counts too
    writes = [fs_write(alice, f"~/out/w{i}.txt", "w" * PIECE) for i in range(8)]
    uploads = [upload(alice, f"u{i}.bin", b"u" * PIECE) for i in range(8)]
    results = await asyncio.gather(*writes, *uploads)
    tool_results, statuses = results[:8], results[8:]

    assert stored() <= QUOTA
    ok = sum(r.ok for r in tool_results) + statuses.count(201)
    assert stored() == before + ok * PIECE
    refused = [r.error for r in tool_results if not r.ok]
    assert refused and all("quota" in e for e in refused)
    assert set(statuses) <= {201, 413}

    # outside the user's folder the quota does not apply; bob's folder has its own
    result = await fs_write(alice, f"{server.docs}/big.txt", "d" * PIECE * 7)
    assert result.ok, result.error
    result = await fs_write(bob, "~/b.txt", "b" * PIECE)
    assert result.ok, result.error
    written = await fs_write(bob, "~/new.txt", "n")
    assert written.ok
    mode = stat.S_IMODE((user_folder(bob, bob.user) / "new.txt").stat().st_mode)
    assert mode == 0o600
