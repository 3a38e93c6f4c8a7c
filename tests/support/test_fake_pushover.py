"""FakePushover answers an HTTP client the way Pushover's message API does."""

import time

import aiohttp
import pytest
from jarvis.testing.fake_pushover import DEFAULT_APP_TOKEN, DEFAULT_USER_KEY, FakePushover

VALID = {"token": DEFAULT_APP_TOKEN, "user": DEFAULT_USER_KEY, "message": "Backup finished"}


@pytest.fixture
async def fake():
    async with FakePushover(monthly_limit=100) as server:
        yield server


async def post(fake, data=None, json=None, path="/1/messages.json"):
    async with aiohttp.ClientSession() as session, session.post(
        fake.url + path, data=data, json=json
    ) as response:
        return response.status, await response.json(), response.headers


async def test_form_post_is_accepted_and_recorded(fake):
    status, body, headers = await post(fake, data={
        **VALID, "title": "Jarvis", "priority": "1", "url": "https://example.org/x",
        "url_title": "Details", "sound": "pushover", "html": "1", "timestamp": "1700000000"})
    assert status == 200
    assert body["status"] == 1 and len(body["request"]) == 36
    assert set(body) == {"status", "request"}
    [sent] = fake.sent
    assert (sent.user, sent.message, sent.title, sent.priority) == (
        DEFAULT_USER_KEY, "Backup finished", "Jarvis", 1)
    assert (sent.url_title, sent.sound, sent.html, sent.timestamp) == (
        "Details", "pushover", True, 1700000000)
    assert sent.request == body["request"]
    assert headers["X-Limit-App-Limit"] == "100"
    assert headers["X-Limit-App-Remaining"] == "99"
    assert int(headers["X-Limit-App-Reset"]) > time.time()


async def test_json_post_is_accepted(fake):
    status, body, _ = await post(fake, json={**VALID, "priority": -1})
    assert (status, body["status"]) == (200, 1)
    assert fake.sent[0].priority == -1


async def test_multipart_attachment_is_kept(fake):
    form = aiohttp.FormData(VALID)
    form.add_field("attachment", b"\x89PNG fake", filename="chart.png", content_type="image/png")
    status, _, _ = await post(fake, data=form)
    assert status == 200 and fake.sent[0].attachment == b"\x89PNG fake"


async def test_invalid_token(fake):
    status, body, _ = await post(fake, data={**VALID, "token": "a" * 30})
    assert status == 400
    assert body == {"token": "invalid", "errors": ["application token is invalid"],
                    "status": 0, "request": body["request"]}
    assert fake.sent == []


async def test_invalid_user(fake):
    status, body, _ = await post(fake, data={**VALID, "user": "u" * 30})
    assert status == 400
    assert body["user"] == "invalid" and body["status"] == 0
    assert body["errors"] == [
        "user identifier is not a valid user, group, or subscribed user key"]


async def test_blank_message(fake):
    status, body, _ = await post(fake, data={**VALID, "message": "  "})
    assert status == 400
    assert (body["message"], body["errors"]) == ("cannot be blank", ["message cannot be blank"])


@pytest.mark.parametrize(("name", "limit"), [
    ("message", 1024), ("title", 250), ("url", 512), ("url_title", 100)])
async def test_length_limits(fake, name, limit):
    assert (await post(fake, data={**VALID, name: "x" * limit}))[0] == 200
    status, body, _ = await post(fake, data={**VALID, name: "x" * (limit + 1)})
    assert status == 400
    assert body["errors"] == [f"{name} cannot be longer than {limit} characters"]
    assert len(fake.sent) == 1


async def test_priority_range_and_emergency_parameters(fake):
    status, body, _ = await post(fake, data={**VALID, "priority": "3"})
    assert status == 400 and body["errors"] == ["priority must be between -2 and 2"]
    status, body, _ = await post(fake, data={**VALID, "priority": "2"})
    assert status == 400 and set(body) >= {"retry", "expire"}
    status, body, _ = await post(fake, data={
        **VALID, "priority": "2", "retry": "60", "expire": "3600"})
    assert status == 200 and len(body["receipt"]) == 30
    assert (fake.sent[0].retry, fake.sent[0].expire) == (60, 3600)


async def test_several_errors_are_reported_together(fake):
    status, body, _ = await post(fake, data={
        "token": DEFAULT_APP_TOKEN, "user": "nobody", "title": "t" * 251})
    assert status == 400
    assert {"user", "message", "title"} <= set(body) and len(body["errors"]) == 3


async def test_monthly_quota_runs_out():
    async with FakePushover(monthly_limit=2) as fake:
        for _ in range(2):
            assert (await post(fake, data=VALID))[0] == 200
        status, body, headers = await post(fake, data=VALID)
    assert status == 429
    assert body["errors"] == ["application has exceeded its monthly message limit"]
    assert body["status"] == 0 and headers["X-Limit-App-Remaining"] == "0"
    assert len(fake.sent) == 2


async def test_quota_can_be_set_directly(fake):
    fake.remaining = 0
    assert (await post(fake, data=VALID))[0] == 429


async def test_scripted_server_error_then_recovery(fake):
    fake.fail_next(503)
    status, body, _ = await post(fake, data=VALID)
    assert (status, body["status"]) == (503, 0)
    assert (await post(fake, data=VALID))[0] == 200
    assert len(fake.sent) == 1 and len(fake.requests) == 2


async def test_unknown_device_is_rejected(fake):
    status, body, _ = await post(fake, data={**VALID, "device": "tablet"})
    assert status == 400 and "device" in body
    assert (await post(fake, data={**VALID, "device": "phone"}))[0] == 200


async def test_validate_user(fake):
    status, body, _ = await post(fake, path="/1/users/validate.json", data={
        "token": DEFAULT_APP_TOKEN, "user": DEFAULT_USER_KEY})
    assert (status, body["status"], body["devices"]) == (200, 1, ["phone"])
    status, body, _ = await post(fake, path="/1/users/validate.json", data={
        "token": DEFAULT_APP_TOKEN, "user": "x" * 30})
    assert (status, body["user"], body["status"]) == (400, "invalid", 0)


async def test_outage_and_recovery_on_the_same_address(fake):
    await fake.close()
    with pytest.raises(aiohttp.ClientConnectionError):
        await post(fake, data=VALID)
    await fake.start()
    assert (await post(fake, data=VALID))[0] == 200
