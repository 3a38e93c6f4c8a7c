"""Steps of the browser walk-through, as a person does them (shared by the test modules)."""

from __future__ import annotations

import re
import time

import pyotp
from playwright.sync_api import Page, expect

PASSWORD = "a long and careful passphrase"


def setup_admin(page: Page, server, username: str = "admin") -> None:
    page.goto(server.url + "/")
    expect(page).to_have_url(re.compile(r"#/setup$"))
    page.fill("#f-token", "not the token")
    page.fill("#f-username", username)
    page.fill("#f-password", PASSWORD)
    page.fill("#f-password2", PASSWORD)
    page.click("button:has-text('Create administrator')")
    # a wrong token is explained in words, not shown as JSON
    expect(page.locator(".notice.error:visible")).to_contain_text("Wrong or expired setup token")
    page.fill("#f-token", server.setup_token)
    page.click("button:has-text('Create administrator')")
    expect(page).to_have_url(re.compile(r"#/settings$"))
    expect(page.locator("#profile")).to_contain_text(username)


def log_out(page: Page) -> None:
    page.click("#nav button:has-text('Log out')")
    expect(page).to_have_url(re.compile(r"#/login"))


def log_in(page: Page, server, username: str, password: str = PASSWORD,
           code: str | None = None) -> None:
    if "#/login" not in page.url:
        page.goto(server.url + "/#/login")
    page.fill("#f-username", username)
    page.fill("#f-password", password)
    page.click("button:has-text('Log in')")
    if code is not None:
        page.fill("#f-code", code)
        page.click("button:has-text('Verify')")
    expect(page.locator("#nav")).to_contain_text(f"Log out {username}")


def code_at(secret: str, step: int) -> str:
    """The TOTP code ``step`` 30-second steps from now (each code works once, so the walk
    uses the previous, the current and the next step in turn)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * step)


def enrol_mfa(page: Page) -> str:
    page.goto(page.url.split("#")[0] + "#/settings")
    page.click("button:has-text('Set up two-step verification')")
    confirm_identity(page)
    qr = page.locator("img.qr")
    expect(qr).to_be_visible()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", qr.element_handle())
    assert qr.get_attribute("src").startswith("data:image/png;base64,")
    secret = page.locator(".mfa-secret").inner_text().strip()
    page.fill("#f-code", "000000" if code_at(secret, -1) != "000000" else "111111")
    page.click("button:has-text('Confirm')")
    # a wrong code is refused in words
    expect(page.locator(".notice.error:visible")).to_be_visible()
    page.fill("#f-code", code_at(secret, -1))
    page.click("button:has-text('Confirm')")
    expect(page.locator("#profile .mfa-state")).to_have_text("on")
    return secret


def send(page: Page, text: str) -> None:
    page.fill("textarea[name=message]", text)
    page.click(".composer button:has-text('Send')")


def answers(page: Page):
    return page.locator(".msg.assistant")


def confirm_identity(page: Page, password: str = PASSWORD, code: str | None = None) -> None:
    """Answer the re-authentication the server asks for before a sensitive action."""
    box = page.locator("dialog", has_text="Confirm it is you")
    expect(box).to_be_visible()
    box.locator("input[name=password]").fill(password)
    if code is not None:
        box.locator("input[name=code]").fill(code)
    box.locator("button:has-text('Confirm')").click()
    expect(box).to_have_count(0)
