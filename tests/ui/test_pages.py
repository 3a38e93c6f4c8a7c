"""The pages around the walk-through, each as its user meets it: scheduled tasks, the audit log's
filters and paging, models with badges and prices, chat history rename and delete, API keys,
password change, and an admin setting up and switching off another user's MFA."""

from __future__ import annotations

import re

import pytest
from jarvis.keys import AUDIT
from jarvis.services.audit import AuditEvent
from jarvis.testing.clients import create_user
from jarvis.testing.plugins import ModelPlugin
from jarvis.testing.scripted import ScriptedProvider, fake_model, reply
from playwright.sync_api import expect

from tests.ui.server import UiServer
from tests.ui.walk import (
    PASSWORD,
    answers,
    code_at,
    confirm_identity,
    log_in,
    log_out,
    send,
)


@pytest.fixture(scope="module")
def model():
    blind = fake_model("blind", vision=False)
    return ScriptedProvider(id="fake", models=("echo", blind))


@pytest.fixture(scope="module")
def server(tmp_path_factory, model):
    srv = UiServer(tmp_path_factory.mktemp("ui"), [ModelPlugin(model)])
    srv.users = {name: srv.call(create_user(srv.app, name, PASSWORD, role=role))
                 for name, role in (("cat", "user"), ("dan", "user"), ("eve", "user"),
                                       ("boss", "admin"))}
    yield srv
    srv.close()


@pytest.fixture
def page(server, open_page):
    page, watch = open_page(server)
    yield page
    assert watch.errors == [] and watch.outside() == []


def test_scheduled_tasks_are_made_toggled_and_deleted(server, page):
    log_in(page, server, "cat")
    page.click("#nav a:has-text('Tasks')")
    expect(page.locator(".empty")).to_contain_text("No scheduled tasks yet")
    page.fill("#f-name", "Water the plants")
    page.fill("textarea[name=prompt]", "Remind me to water the plants.")
    page.fill("#f-schedule", "*/15 * * * *")
    expect(page.locator(".cron-preview li")).to_have_count(5)
    page.click("button:has-text('Create task')")
    row = page.locator("tr", has_text="Water the plants")
    expect(row).to_contain_text("enabled")
    row.locator("button:has-text('Disable')").click()
    expect(row).to_contain_text("disabled")
    row.locator("button:has-text('Delete')").click()
    page.click("dialog button:has-text('Delete')")
    expect(page.locator("tr", has_text="Water the plants")).to_have_count(0)


def test_models_show_capabilities_and_prices_and_the_picker_follows_vision(server, page):
    log_in(page, server, "cat")
    page.click("#nav a:has-text('Models')")
    echo = page.locator("tr", has_text="fake:echo")
    expect(echo.locator(".badge", has_text="vision")).to_be_visible()
    expect(echo.locator(".badge", has_text="tools")).to_be_visible()
    expect(echo).to_contain_text("$0.00")
    blind = page.locator("tr", has_text="fake:blind")
    expect(blind.locator(".badge", has_text="vision")).to_have_count(0)
    page.click("#nav a:has-text('Chat')")
    expect(page.locator(".conn")).to_have_text("connected")
    expect(page.locator("button.attach")).to_be_enabled()
    page.select_option("select[name=model]", "fake:blind")
    expect(page.locator("button.attach")).to_be_disabled()


def test_history_renames_and_deletes_a_conversation(server, model, page):
    log_in(page, server, "dan")
    page.click("#nav a:has-text('Chat')")
    expect(page.locator(".conn")).to_have_text("connected")
    model.script(reply("Noted."))
    send(page, "Remember the red door")
    expect(answers(page).last).to_have_text(re.compile("Noted."))
    page.click("#nav a:has-text('History')")
    row = page.locator("tr", has_text="Remember the red door")
    row.locator("button:has-text('Rename')").click()
    page.fill("dialog input[name=title]", "The red door")
    page.click("dialog button:has-text('Rename')")
    renamed = page.locator("tr", has_text="The red door")
    expect(renamed).to_be_visible()
    renamed.locator("button:has-text('Delete')").click()
    page.click("dialog button:has-text('Delete')")
    expect(page.locator(".empty")).to_contain_text("No conversations yet")


