"""The OpenAI-compatible endpoint, through the official openai SDK: a user's agents are models;
completions run as headless runs under the same policies, confirmations and audit."""

from __future__ import annotations

import openai
import pytest
from jarvis.testing.scripted import reply, tool_use

from .conftest import make_agent, run_rows


async def api_key(client) -> str:
    await client.reauth()  # a new key needs a recent password
    resp = await client.post("/api/my/api-keys", json={"name": "openai client"})
    assert resp.status == 201
    return (await resp.json())["key"]


async def sdk(client) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(api_key=await api_key(client),
                              base_url=str(client.make_url("/v1")), max_retries=0)


async def test_a_key_lists_only_its_own_users_agents(user_client, client_as):
    mine = await make_agent(user_client, name="Mail sorter")
    other = await client_as("admin", username="root")
    theirs = await make_agent(other, name="Root's agent")
    models = await (await sdk(user_client)).models.list()
    assert [(m.id, m.owned_by) for m in models.data] == [
        ("jarvis", "user"), (f"agent:{mine['id']}", "user")]
    assert models.data[1].name == "Mail sorter"
    # an admin's key sees the admin's own agents, not everyone's
    admin_models = await (await sdk(other)).models.list()
    assert [m.id for m in admin_models.data] == ["jarvis", f"agent:{theirs['id']}"]
    # nor may a key talk to another user's agent: it is not there for it
    with pytest.raises(openai.NotFoundError) as info:
        await (await sdk(user_client)).chat.completions.create(
            model=f"agent:{theirs['id']}", messages=[{"role": "user", "content": "hi"}])
    assert info.value.status_code == 404
    assert info.value.body["code"] == "model_not_found"
    assert "does not exist" in info.value.body["message"]


async def test_an_agent_streams_its_answer(app, user_client, model):
    agent = await make_agent(user_client, prompt="You are terse.")
    model.script(reply("Sales rose four percent."))
    client = await sdk(user_client)
    stream = await client.chat.completions.create(
        model=f"agent:{agent['id']}", stream=True,
        messages=[{"role": "system", "content": "Be brief."},
                  {"role": "user", "content": "How did sales do?"}])
    chunks = [chunk async for chunk in stream]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Sales rose four percent."
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert "You are terse." in model.requests[0].system
    sent = model.requests[0].messages[-1].content[0].text
    assert "Be brief." in sent and "How did sales do?" in sent
    [row] = await run_rows(app, agent_id=agent["id"])
    assert (row["kind"], row["status"]) == ("api", "done")


async def test_a_completion_without_streaming_and_the_default_chat(
        admin_client, user_client, model):
    await admin_client.post("/api/settings/provider",
                            json={"default_provider": "fake", "default_model": "small"})
    model.script(reply("Hello there."))
    done = await (await sdk(user_client)).chat.completions.create(
        model="jarvis", messages=[{"role": "user", "content": "Hello?"}])
    assert done.choices[0].message.content == "Hello there."
    assert done.choices[0].finish_reason == "stop" and done.object == "chat.completion"
    assert model.requests[0].model == "small"


async def test_a_call_needing_confirmation_is_refused_with_the_reason(
        admin_client, user_client, model, tools):
    await admin_client.post("/api/settings/provider",
                            json={"default_provider": "fake", "default_model": "small"})
    model.script(tool_use("send_note", {"text": "hi"}), reply("I could not send it."))
    # the default chat: every tool offered, none granted
    done = await (await sdk(user_client)).chat.completions.create(
        model="jarvis", messages=[{"role": "user", "content": "Send a note."}])
    assert done.choices[0].message.content == "I could not send it."
    refused = model.requests[1].messages[-1].content[0]
    assert refused.is_error
    assert "needs confirmation" in refused.content and "api runs cannot ask for" in refused.content
    assert tools["send_note"].calls == []
    entries = (await (await user_client.get("/api/audit")).json())["entries"]
    assert any(e["tool_name"] == "send_note" and e["decision"] == "ask" for e in entries)


async def test_errors_take_openais_shape_and_a_cookie_is_not_enough(user_client):
    resp = await user_client.get("/v1/models")  # the session cookie alone
    assert resp.status == 401
    body = await resp.json()
    assert body["error"]["type"] == "authentication_error"
    assert "API key" in body["error"]["message"]
    client = await sdk(user_client)
    with pytest.raises(openai.BadRequestError) as info:
        await client.chat.completions.create(
            model="jarvis", messages=[{"role": "assistant", "content": "I speak last"}])
    assert info.value.body["message"] == "messages: the last message must be the user's"
    bad = openai.AsyncOpenAI(api_key="not-a-key", base_url=str(user_client.make_url("/v1")),
                             max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        await bad.models.list()
