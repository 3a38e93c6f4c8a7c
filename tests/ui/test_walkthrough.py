"""A person's first hour with Jarvis in a real browser: first-run setup, login, two-step
verification, a chat with the scripted model (streamed text, one tool call approved, one denied,
one remembered for the session, a dropped connection), an agent created, run and read in its
history, a limit and a security switch changed, a user added who is refused the admin pages, and
a file uploaded and downloaded. The page never reaches outside the server."""

from __future__ import annotations

import json
import re

import jarvis_filesystem
import jarvis_hello
import jarvis_pushover
import jarvis_web
import pytest
from jarvis.keys import CONFIG
from jarvis.testing.plugins import ModelPlugin
from jarvis.testing.scripted import ScriptedProvider, call, reply
from playwright.sync_api import expect

from tests.support.tools import lookup, send_note
from tests.ui.server import UiServer
from tests.ui.walk import PASSWORD, answers, code_at, enrol_mfa, log_in, log_out, send, setup_admin

STREAMED = "Hello! Here is **bold** text, `code` and a list:\n\n- one\n- two\n\nStreaming works."


@pytest.fixture(scope="module")
def note():
    return send_note()


@pytest.fixture(scope="module")
def model():
    return ScriptedProvider(id="fake", models=("echo",))


@pytest.fixture(scope="module")
def server(tmp_path_factory, model, note):
    plugins = [ModelPlugin(model, tools=[note, lookup()]), jarvis_web, jarvis_filesystem,
               jarvis_pushover, jarvis_hello]
    srv = UiServer(tmp_path_factory.mktemp("ui"), plugins)
    yield srv
    srv.close()


def _text_frames(page) -> list[str]:
    frames: list[str] = []

    def on_socket(ws):
        ws.on("framereceived", lambda payload: frames.append(payload))

    page.on("websocket", on_socket)
    return frames


def chat(page, model, note, frames, screenshots):
    page.click("#nav a:has-text('Chat')")
    expect(page.locator(".conn")).to_have_text("connected")
    expect(page.locator("select[name=model] option")).to_have_text(["Echo"])

    model.script(reply(STREAMED))
    send(page, "Say hello")
    first = answers(page).first
    expect(first).to_contain_text("Streaming works.")
    expect(first.locator("strong")).to_have_text("bold")
    expect(first.locator("li")).to_have_count(2)
    chunks = [json.loads(f) for f in frames if '"type":"text"' in f.replace(" ", "")]
    assert len(chunks) > 1, "the answer arrived in one piece, not streamed"

    # a tool call the user approves
    model.script(reply("", call("send_note", {"text": "buy milk"})), reply("The note is sent."))
    send(page, "Send a note: buy milk")
    card = page.locator(".confirm").last
    expect(card).to_contain_text("send_note")
    card.locator("button:has-text('Approve')").first.click()
    expect(page.locator(".tool[data-tool=send_note]").last).to_contain_text("done")
    expect(answers(page).last).to_have_text(re.compile("The note is sent."))
    assert note.calls == [{"text": "buy milk"}]
    page.screenshot(path=str(screenshots / "chat.png"))

    # one the user denies
    model.script(reply("", call("send_note", {"text": "the secret plan"})),
                 reply("Understood, I did not send it."))
    send(page, "Send the secret plan")
    page.locator(".confirm").last.locator("button:has-text('Deny')").click()
    expect(page.locator(".tool[data-tool=send_note]").last).to_contain_text("denied")
    expect(answers(page).last).to_contain_text("I did not send it")
    assert note.calls == [{"text": "buy milk"}]

    # approved for the session: the next call of that tool is not asked again
    model.script(reply("", call("send_note", {"text": "one"})), reply("Sent one."),
                 reply("", call("send_note", {"text": "two"})), reply("Sent two."))
    send(page, "Send one")
    page.locator(".confirm").last.locator("button:has-text('for this session')").click()
    expect(answers(page).last).to_contain_text("Sent one.")
    confirmations = page.locator(".confirm").count()
    send(page, "Send two")
    expect(answers(page).last).to_contain_text("Sent two.")
    assert page.locator(".confirm").count() == confirmations
    assert [c["text"] for c in note.calls] == ["buy milk", "one", "two"]

    # the connection drops; the page reconnects and the conversation goes on
    page.evaluate("window.jarvisChatSocket.drop()")
    expect(page.locator(".conn")).to_have_text("connected")
    model.script(reply("Still here."))
    send(page, "Are you there?")
    expect(answers(page).last).to_contain_text("Still here.")
    # the model got the whole conversation, from its first message on
    assert "Say hello" in str(model.requests[-1].messages[0].content)
    conversation = re.search(r"#/chat/(\w+)$", page.url).group(1)

    # the history lists it; resuming shows the whole exchange
    page.click("#nav a:has-text('History')")
    row = page.locator("tr", has_text="Say hello")
    expect(row).to_be_visible()
    row.locator("button:has-text('Resume')").click()
    expect(page).to_have_url(re.compile(f"#/chat/{conversation}$"))
    expect(page.locator(".msg.user").first).to_have_text(re.compile("Say hello"))
    expect(page.locator(".messages")).to_contain_text("Still here.")


