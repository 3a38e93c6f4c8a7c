"""The memory tools on the real database (sqlite-vec or its stand-in on SQLite, pgvector or
summed distances on PostgreSQL), with embeddings from the loopback fake through litellm."""

from __future__ import annotations

import pytest
from jarvis.testing.fake_embeddings import word_vector
from jarvis.testing.plugins import plugin_context, run_tool
from jarvis_memory.embed import normalise
from jarvis_memory.store import search
from jarvis_memory.tools import BACKEND
from jarvis_memory.vectors import Backend

NOTES = ["The espresso machine needs descaling every month",
         "My bicycle tyre pressure is 4 bar",
         "Tax return deadline is the end of July"]


async def remember(client, *notes: str) -> list[str]:
    ids = []
    for note in notes:
        result = await run_tool(client, "memory_capture", text=note)
        assert result.ok, result.error
        ids.append(result.content.removeprefix("Remembered as ").removesuffix("."))
    return ids


async def test_search_finds_the_nearest_note_first(keyed, alice, embeddings):
    ids = await remember(alice, *NOTES)
    found = await run_tool(alice, "memory_search", query="when is the tax deadline", limit=2)
    assert found.ok, found.error
    lines = found.content.splitlines()
    assert lines[0] == "2 note(s), nearest first:"
    assert lines[1].startswith(f"- [{ids[2]}]") and NOTES[2] in lines[1]
    assert len(lines) == 3
    # litellm called the fake with the model and the key from the vault
    assert [r.inputs for r in embeddings.requests][-1] == ["when is the tax deadline"]
    assert {r.api_key for r in embeddings.requests} == {embeddings.api_key}
    assert {r.model for r in embeddings.requests} == {"text-embedding-3-small"}


async def test_similarity_follows_the_vectors(keyed, alice):
    await remember(alice, *NOTES)
    found = await run_tool(alice, "memory_search", query="bicycle tyre", limit=3)
    scores = [float(line.split("similarity ")[1].split(")")[0])
              for line in found.content.splitlines()[1:]]
    assert scores == sorted(scores, reverse=True)
    query = normalise(word_vector("bicycle tyre"))
    best = normalise(word_vector(NOTES[1]))
    expected = sum(a * b for a, b in zip(query, best, strict=True))
    assert scores[0] == pytest.approx(expected, abs=0.01)
    assert "bicycle" in found.content.splitlines()[1]


async def test_recent_pages_newest_first_and_stats_count(keyed, alice):
    ids = await remember(alice, *NOTES)
    first = await run_tool(alice, "memory_recent", limit=2)
    assert first.content.splitlines()[0] == "Notes 1-2 of 3, newest first:"
    assert [line[3:35] for line in first.content.splitlines()[1:]] == [ids[2], ids[1]]
    second = await run_tool(alice, "memory_recent", limit=2, offset=2)
    assert [line[3:35] for line in second.content.splitlines()[1:]] == [ids[0]]
    stats = await run_tool(alice, "memory_stats")
    chars = sum(len(n) for n in NOTES)
    assert stats.content.startswith(f"3 note(s), {chars} characters, from ")
    assert "openai/text-embedding-3-small (3)" in stats.content


async def test_alices_memories_are_never_bobs(keyed, alice, bob):
    await remember(alice, *NOTES)
    for query in NOTES:  # even the exact words of her notes find nothing of hers
        found = await run_tool(bob, "memory_search", query=query, limit=20)
        assert found.ok and found.content == "Nothing remembered matches."
    recent = await run_tool(bob, "memory_recent", limit=50)
    assert recent.content == "No notes here (0 remembered in all)."
    assert (await run_tool(bob, "memory_stats")).content == "No notes remembered yet."
    await remember(bob, "Bob likes espresso too")
    found = await run_tool(bob, "memory_search", query="espresso machine", limit=20)
    assert found.content.count("\n- [") == 1 and "Bob likes espresso" in found.content
    assert "descaling" not in found.content
    mine = await run_tool(alice, "memory_search", query="espresso", limit=20)
    assert "descaling" in mine.content and "Bob" not in mine.content


@pytest.mark.parametrize(("status", "words"), [
    (401, "refused the API key (HTTP 401)"), (429, "rate limiting requests (HTTP 429)"),
    (500, "answered with an error (HTTP 500)")])
async def test_service_errors_say_the_status_without_the_body(keyed, alice, embeddings,
                                                              status, words):
    embeddings.fail_next(*[status] * 5)  # the client library may retry 429 and 5xx itself
    result = await run_tool(alice, "memory_capture", text="something to keep")
    assert not result.ok and words in result.error
    assert embeddings.secret_in_errors not in result.error
    assert (await run_tool(alice, "memory_stats")).content == "No notes remembered yet."


async def test_a_wrong_key_in_the_vault_is_refused(anon_client, alice, embeddings):
    await plugin_context(anon_client, "memory").vault.put("system:embeddings_key", "not-the-key")
    result = await run_tool(alice, "memory_search", query="anything")
    assert not result.ok and "HTTP 401" in result.error
    assert embeddings.secret_in_errors not in result.error


async def test_an_unreachable_service_is_said_so(keyed, alice, embeddings):
    await embeddings.close()
    result = await run_tool(alice, "memory_capture", text="lost")
    assert not result.ok and "could not reach the embedding service" in result.error


async def test_the_database_backend_is_the_best_one_here(keyed):
    db = plugin_context(keyed, "memory").state[BACKEND]
    from sqlalchemy import text

    database = plugin_context(keyed, "memory").db
    if database.is_sqlite:
        assert db.kind in ("sqlite-vec", "sqlite-python")
        return
    async with database.read() as conn:
        available = await conn.scalar(text(
            "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'"))
    assert db.kind == ("pgvector" if available else "postgresql-array")


async def test_every_backend_of_this_database_ranks_alike(keyed, alice):
    await remember(alice, *NOTES)
    database = plugin_context(keyed, "memory").db
    best = plugin_context(keyed, "memory").state[BACKEND]
    kinds = ["sqlite-python"] if database.is_sqlite else [best.kind, "postgresql-array"]
    query = normalise(word_vector("espresso descaling month", 32))
    ranked = []
    for kind in kinds:
        backend = Backend(kind, best.schema)
        hits = await search(database, backend, alice.user.id, "openai/text-embedding-3-small",
                            query, 3)
        ranked.append([(h.content, round(h.score, 4)) for h in hits])
    assert all(r == ranked[0] for r in ranked) and ranked[0][0][0] == NOTES[0]


async def test_deleting_a_user_deletes_their_notes(keyed, admin_client, alice, bob):
    from sqlalchemy import text

    await remember(alice, *NOTES)
    await remember(bob, "Bob's note")
    resp = await admin_client.delete(f"/api/admin/users/{alice.user.id}")
    assert resp.status == 200
    async with plugin_context(keyed, "memory").db.read() as conn:
        left = (await conn.execute(text("SELECT user_id, count(*) FROM memory_items "
                                        "GROUP BY user_id"))).all()
    assert [tuple(r) for r in left] == [(bob.user.id, 1)]
