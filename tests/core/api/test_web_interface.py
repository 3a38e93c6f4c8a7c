"""The web interface's server side: its files under a strict CSP, the plugins' panel
declarations (bound to their own routes, shown by access), and the schedule preview."""

from __future__ import annotations

from datetime import datetime

import pytest
from aiohttp import web
from jarvis import (
    Access,
    ActionSection,
    FormSection,
    ListSection,
    Routes,
    SettingsPanel,
    hookimpl,
)
from jarvis.auth.headers import CONTENT_SECURITY_POLICY
from jarvis.plugins import PluginError
from pydantic import BaseModel, Field

routes = Routes("notes")


class NoteIn(BaseModel):
    text: str = Field(min_length=1, description="what to remember")
    secret_token: str | None = None


@routes.get("/api/notes", access=Access.ADMIN)
async def list_notes(request: web.Request) -> list:
    return [{"text": "one"}]


@routes.post("/api/notes", access=Access.ADMIN, body=NoteIn)
async def add_note(request: web.Request, body: NoteIn) -> dict:
    return {"ok": True}


@routes.delete("/api/notes/{text}", access=Access.ADMIN)
async def remove_note(request: web.Request) -> dict:
    return {"ok": True}


@routes.get("/api/my/notes", access=Access.USER)
async def my_notes(request: web.Request) -> dict:
    return {"text": "mine", "secret_token_set": True}


@routes.post("/api/my/notes", access=Access.USER, body=NoteIn)
async def save_my_notes(request: web.Request, body: NoteIn) -> dict:
    return {"ok": True}


class NotesPlugin:
    __name__ = "notes"

    @hookimpl
    def register_routes(self, settings):
        return routes

    @hookimpl
    def register_settings_panels(self, settings):
        return [SettingsPanel("notes", "Notes", [
            ListSection("Shared notes", "/api/notes", remove="/api/notes/{text}"),
            FormSection("My notes", "/api/my/notes"),
        ])]


class StrayPanel:
    """A panel naming a route this plugin does not have (the core's)."""

    __name__ = "stray"

    @hookimpl
    def register_settings_panels(self, settings):
        return [SettingsPanel("stray", "Stray", [ActionSection("Pause", "/api/pause")])]


@pytest.fixture
def jarvis_plugins():
    return [NotesPlugin()]


async def test_the_page_and_its_files_are_served_under_the_strict_policy(anon_client):
    resp = await anon_client.get("/")
    assert resp.status == 200
    assert resp.content_type == "text/html"
    assert resp.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert resp.headers["X-Frame-Options"] == "DENY"
    html = await resp.text()
    assert '<script type="module" src="/ui/js/app.js">' in html
    assert "<script>" not in html and "style=" not in html and " on" not in html.replace(
        " one", "")

    script = await anon_client.get("/ui/js/app.js")
    assert script.status == 200 and script.content_type == "text/javascript"
    etag = script.headers["ETag"]
    again = await anon_client.get("/ui/js/app.js", headers={"If-None-Match": etag})
    assert again.status == 304


async def test_only_shipped_files_are_served(anon_client):
    for path in ("/ui/js/nothing.js", "/ui/../app.py", "/ui/%2e%2e/routes.py",
                 "/ui/js/../../routes.py"):
        resp = await anon_client.get(path)
        assert resp.status == 404, path
        assert (await resp.json())["error"]


async def test_no_interface_file_sets_html_from_strings():
    from jarvis.ui.assets import assets

    scripts = {name: a.body.decode() for name, a in assets().items() if name.endswith(".js")}
    assert len(scripts) > 10
    for name, text in scripts.items():
        for unsafe in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert unsafe not in text, f"{name} uses {unsafe}"


async def test_panels_show_each_user_the_sections_their_access_allows(client_as):
    admin = await client_as("admin")
    user = await client_as("user")
    seen = await (await admin.get("/api/ui/panels")).json()
    notes = next(p for p in seen if p["id"] == "notes")
    assert notes["plugin"] == "notes"
    shared, mine = notes["sections"]
    assert (shared["kind"], shared["admin"]) == ("list", True)
    assert shared["remove"] == "/api/notes/{text}"
    assert shared["input_schema"]["properties"]["text"]["description"] == "what to remember"
    assert (mine["kind"], mine["admin"], mine["method"]) == ("form", False, "POST")

    as_user = await (await user.get("/api/ui/panels")).json()
    notes = next(p for p in as_user if p["id"] == "notes")
    assert [s["title"] for s in notes["sections"]] == ["My notes"]


async def test_a_panel_naming_a_route_of_another_plugin_stops_start_up(make_app):
    with pytest.raises(PluginError, match="stray.*POST /api/pause.*not one of the plugin's routes"):
        make_app(StrayPanel())


async def test_the_built_in_plugins_bring_panels(make_client):
    client = await make_client(entrypoints=True)
    from jarvis.keys import REGISTRY

    ids = {panel.id for _plugin, panel in client.app[REGISTRY].panels}
    assert {"web", "filesystem", "telegram", "email", "caldav", "pushover"} <= ids


async def test_schedule_preview_lists_the_next_fires(user_client):
    resp = await user_client.get("/api/schedule-preview", params={"schedule": "0  8 * * 1-5",
                                                                  "count": "3"})
    assert resp.status == 200
    body = await resp.json()
    assert body["schedule"] == "0 8 * * 1-5"
    times = [datetime.fromisoformat(t.replace("Z", "+00:00")) for t in body["next"]]
    assert len(times) == 3 and times == sorted(times)
    assert all(t.minute == 0 for t in times)


async def test_schedule_preview_names_a_bad_schedule(user_client):
    resp = await user_client.get("/api/schedule-preview", params={"schedule": "61 * * * *"})
    assert resp.status == 400
    assert (await resp.json())["error"].startswith("schedule:")
    resp = await user_client.get("/api/schedule-preview", params={"schedule": "* * *"})
    assert resp.status == 400 and "five fields" in (await resp.json())["error"]
