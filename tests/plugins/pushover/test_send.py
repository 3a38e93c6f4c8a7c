"""pushover_send against the Pushover fake: what arrives, and each refusal as a clear error."""

from __future__ import annotations

import pytest
from jarvis.testing.plugins import contributions

from .conftest import APP_TOKEN, USER_KEY, send, set_app_token, set_user_key


@pytest.fixture
async def ready(admin_client, user_client):
    """A user with a user key, on a server with the app token."""
    await set_app_token(admin_client)
    await set_user_key(user_client)
    return user_client


async def test_a_message_arrives_with_title_priority_and_link(ready, pushover):
    result = await send(ready, message="Backup finished", title="Jarvis", priority=1,
                        url="https://example.org/backups", url_title="Details")
    assert result.ok, result.error
    assert result.content == "Notification sent to all your devices."
    [sent] = pushover.sent
    assert (sent.user, sent.message, sent.title, sent.priority) == (
        USER_KEY, "Backup finished", "Jarvis", 1)
    assert (sent.url, sent.url_title, sent.device) == (
        "https://example.org/backups", "Details", None)
    assert pushover.requests[0]["token"] == APP_TOKEN


async def test_the_users_device_is_used(admin_client, user_client, pushover):
    await set_app_token(admin_client)
    await set_user_key(user_client, device="laptop")
    result = await send(user_client, message="hi")
    assert result.ok and "laptop" in result.content
    assert pushover.sent[0].device == "laptop"


async def test_emergency_priority_sends_retry_and_expire(ready, pushover):
    result = await send(ready, message="Server down", priority=2, retry=60, expire=3600)
    assert result.ok and "Emergency receipt:" in result.content
    assert (pushover.sent[0].retry, pushover.sent[0].expire) == (60, 3600)


@pytest.mark.parametrize(("args", "error"), [
    ({"priority": 2}, "retry: required with priority 2"),
    ({"priority": 2, "retry": 60}, "expire: required with priority 2"),
    ({"priority": 1, "retry": 60}, "retry: only with priority 2"),
    ({"priority": 3}, "priority"),
    ({"url": "javascript:alert(1)"}, "url"),
])
def test_bad_arguments_are_refused_before_sending(anon_client, args, error):
    tool = contributions(anon_client).tools["pushover_send"]
    with pytest.raises(ValueError, match=error):
        tool.Input.model_validate({"message": "x", **args})


async def test_a_missing_user_key_tells_the_user_to_set_it(admin_client, user_client, pushover):
    await set_app_token(admin_client)
    result = await send(user_client, message="hi")
    assert not result.ok
    assert "you have not set your Pushover user key" in result.error
    assert "Settings → Pushover" in result.error
    assert pushover.requests == []


async def test_a_missing_app_token_names_the_credential(user_client, pushover):
    await set_user_key(user_client)
    result = await send(user_client, message="hi")
    assert not result.ok
    assert "system:pushover_app_token" in result.error and "admin" in result.error
    assert pushover.requests == []


async def test_an_invalid_user_key_is_a_clear_error(admin_client, user_client, pushover):
    await set_app_token(admin_client)
    await set_user_key(user_client, key="x" * 30)
    result = await send(user_client, message="hi")
    assert not result.ok
    assert "Pushover does not accept your user key" in result.error
    assert "x" * 30 not in result.error
    assert pushover.sent == []


async def test_an_invalid_app_token_is_a_clear_error(admin_client, user_client, pushover):
    await set_app_token(admin_client, token="t" * 30)
    await set_user_key(user_client)
    result = await send(user_client, message="hi")
    assert not result.ok
    assert "rejected the application token" in result.error
    assert "system:pushover_app_token" in result.error and "t" * 30 not in result.error


@pytest.mark.parametrize("monthly_limit", [1])
async def test_an_exhausted_quota_is_a_clear_error(ready, pushover):
    assert (await send(ready, message="first")).ok
    result = await send(ready, message="second")
    assert not result.ok
    assert "used up its monthly message limit" in result.error and "resets on" in result.error
    assert [m.message for m in pushover.sent] == ["first"]


@pytest.mark.parametrize("status", [500, 503])
async def test_a_server_error_is_a_clear_error(ready, pushover, status):
    pushover.fail_next(status)
    result = await send(ready, message="hi")
    assert not result.ok
    assert f"Pushover is having problems (HTTP {status}); try again later" in result.error


async def test_an_unknown_device_is_a_clear_error(admin_client, user_client, pushover):
    await set_app_token(admin_client)
    await set_user_key(user_client, device="tablet")
    result = await send(user_client, message="hi")
    assert not result.ok and "does not know the device" in result.error


async def test_pushover_that_is_down_is_a_clear_error(ready, pushover):
    await pushover.close()
    result = await send(ready, message="hi")
    assert not result.ok and result.error.startswith("not sent: could not reach Pushover")


def test_the_tool_is_a_side_effect_in_its_group(anon_client):
    tool = contributions(anon_client).tools["pushover_send"]
    assert tool.side_effect and tool.group == "pushover"
    assert not tool.requires_confirmation(tool.Input.model_validate({"message": "x"}))


async def test_messages_go_through_the_guarded_client(ready, pushover):
    from jarvis import GuardedHttp
    from jarvis.testing.plugins import run_tool, tool_context

    ctx = tool_context(ready.app, ready.user)
    ctx.http = GuardedHttp()  # the production client: loopback is refused
    result = await run_tool(ready, "pushover_send", ctx, message="hi")
    assert not result.ok and "127.0.0.1 is a loopback address" in result.error
    assert pushover.requests == []
