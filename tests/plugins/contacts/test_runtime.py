"""Through the runtime with the scripted model: reading runs at once; creating and changing
asks in chat, and a headless run may do it only when granted ``contacts``."""

from __future__ import annotations

import asyncio

import pytest
from jarvis.testing.chat import open_chat
from jarvis.testing.plugins import agent_run, contributions, plugin_context
from jarvis.testing.scripted import reply, tool_use

CREATE = {"full_name": "Grace Hopper", "emails": ["grace@example.org"]}
EXAMPLES = {"contacts_create": CREATE, "contacts_update": {"uid": "x", "note": "n"},
            "contacts_list": {}, "contacts_search": {"query": "x"}}


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_writing_tools_ask_and_reading_tools_read_outside_text(anon_client, name):
    tool = contributions(anon_client).tools[name]
    args = tool.Input.model_validate(EXAMPLES[name])
    writes = name in ("contacts_create", "contacts_update")
    assert tool.group == "contacts" and tool.plugin == "contacts"
    assert tool.side_effect is writes and tool.requires_confirmation(args) is writes
    assert tool.reads_untrusted is not writes


async def test_a_headless_run_without_a_grant_may_not_create(alice_book, radicale, dav_user,
                                                             model):
    model.script(tool_use("contacts_create", CREATE), reply("I could not add her."))
    outcome = await plugin_context(alice_book, "contacts").run(agent_run(alice_book.user))
    assert outcome.status == "done"
    [result] = model.tool_results()
    assert result.is_error and "grant contacts_create" in result.content
    assert "Grace" not in await asyncio.to_thread(radicale.cards, dav_user[0])


async def test_a_headless_run_granted_contacts_creates(alice_book, radicale, dav_user, model):
    model.script(tool_use("contacts_create", CREATE), reply("Added."))
    outcome = await plugin_context(alice_book, "contacts").run(
        agent_run(alice_book.user, allowed_tools=["contacts"]))
    assert outcome.status == "done"
    [result] = model.tool_results()
    assert not result.is_error, result.content
    assert "Grace Hopper" in await asyncio.to_thread(radicale.cards, dav_user[0])


@pytest.mark.parametrize("approved", [True, False])
async def test_chat_asks_before_creating(alice_book, radicale, dav_user, model, approved):
    model.script(tool_use("contacts_create", CREATE), reply("Done."))
    chat = await open_chat(alice_book)
    await chat.send(type="message", content="add Grace")
    ask = (await chat.until("confirmation_required"))[-1]
    assert ask["tool_name"] == "contacts_create" and "'Grace Hopper'" in ask["description"]
    assert "Grace" not in await asyncio.to_thread(radicale.cards, dav_user[0])
    await chat.send(type="confirm", call_id=ask["call_id"], approved=approved)
    frames = await chat.until("done")
    assert next(f for f in frames if f["type"] == "tool_done")["success"] is approved
    assert ("Grace Hopper" in await asyncio.to_thread(radicale.cards, dav_user[0])) is approved
