"""Paged listings by cursor beside page numbers: the same rows in the same order, a forged
cursor refused with the reference's JSON error, and a total that stops counting at the cap
while still reaching past the page shown."""

from __future__ import annotations

from jarvis import pagination
from jarvis.keys import AUDIT
from jarvis.services.audit import AuditEvent


async def _record(app, count: int, user_id: str) -> None:
    for i in range(count):
        await app[AUDIT].record(AuditEvent("tool_call", "tool_call", user_id=user_id,
                                           tool_name="paging", summary=f"call {i}"))


async def _walk(client, per_page: int) -> list[dict]:
    """Every page of the caller's paging entries, cursor after cursor."""
    seen: list[dict] = []
    cursor = None
    while True:
        params = {"tool_name": "paging", "per_page": per_page}
        if cursor:
            params["cursor"] = cursor
        body = await (await client.get("/api/audit", params=params)).json()
        seen += body["entries"]
        cursor = body["next_cursor"]
        if cursor is None:
            return seen


async def test_cursor_pages_are_the_numbered_pages(user_client):
    me = (await (await user_client.get("/api/auth/me")).json())["id"]
    await _record(user_client.app, 7, me)
    numbered = []
    for page in (1, 2, 3):
        body = await (await user_client.get(
            "/api/audit", params={"tool_name": "paging", "per_page": 3, "page": page})).json()
        assert (body["total"], body["total_exact"]) == (7, True)
        numbered += body["entries"]
    assert [e["summary"] for e in numbered] == [f"call {i}" for i in range(6, -1, -1)]
    assert await _walk(user_client, 3) == numbered
    forged = await user_client.get("/api/audit", params={"cursor": "bm90LW91cnM"})
    assert forged.status == 400 and "cursor" in (await forged.json())["error"]


async def test_the_total_stops_counting_at_the_cap(user_client, monkeypatch):
    me = (await (await user_client.get("/api/auth/me")).json())["id"]
    await _record(user_client.app, 9, me)
    monkeypatch.setattr(pagination, "TOTAL_CAP", 4)
    params = {"tool_name": "paging", "per_page": 2}
    first = await (await user_client.get("/api/audit", params=params)).json()
    assert (first["total"], first["total_exact"]) == (4, False)  # counting stopped at 4
    deep = await (await user_client.get("/api/audit", params={**params, "page": 4})).json()
    assert [e["summary"] for e in deep["entries"]] == ["call 2", "call 1"]
    assert (deep["total"], deep["total_exact"]) == (9, False)  # past page 4: a next page
    runs = await (await user_client.get("/api/runs")).json()
    assert (runs["total"], runs["total_exact"], runs["next_cursor"]) == (0, True, None)
