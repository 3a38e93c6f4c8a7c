"""Through the runtime with the scripted model: reading runs at once; creating, changing and
deleting asks in chat, and a headless run may do it only when granted ``caldav``."""

from __future__ import annotations

import asyncio

import pytest
from jarvis.testing.chat import open_chat
from jarvis.testing.plugins import agent_run, contributions, plugin_context, run_tool
from jarvis.testing.scripted import reply, tool_use

from .conftest import save_settings, settings_body

CREATE = {"summary": "Team lunch", "start": "2026-05-04T12:00Z"}


@pytest.fixture
async def alice(user_client, radicale, dav_user):
    await save_settings(user_client, settings_body(radicale, dav_user))
    return user_client


EXAMPLES = {
    "caldav_create_event": CREATE,
    "caldav_update_event": {"uid": "x", "summary": "Lunch"},
    "caldav_delete_event": {"uid": "x"},
    "caldav_list_events": {},
    "caldav_get_event": {"uid": "x"},
}


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_writing_tools_ask_and_reading_tools_read_outside_text(anon_client, name):
    tool = contributions(anon_client).tools[name]
    args = tool.Input.model_validate(EXAMPLES[name])
    writes = name.endswith(("create_event", "update_event", "delete_event"))
    assert tool.group == "caldav"
    assert tool.side_effect is writes and tool.requires_confirmation(args) is writes
    assert tool.reads_untrusted is not writes


async def test_a_headless_run_without_a_grant_may_not_create(alice, radicale, dav_user, model):
    model.script(tool_use("caldav_create_event", CREATE), reply("I could not add it."))
    outcome = await plugin_context(alice, "caldav").run(agent_run(alice.user))
    assert outcome.status == "done"
    [result] = model.tool_results()
    assert result.is_error
    assert "needs confirmation" in result.content and "grant caldav_create_event" in result.content
    assert await asyncio.to_thread(radicale.summaries, dav_user[0]) == []


async def test_a_headless_run_granted_caldav_creates(alice, radicale, dav_user, model):
    model.script(tool_use("caldav_create_event", CREATE), reply("Added."))
    run = agent_run(alice.user, allowed_tools=["caldav"])
    outcome = await plugin_context(alice, "caldav").run(run)
    assert outcome.status == "done"
    [result] = model.tool_results()
    assert not result.is_error, result.content
    assert await asyncio.to_thread(radicale.summaries, dav_user[0]) == ["Team lunch"]


async def test_a_headless_run_lists_without_a_grant(alice, model):
    assert (await run_tool(alice, "caldav_create_event", **CREATE)).ok
    model.script(tool_use("caldav_list_events", {"start": "2026-05-04"}), reply("One lunch."))
    outcome = await plugin_context(alice, "caldav").run(agent_run(alice.user))
    assert outcome.status == "done"
    [result] = model.tool_results()
    assert not result.is_error and "Team lunch" in result.content
    assert "<<untrusted-data boundary=" in result.content


@pytest.mark.parametrize("approved", [True, False])
async def test_chat_asks_before_creating(alice, radicale, dav_user, model, approved):
    model.script(tool_use("caldav_create_event", CREATE), reply("Done."))
    chat = await open_chat(alice)
    ask = await chat.asked("add lunch on Monday")
    assert ask["tool_name"] == "caldav_create_event"
    assert "'Team lunch'" in ask["description"]
    assert await asyncio.to_thread(radicale.summaries, dav_user[0]) == []
    await chat.send(type="confirm", call_id=ask["call_id"], approved=approved)
    frames = await chat.until("done")
    assert next(f for f in frames if f["type"] == "tool_done")["success"] is approved
    expected = ["Team lunch"] if approved else []
    assert await asyncio.to_thread(radicale.summaries, dav_user[0]) == expected