def test_audit_log_filters_and_pages_and_a_user_sees_only_their_own(server, page):
    eve, dan = server.users["eve"], server.users["dan"]
    audit = server.app[AUDIT]
    for n in range(55):
        server.call(audit.record(AuditEvent("tool", "tool_call", user_id=eve.id, username="eve",
                                            tool_name="lookup" if n % 5 else "weather",
                                            summary=f"call {n}")))
    server.call(audit.record(AuditEvent("tool", "tool_call", user_id=dan.id, username="dan",
                                        tool_name="lookup", summary="dan's call")))
    log_in(page, server, "eve")
    page.click("#nav a:has-text('Audit')")
    expect(page.locator(".pager")).to_contain_text("Page 1 of 2")  # 55 calls and her login
    expect(page.locator("tbody")).not_to_contain_text("dan's call")
    page.click(".pager button:has-text('Next')")
    expect(page.locator(".pager")).to_contain_text("Page 2 of 2")
    page.fill("#f-tool_name", "weather")
    page.click(".filters button:has-text('Filter')")
    expect(page.locator(".pager")).to_contain_text("(11 in all)")
    expect(page.locator("#f-user_id")).to_have_count(0)


def test_api_keys_and_password_change(server, page):
    log_in(page, server, "dan")
    page.click("#nav a:has-text('Settings')")
    keys = page.locator("#api-keys")
    keys.locator("input[name=name]").fill("laptop script")
    keys.locator("button:has-text('Create key')").click()
    confirm_identity(page)
    key = keys.locator(".new-key code").inner_text()
    assert len(key) > 20
    expect(keys.locator("tr", has_text="laptop script")).to_be_visible()
    resp = page.request.get(server.url + "/api/auth/me", headers={"X-API-Key": key})
    assert resp.json()["username"] == "dan"

    box = page.locator("#password")
    box.locator("input[name=current_password]").fill("not my password")
    box.locator("input[name=new_password]").fill("another long passphrase")
    box.locator("button:has-text('Change password')").click()
    expect(box.locator(".notice.error:visible")).to_be_visible()
    box.locator("input[name=current_password]").fill(PASSWORD)
    box.locator("button:has-text('Change password')").click()
    expect(page.locator(".toast", has_text="Password changed")).to_be_visible()
    log_out(page)
    log_in(page, server, "dan", "another long passphrase")


def test_an_admin_sets_up_and_switches_off_a_users_mfa(server, page, open_page):
    log_in(page, server, "boss")
    page.goto(server.url + "/#/admin/users")
    row = page.locator("tr", has_text="cat")
    with page.expect_response(lambda r: r.url.endswith("/mfa-setup") and r.ok) as setup:
        row.locator("button:has-text('Set up two-step')").click()
        confirm_identity(page)
    qr = page.locator("img.qr")
    expect(qr).to_be_visible()
    assert qr.get_attribute("src").startswith("data:image/png;base64,")
    secret = re.search(r"secret=(\w+)", setup.value.json()["provisioning_uri"]).group(1)

    # the user logs in with the code from the QR code the admin gave her
    cat, _watch = open_page(server)
    log_in(cat, server, "cat", code=code_at(secret, 0))
    page.reload()
    row = page.locator("tr", has_text="cat")
    expect(row.locator(".badge")).to_have_text("on")
    row.locator("button:has-text('Switch off two-step')").click()
    expect(row.locator(".badge")).to_have_text("off")
    page.goto(server.url + "/#/admin/overview")
    expect(page.locator(".queue")).to_contain_text("At most at once")
    expect(page.locator("tr", has_text="scripted_model")).to_be_visible()


def test_an_admin_stores_reveals_and_deletes_a_credential(server, page):
    log_in(page, server, "boss")
    page.goto(server.url + "/#/admin/credentials")
    page.fill("#f-key", "system:pushover_app_token")
    page.fill("#f-value", "app-token-123")
    page.fill("#f-description", "Pushover app")
    page.click("button:has-text('Store')")
    row = page.locator("tr", has_text="system:pushover_app_token")
    expect(row).to_contain_text("Pushover app")
    assert "app-token-123" not in page.locator("table").inner_text()
    row.locator("button:has-text('Reveal')").click()
    confirm_identity(page)
    expect(page.locator("dialog code.secret")).to_have_text("app-token-123")
    page.click("dialog button:has-text('Close')")
    row.locator("button:has-text('Delete')").click()
    page.click("dialog button:has-text('Delete')")
    expect(page.locator("tr", has_text="system:pushover_app_token")).to_have_count(0)
