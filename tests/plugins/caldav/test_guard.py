"""CalDAV servers are outbound connections under the guard's rules: private and loopback
hosts are refused unless an admin allows the host ([plugins.caldav] allowed_private_hosts);
the test-only loopback allowance comes from the app's guarded client, never from settings."""

from __future__ import annotations

import jarvis_caldav
import pytest
from aiohttp import web
from jarvis import SettingsError
from jarvis.testing.plugins import BUILTIN_PROVIDERS, run_tool

from .conftest import FAST, save_settings, settings_body


@pytest.fixture
def jarvis_outbound_http():
    """The app's own guarded client: no test allowance."""
    return None


@pytest.fixture
def caldav_section(request, radicale):
    """Parametrize indirectly with allowed_private_hosts entries; {port} is Radicale's."""
    allowed = [entry.format(port=radicale.port) for entry in getattr(request, "param", [])]
    return {**FAST, "allowed_private_hosts": allowed}


async def test_a_loopback_server_is_refused_without_an_allowance(user_client, radicale,
                                                                  dav_user):
    await save_settings(user_client, settings_body(radicale, dav_user))
    result = await run_tool(user_client, "caldav_list_events")
    assert not result.ok
    assert "refused: 127.0.0.1 is a loopback address" in result.error
    assert "allowed_private_hosts" in result.error
    answer = await (await user_client.post("/api/my/caldav/test")).json()
    assert answer["ok"] is False and "127.0.0.1 is a loopback address" in answer["error"]


async def test_a_name_is_checked_after_resolving_it(user_client, radicale, dav_user):
    await save_settings(user_client, settings_body(
        radicale, dav_user, server_url=f"http://localhost:{radicale.port}/"))
    result = await run_tool(user_client, "caldav_create_event", summary="x", start="2026-05-04")
    assert not result.ok and "loopback address (resolved from localhost)" in result.error


async def test_a_private_lan_address_is_refused(user_client, dav_user):
    await save_settings(user_client, {"server_url": "http://192.168.1.20:5232/",
                                       "username": dav_user[0], "password": dav_user[1]})
    result = await run_tool(user_client, "caldav_list_events")
    assert not result.ok and "192.168.1.20 is a private address" in result.error


@pytest.mark.parametrize("caldav_section", [["127.0.0.1:{port}"]], indirect=True)
async def test_an_admin_allowed_address_is_reachable(user_client, radicale, dav_user):
    await save_settings(user_client, settings_body(radicale, dav_user))
    created = await run_tool(user_client, "caldav_create_event", summary="LAN", start="2026-05-04")
    assert created.ok, created.error
    answer = await (await user_client.post("/api/my/caldav/test")).json()
    assert answer == {"ok": True, "calendars": ["Work"], "error": None}


@pytest.mark.parametrize("caldav_section", [["localhost:{port}"]], indirect=True)
async def test_an_admin_allowed_name_is_reachable_by_that_name_only(user_client, radicale,
                                                                     dav_user):
    await save_settings(user_client, settings_body(
        radicale, dav_user, server_url=f"http://localhost:{radicale.port}/"))
    listed = await run_tool(user_client, "caldav_list_events")
    assert listed.ok, listed.error
    await save_settings(user_client, settings_body(radicale, dav_user))  # by address: refused
    refused = await run_tool(user_client, "caldav_list_events")
    assert not refused.ok and "loopback" in refused.error


@pytest.mark.parametrize("caldav_section", [["127.0.0.1:1"]], indirect=True)
async def test_an_allowance_for_another_port_does_not_open_the_server(user_client, radicale,
                                                                       dav_user):
    await save_settings(user_client, settings_body(radicale, dav_user))
    result = await run_tool(user_client, "caldav_list_events")
    assert not result.ok and "loopback" in result.error


@pytest.mark.parametrize(("section", "named"), [
    ({"allowed_private_hosts": ["not a host"]}, "plugins.caldav.allowed_private_hosts"),
    ({"allowed_private_hosts": ["169.254.169.254"]}, "metadata"),
    ({"allow_loopback_for_tests": ["127.0.0.1"]}, "plugins.caldav.allow_loopback_for_tests"),
])
def test_bad_settings_stop_start_up_naming_the_field(make_app, section, named):
    with pytest.raises(SettingsError, match=named):
        make_app(jarvis_caldav, disable_plugins=BUILTIN_PROVIDERS, plugins={"caldav": section})


class TestRedirects:
    """Redirects are followed only within the server's own origin."""

    @pytest.fixture
    def jarvis_outbound_http(self):
        from jarvis import GuardedHttp

        return GuardedHttp(allow_loopback_for_tests={"127.0.0.1"})

    async def test_a_redirect_to_another_server_is_refused(self, aiohttp_server, user_client,
                                                           radicale, dav_user):
        async def away(request: web.Request) -> web.Response:
            raise web.HTTPMovedPermanently(f"{radicale.url}{request.path.lstrip('/')}")

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", away)
        server = await aiohttp_server(app, host="127.0.0.1")
        await save_settings(user_client, settings_body(
            radicale, dav_user, server_url=f"http://127.0.0.1:{server.port}/"))
        result = await run_tool(user_client, "caldav_list_events")
        assert not result.ok
        assert f"redirected to {radicale.url.rstrip('/')}, another server" in result.error
