"""Stored conversations: every turn persisted, listed, read, renamed, deleted and continued."""

from __future__ import annotations

from jarvis.providers.base import TextBlock, ToolResultBlock, ToolUseBlock
from jarvis.testing.chat import open_chat
from jarvis.testing.scripted import error, reply, tool_use


async def test_turn_is_stored_with_tool_calls_and_results(user_client, model):
    model.script(tool_use("lookup", {"text": "tides"}, text="Checking."), reply("High tide at 6."))
    chat = await open_chat(user_client)
    done = (await chat.say("When is high tide today?\nThanks!"))[-1]
    listing = await (await user_client.get("/api/conversations")).json()
    assert listing["total"] == 1
    [summary] = listing["conversations"]
    assert summary["id"] == done["conversation_id"]
    assert summary["title"] == "When is high tide today?"
    assert summary["model"] == "fake:echo"
    assert summary["message_count"] == 4
    assert summary["started_at"].endswith("Z")
    conv = await (await user_client.get(f"/api/conversations/{done['conversation_id']}")).json()
    assert conv["title"] == "When is high tide today?"
    roles = [m["role"] for m in conv["messages"]]
    assert roles == ["user", "assistant", "tool", "assistant"]
    user, asked, result, answer = conv["messages"]
    assert user["content"] == "When is high tide today?\nThanks!"
    assert asked["content"] == "Checking."
    assert asked["tool_calls"][0]["name"] == "lookup"
    assert asked["tool_calls"][0]["arguments"] == {"text": "tides"}
    assert result["tool_call_id"] == asked["tool_calls"][0]["id"]
    assert result["tool_name"] == "lookup"
    assert result["content"] == "found: tides"  # readable, without the data fence
    assert result["is_error"] is False
    assert answer["content"] == "High tide at 6."


async def test_message_with_conversation_id_continues_it(user_client, model):
    model.script(tool_use("lookup", {"text": "x"}), reply("First answer."))
    first = await open_chat(user_client, "one")
    conv_id = (await first.say("First question"))[-1]["conversation_id"]
    await first.close()
    model.script(reply("Second answer."))
    later = await open_chat(user_client, "two")
    done = (await later.say("Follow-up", conversation_id=conv_id))[-1]
    assert done["conversation_id"] == conv_id
    history = model.requests[-1].messages
    assert [m.role for m in history] == ["user", "assistant", "user", "assistant", "user"]
    assert history[0].content[0].text == "First question"
    assert isinstance(history[1].content[0], ToolUseBlock)
    assert isinstance(history[2].content[0], ToolResultBlock)
    assert "<<untrusted-data" in history[2].content[0].content  # replayed as the model saw it
    assert history[-1].content == [TextBlock("Follow-up")]
    conv = await (await user_client.get(f"/api/conversations/{conv_id}")).json()
    assert len(conv["messages"]) == 6
    assert (await (await user_client.get("/api/conversations")).json())["total"] == 1


async def test_continuing_in_the_same_session_keeps_the_history(user_client, model):
    chat = await open_chat(user_client)
    first = (await chat.say("one"))[-1]
    second = (await chat.say("two"))[-1]
    assert first["conversation_id"] == second["conversation_id"]
    assert [m.role for m in model.requests[-1].messages] == ["user", "assistant", "user"]


async def test_another_users_conversation_is_not_found(client_as, model):
    alice, bob = await client_as("user", username="alice"), await client_as("user", username="bob")
    chat = await open_chat(alice)
    conv_id = (await chat.say("private"))[-1]["conversation_id"]
    path = f"/api/conversations/{conv_id}"
    assert (await bob.get(path)).status == 404
    assert (await bob.patch(path, json={"title": "mine"})).status == 404
    assert (await bob.delete(path)).status == 404
    listed = await (await bob.get("/api/conversations")).json()
    assert (listed["conversations"], listed["total"], listed["next_cursor"]) == ([], 0, None)
    bobs = await open_chat(bob)
    frame = (await bobs.say("continue", conversation_id=conv_id))[-1]
    assert frame["type"] == "error"
    assert frame["error"] == "conversation not found"
    assert (await alice.get(path)).status == 200


async def test_rename_and_delete(user_client, model):
    chat = await open_chat(user_client)
    conv_id = (await chat.say("hello"))[-1]["conversation_id"]
    path = f"/api/conversations/{conv_id}"
    resp = await user_client.patch(path, json={"title": "  Greetings  "})
    assert await resp.json() == {"ok": True}
    assert (await (await user_client.get(path)).json())["title"] == "Greetings"
    assert (await user_client.patch(path, json={"title": ""})).status == 400
    bad = await user_client.patch(path, json={"name": "x"})
    assert bad.status == 400
    assert "title" in (await bad.json())["error"]
    assert await (await user_client.delete(path)).json() == {"ok": True}
    assert (await user_client.get(path)).status == 404
    assert (await (await user_client.get("/api/conversations")).json())["total"] == 0


async def test_listing_is_paged_newest_first(user_client, model):
    chat = await open_chat(user_client)
    ids = []
    for text in ("first", "second", "third"):
        ids.append((await chat.say(text))[-1]["conversation_id"])
        await chat.send(type="clear")
        await chat.recv()
    page = await (await user_client.get("/api/conversations?page=1&per_page=2")).json()
    assert page["total"] == 3
    assert [c["title"] for c in page["conversations"]] == ["third", "second"]
    rest = await (await user_client.get("/api/conversations?page=2&per_page=2")).json()
    assert [c["id"] for c in rest["conversations"]] == [ids[0]]
    assert page["next_cursor"] and rest["next_cursor"] is None and page["total_exact"]
    by_cursor = await (await user_client.get(
        "/api/conversations", params={"per_page": 2, "cursor": page["next_cursor"]})).json()
    assert by_cursor["conversations"] == rest["conversations"]  # the same page, by keyset
    assert by_cursor["next_cursor"] is None and by_cursor["total"] == 3
    forged = await user_client.get("/api/conversations?cursor=bm90LW91cnM")
    assert forged.status == 400 and "cursor" in (await forged.json())["error"]
    bad = await user_client.get("/api/conversations?per_page=0")
    assert bad.status == 400
    assert "per_page" in (await bad.json())["error"]


async def test_long_first_message_makes_a_short_title(user_client, model):
    chat = await open_chat(user_client)
    await chat.say("word " * 100)
    [conv] = (await (await user_client.get("/api/conversations")).json())["conversations"]
    assert len(conv["title"]) <= 80
    assert conv["title"].endswith("…")


async def test_message_after_a_failed_turn_keeps_roles_alternating(user_client, model):
    model.script(error(500))
    chat = await open_chat(user_client)
    assert (await chat.say("first try"))[-1]["type"] == "error"
    assert (await chat.say("second try"))[-1]["type"] == "done"
    [message] = model.requests[-1].messages
    assert [b.text for b in message.content] == ["first try", "second try"]