def agent(page, model, screenshots):
    page.click("#nav a:has-text('Agents')")
    page.click("a:has-text('New agent')")
    page.fill("#f-name", "Morning report")
    page.fill("textarea[name=prompt]", "Write the morning report.")
    page.fill("#f-schedule", "0 8 * * 1-5")
    fires = page.locator(".cron-preview li")
    expect(fires).to_have_count(5)
    page.fill("#f-schedule", "0 25 * * *")
    expect(page.locator(".cron-preview .notice.error:visible")).to_contain_text("schedule")
    page.click(".cron-help summary")
    page.click(".cron-help button:has-text('0 8 * * 1-5')")
    expect(fires).to_have_count(5)
    page.click("button:has-text('Create agent')")
    expect(page.locator(".page h2")).to_have_text("Morning report")

    model.script(reply("Today: **three** meetings."))
    page.click("button:has-text('Run now')")
    done = page.locator(".runs, table").locator("td", has_text="done")
    for _ in range(20):
        page.click("button:has-text('Refresh')")
        if done.count():
            break
        page.wait_for_timeout(250)
    expect(done.first).to_be_visible()
    page.locator("tr", has_text="done").locator("button:has-text('Show')").first.click()
    expect(page.locator(".run-detail")).to_contain_text("Today: three meetings.")
    expect(page.locator(".tokens")).not_to_have_text("0 in, 0 out")
    page.evaluate("document.getElementById('toasts').replaceChildren()")
    page.screenshot(path=str(screenshots / "agents.png"))
    page.click("#nav a:has-text('Agents')")
    expect(page.locator("td", has_text="Morning report")).to_be_visible()


def admin_settings(page, server):
    page.click("#nav a:has-text('Admin')")
    expect(page.locator("#run-state")).to_contain_text("running")
    page.click(".tabs a:has-text('Settings')")
    limits = page.locator("#settings-limits")
    limits.locator("input[name=max_tool_calls]").fill("7")
    limits.locator("button:has-text('Save')").click()
    expect(page.locator(".toast", has_text="Limits: saved.")).to_be_visible()
    security = page.locator("#settings-security")
    security.locator("input[name=sanitize_enhanced]").check()
    security.locator("button:has-text('Save')").click()
    expect(page.locator(".toast", has_text="Security switches: saved.")).to_be_visible()
    limits.locator("input[name=max_concurrent_runs]").fill("0")
    limits.locator("button:has-text('Save')").click()
    expect(limits.locator(".notice.error:visible")).to_contain_text("max_concurrent_runs")
    config = server.app[CONFIG]
    assert config.get("limits").max_tool_calls == 7
    assert config.get("security").sanitize_enhanced is True

    # a plugin's admin panel: the web whitelist, drawn from its declaration
    page.click(".tabs a:has-text('Plugins')")
    web = page.locator("[data-panel=web]")
    web.locator("summary:has-text('Add')").first.click()
    web.locator("input[name=domain]").first.fill("example.org")
    web.locator("button:has-text('Add')").first.click()
    expect(web.locator("td", has_text="example.org")).to_be_visible()


def add_user(page):
    page.click("#nav a:has-text('Admin')")
    page.click(".tabs a:has-text('Users')")
    page.fill("#f-username", "bob")
    page.fill("#f-password", PASSWORD)
    page.click("button:has-text('Add user')")
    expect(page.locator("td", has_text="bob")).to_be_visible()


def as_bob(page, server):
    log_in(page, server, "bob")
    expect(page.locator("#nav a:has-text('Admin')")).to_have_count(0)
    page.goto(server.url + "/#/admin/users")
    expect(page.locator(".refused")).to_contain_text("Administrators only")
    resp = page.request.get(server.url + "/api/admin/users")
    assert resp.status == 403

    # a file: uploaded, listed, downloaded
    page.click("#nav a:has-text('Files')")
    page.set_input_files("input[name=file]", files=[
        {"name": "report.txt", "mimeType": "text/plain", "buffer": b"quarterly numbers\n"}])
    page.click(".upload button")
    row = page.locator("tr", has_text="report.txt")
    expect(row).to_be_visible()
    with page.expect_download() as info:
        row.locator("a:has-text('Download')").click()
    download = info.value
    assert download.suggested_filename == "report.txt"
    with open(download.path(), "rb") as f:
        assert f.read() == b"quarterly numbers\n"

    # per-user plugin settings, with the API's refusal in words
    page.click("#nav a:has-text('Settings')")
    pushover = page.locator("[data-panel=pushover]")
    pushover.locator("input[name=user_key]").fill("not a key")
    pushover.locator("button:has-text('Save')").click()
    expect(pushover.locator(".notice.error:visible")).to_contain_text("user_key")
    hello = page.locator("[data-panel=hello]")
    hello.locator("input[name=name]").fill("Bob")
    hello.locator("button:has-text('Greet')").click()
    expect(hello.locator(".action-result")).to_contain_text("Hello, Bob!")
    expect(page.locator("[data-panel=web]")).not_to_contain_text("Allowed web domains")


def test_a_person_sets_up_chats_schedules_administers_and_downloads(server, model, note,
                                                                    open_page, screenshots):
    page, watch = open_page(server)
    frames = _text_frames(page)
    setup_admin(page, server)
    log_out(page)
    page.fill("#f-username", "admin")
    page.fill("#f-password", "a wrong password")
    page.click("button:has-text('Log in')")
    expect(page.locator(".notice.error:visible")).to_be_visible()
    assert not page.locator(".notice.error:visible").inner_text().lstrip().startswith("{")
    log_in(page, server, "admin")
    secret = enrol_mfa(page)
    log_out(page)
    log_in(page, server, "admin", code=code_at(secret, 0))

    chat(page, model, note, frames, screenshots)
    agent(page, model, screenshots)
    admin_settings(page, server)
    add_user(page)
    log_out(page)

    bob, bob_watch = open_page(server)
    as_bob(bob, server)

    for w in (watch, bob_watch):
        assert w.errors == []
        assert w.outside() == []
