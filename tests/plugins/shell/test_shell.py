"""shell_run: off until enabled, admins only, chat only, confirmed every time, no shell unless
the admin allows it, killed at the time limit with its children, audited in full."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import jarvis_shell
import pytest
from jarvis.testing.chat import of_type, open_chat
from jarvis.testing.plugins import (
    BUILTIN_PROVIDERS,
    ModelPlugin,
    agent_run,
    contributions,
    plugin_context,
    run_tool,
)
from jarvis.testing.polling import eventually
from jarvis.testing.scripted import reply, tool_use


async def shell_audit(admin) -> list[dict[str, Any]]:
    body = await (await admin.get("/api/audit?per_page=200")).json()
    return [e for e in body["entries"] if e["action"] == "shell_command"]


def offered(model, n: int = 0) -> list[str]:
    return [t.name for t in model.requests[n].tools]


async def test_the_plugin_offers_no_tool_until_enabled(make_client, model):
    client = await make_client(jarvis_shell, ModelPlugin(model),
                               disable_plugins=BUILTIN_PROVIDERS)
    assert "shell_run" not in contributions(client).tools


async def test_an_admin_runs_a_command_after_confirming_it(admin_client, model):
    model.script(tool_use("shell_run", {"command": "echo hello 'big world'"}), reply("Ran it."))
    chat = await open_chat(admin_client)
    await chat.send(type="message", content="say hello on the server")
    ask = (await chat.until("confirmation_required"))[-1]
    assert ask["tool_name"] == "shell_run"
    assert "echo hello 'big world'" in ask["description"]
    assert await shell_audit(admin_client) == []  # nothing ran before the answer
    await chat.send(type="confirm", call_id=ask["call_id"], approved=True)
    frames = await chat.until("done")
    [done] = of_type(frames, "tool_done")
    assert done["success"] is True and done["confirmed"] is True
    [result] = model.tool_results()
    assert "exit code 0, 16 bytes of output" in result.content
    assert "hello big world" in result.content
    [entry] = await shell_audit(admin_client)
    assert entry["detail"]["command"] == "echo hello 'big world'"
    assert (entry["detail"]["exit_code"], entry["detail"]["output_bytes"]) == (0, 16)
    assert entry["success"] is True


async def test_a_declined_command_does_not_run(admin_client, model, tmp_path):
    made = tmp_path / "made"
    model.script(tool_use("shell_run", {"command": f"touch {made}"}), reply("Did not."))
    chat = await open_chat(admin_client)
    await chat.send(type="message", content="touch it")
    ask = (await chat.until("confirmation_required"))[-1]
    await chat.send(type="confirm", call_id=ask["call_id"], approved=False)
    frames = await chat.until("done")
    assert of_type(frames, "tool_done")[0]["success"] is False
    assert not made.exists()
    assert await shell_audit(admin_client) == []


async def test_a_user_is_never_offered_the_tool_nor_may_call_it(user_client, model, tmp_path):
    made = tmp_path / "made"
    model.script(tool_use("shell_run", {"command": f"touch {made}"}), reply("Could not."))
    chat = await open_chat(user_client)
    frames = await chat.say("touch it")
    assert "shell_run" not in offered(model)
    assert of_type(frames, "confirmation_required") == []
    [result] = model.tool_results()
    assert result.is_error and "for admins only" in result.content
    assert not made.exists()


async def test_a_headless_run_never_runs_it_even_when_granted(admin_client, model, tmp_path):
    made = tmp_path / "made"
    model.script(tool_use("shell_run", {"command": f"touch {made}"}), reply("Could not."))
    run = agent_run(admin_client.user, allowed_tools=["shell_run", "shell"])
    outcome = await plugin_context(admin_client, "shell").run(run)
    assert outcome.status == "done"
    assert "shell_run" not in offered(model)
    [result] = model.tool_results()
    assert result.is_error and "cannot be used in agent runs" in result.content
    assert not made.exists()
    assert await shell_audit(admin_client) == []


async def test_without_shell_syntax_metacharacters_are_plain_words(admin_client, tmp_path):
    made = tmp_path / "made"
    result = await run_tool(admin_client, "shell_run", command=f"echo a; touch {made} | cat")
    assert result.ok, result.error
    assert f"a; touch {made} | cat" in result.content
    assert not made.exists()


@pytest.mark.parametrize("shell_config", [{"shell_syntax": True}])
async def test_the_admin_may_allow_shell_syntax(admin_client, tmp_path):
    made = tmp_path / "made"
    result = await run_tool(admin_client, "shell_run", command=f"echo a && touch {made}")
    assert result.ok, result.error
    assert made.exists()


async def test_a_failing_command_reports_its_exit_code(admin_client):
    result = await run_tool(admin_client, "shell_run", command="ls /no/such/folder")
    assert not result.ok
    assert result.error.startswith("exit code 2,") and "No such file" in result.error
    [entry] = await shell_audit(admin_client)
    assert entry["detail"]["exit_code"] == 2 and entry["success"] is False


async def test_an_unknown_program_is_a_clear_error(admin_client):
    result = await run_tool(admin_client, "shell_run", command="no-such-program-xyz --help")
    assert not result.ok and "no-such-program-xyz" in result.error
    [entry] = await shell_audit(admin_client)
    assert entry["success"] is False and entry["summary"].startswith("not started")


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")  # killed, waiting for its reaper


@pytest.mark.parametrize("shell_config", [{"timeout": 0.5}])
async def test_the_time_limit_kills_the_whole_process_group(admin_client, tmp_path):
    pidfile = tmp_path / "child.pid"
    script = f"sleep 60 & echo $! > {pidfile}; wait"
    result = await run_tool(admin_client, "shell_run", command=f"sh -c '{script}'")
    assert not result.ok and "killed after 0.5 s (time limit)" in result.error
    child = int(pidfile.read_text())
    assert await eventually(lambda: _gone(child), within=5)
    [entry] = await shell_audit(admin_client)
    assert entry["detail"]["timed_out"] is True and entry["detail"]["exit_code"] is None


@pytest.mark.parametrize("shell_config", [{"max_output_bytes": 1000}])
async def test_output_past_the_cap_is_counted_not_kept(admin_client):
    result = await run_tool(admin_client, "shell_run", command="head -c 100000 /dev/zero")
    assert result.ok
    assert "100000 bytes of output" in result.content
    assert "[output cut at 1000 of 100000 bytes]" in result.content
    assert len(result.content) < 1200
    [entry] = await shell_audit(admin_client)
    assert entry["detail"]["output_bytes"] == 100000 and entry["detail"]["truncated"] is True


async def test_commands_get_none_of_the_servers_environment(admin_client, monkeypatch):
    monkeypatch.setenv("JARVIS_MASTER_PASSWORD", "do-not-leak-this")
    result = await run_tool(admin_client, "shell_run", command="env")
    assert result.ok
    names = {line.split("=", 1)[0] for line in result.content.splitlines()[1:] if "=" in line}
    assert names <= {"PATH", "HOME", "LANG", "PWD"}
    assert "do-not-leak-this" not in result.content
    assert os.environ["JARVIS_MASTER_PASSWORD"] == "do-not-leak-this"


@pytest.mark.parametrize("shell_config", [{"timeout": 0.6}])
async def test_a_call_may_ask_for_less_time_never_more(admin_client):
    shorter = await run_tool(admin_client, "shell_run", command="sleep 5", timeout=0.2)
    assert not shorter.ok and "killed after 0.2 s" in shorter.error
    longer = await run_tool(admin_client, "shell_run", command="sleep 5", timeout=100)
    assert not longer.ok and "killed after 0.6 s" in longer.error
