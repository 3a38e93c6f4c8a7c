"""Trying Jarvis without a vendor key: a local Ollama (the loopback fake) behind the litellm
plugin, from the model list to a chat answer, with no credential stored."""

from __future__ import annotations

import jarvis_litellm
import pytest
from jarvis.testing.chat import open_chat, text_of
from jarvis.testing.scripted import reply
from jarvis.testing.servers import free_port


@pytest.fixture
def jarvis_plugins():
    return [jarvis_litellm]


@pytest.fixture
def jarvis_settings(fake_ollama):
    nowhere = f"http://127.0.0.1:{free_port()}"
    section = {"ollama_base_url": fake_ollama.base_url, "openai_base_url": nowhere,
               "openrouter_base_url": nowhere}
    return {"plugins": {"litellm": section}}


async def test_a_chat_answered_by_ollama_without_any_key(admin_client, user_client, fake_ollama):
    assert await (await admin_client.get("/api/credentials")).json() == []  # no vendor key
    listed = await (await user_client.get("/api/models")).json()
    assert "ollama:llama3.2:latest" in listed["models"]
    assert listed["default"].startswith("ollama:")

    fake_ollama.script(reply("Tea is a drink made from leaves."), reply("Green, then."))
    chat = await open_chat(user_client)
    await chat.send(type="message", content="tea?", model="ollama:llama3.2:latest")
    # the first answer imports litellm (seconds on a busy machine)
    frames = await chat.until("done", "error", seconds=120)
    assert frames[-1]["type"] == "done", frames[-1]
    assert text_of(frames) == "Tea is a drink made from leaves."
    frames = await chat.say("which one?", model="ollama:llama3.2:latest")
    assert text_of(frames) == "Green, then."
    first, second = (r.json for r in fake_ollama.received("/api/chat"))
    assert first["model"] == "llama3.2:latest"
    assert first["messages"][-1]["content"] == "tea?"
    history = [(m["role"], m["content"]) for m in second["messages"] if m["role"] != "system"]
    assert history == [("user", "tea?"), ("assistant", "Tea is a drink made from leaves."),
                       ("user", "which one?")]
    await chat.close()
