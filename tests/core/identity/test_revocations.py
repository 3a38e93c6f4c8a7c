"""A logout, a deleted key, a disabled user or a new role takes effect on the very next request,
in this server process and (PostgreSQL) in another one sharing the database, although both
answer a known credential from their cache."""

from __future__ import annotations

import asyncio

import pytest
from jarvis.auth import accounts
from jarvis.auth.cache import AuthCache
from jarvis.auth.http import COOKIE_NAME
from jarvis.auth.login import logout
from jarvis.keys import AUTHENTICATOR, IDENTITY
from jarvis.testing.clients import create_user, start_client
from jarvis.testing.polling import eventually
from jarvis.testing.pytest_plugin import TEST_DATABASE
from jarvis.web import Principal


@pytest.fixture(params=["this process", "another process"])
async def other(request, anon_client, make_app):
    """Where the credentials are used: the app that revokes them, or a second app on the same
    database (PostgreSQL only: on SQLite one server process owns the database)."""
    if request.param == "this process":
        yield anon_client
        return
    if TEST_DATABASE != "postgresql":
        pytest.skip("several server processes share a PostgreSQL database")
    client = await start_client(make_app())
    yield client
    await client.close()


async def _credentials(app, user):
    ident = app[IDENTITY]
    session_id, token, _ = await ident.sessions.create(user.id)
    key_id, key, _ = await ident.keys.create(user.id, "test")
    return session_id, ident.signer.sign(token), key_id, key


async def _status(client, cookie=None, key=None, path="/api/status") -> int:
    headers = {"Cookie": f"{COOKIE_NAME}={cookie}"} if cookie else {"X-API-Key": key}
    resp = await client.get(path, headers=headers)
    return resp.status


async def _known(client, cookie, key) -> None:
    """Both credentials work there, and the second use is answered from the cache."""
    for _ in range(2):
        assert await _status(client, cookie=cookie) == 200
        assert await _status(client, key=key) == 200
    cache = client.app[AUTHENTICATOR].cache
    assert cache.get(cookie) is not None and cache.get(key) is not None


async def test_logout_and_key_deletion(anon_client, other):
    app = anon_client.app
    alice = await create_user(app, "alice")
    session_id, cookie, key_id, key = await _credentials(app, alice)
    _s2, cookie2, _k2, key2 = await _credentials(app, alice)
    await _known(other, cookie, key)
    await _known(other, cookie2, key2)

    await logout(app[IDENTITY], Principal(alice, "cookie", session_id=session_id))
    assert await _status(other, cookie=cookie) == 401
    assert await _status(other, cookie=cookie2) == 200  # her other session goes on

    await accounts.delete_api_key(app[IDENTITY], alice, key_id)
    assert await _status(other, key=key) == 401
    assert await _status(other, key=key2) == 200


async def _alice_known_to(other, app):
    """An admin, and Alice with a session and a key the other process has already cached."""
    admin = await create_user(app, "root", role="admin")
    alice = await create_user(app, "alice")
    _sid, cookie, _kid, key = await _credentials(app, alice)
    await _known(other, cookie, key)
    return admin, alice, cookie, key


async def test_disabling_a_user(anon_client, other):
    app = anon_client.app
    admin, alice, cookie, key = await _alice_known_to(other, app)
    await accounts.update_user(app[IDENTITY], admin, alice.id, is_active=False)
    assert await _status(other, cookie=cookie) == 401
    assert await _status(other, key=key) == 401


async def test_role_changes(anon_client, other):
    app = anon_client.app
    admin, alice, cookie, key = await _alice_known_to(other, app)
    admin_only = "/api/credentials"
    assert await _status(other, cookie=cookie, path=admin_only) == 403
    await accounts.update_user(app[IDENTITY], admin, alice.id, role="admin")
    assert await _status(other, cookie=cookie, path=admin_only) == 200
    assert await _status(other, key=key, path=admin_only) == 200
    await accounts.update_user(app[IDENTITY], admin, alice.id, role="user")
    assert await _status(other, key=key, path=admin_only) == 403
    assert await _status(other, cookie=cookie, path=admin_only) == 403


def _sql_changes(alice_id: str, session_id: str, key_id: str) -> dict:
    from jarvis.auth.sql import api_keys, sessions, users
    from sqlalchemy import delete, update

    return {
        "logout": [delete(sessions).where(sessions.c.id == session_id)],
        "key deleted": [delete(api_keys).where(api_keys.c.id == key_id)],
        "disabled": [update(users).where(users.c.id == alice_id).values(is_active=False)],
        "new role": [update(users).where(users.c.id == alice_id).values(role="admin")],
    }


@pytest.mark.parametrize("change", ["logout", "key deleted", "disabled", "new role"])
async def test_a_change_made_in_sql_reaches_the_other_process(anon_client, other, change):
    """Whoever changes the rows (the command line, plain SQL), the processes hear of it."""
    if other is anon_client:
        pytest.skip("a change outside the server process reaches it through PostgreSQL")
    from jarvis.keys import DATABASE

    app = anon_client.app
    alice = await create_user(app, "alice")
    session_id, cookie, key_id, key = await _credentials(app, alice)
    await _known(other, cookie, key)
    admin_only = "/api/credentials"
    assert await _status(other, key=key, path=admin_only) == 403
    async with app[DATABASE].write() as conn:
        for statement in _sql_changes(alice.id, session_id, key_id)[change]:
            await conn.execute(statement)
    # A change that no server made reaches the others with PostgreSQL's notification, which
    # arrives a moment after the commit (a request in that moment is still served): wait for it.
    cache = other.app[AUTHENTICATOR].cache
    await eventually(lambda: cache.get(cookie) is None or cache.get(key) is None, within=5)
    expected = {
        "logout": {"cookie": 401, "key": 200, "admin": 403},
        "key deleted": {"cookie": 200, "key": 401, "admin": 401},
        "disabled": {"cookie": 401, "key": 401, "admin": 401},
        "new role": {"cookie": 200, "key": 200, "admin": 200},
    }[change]
    assert await _status(other, cookie=cookie) == expected["cookie"]
    assert await _status(other, key=key) == expected["key"]
    assert await _status(other, key=key, path=admin_only) == expected["admin"]


@pytest.mark.parametrize("credential", ["cookie", "key"])
async def test_a_revocation_during_a_lookup_is_not_undone_by_it(anon_client, other, credential):
    """A request that read the session or key just before it was revoked may still be
    answered, but what it read is not kept: the next request is refused."""
    app = anon_client.app
    alice = await create_user(app, "alice")
    session_id, cookie, key_id, key = await _credentials(app, alice)
    authenticator = other.app[AUTHENTICATOR]
    store = authenticator.sessions if credential == "cookie" else authenticator.keys
    read, release = asyncio.Event(), asyncio.Event()
    real = store.lookup

    async def held(hashed):
        row = await real(hashed)
        read.set()
        await release.wait()
        return row

    used = {"cookie": cookie} if credential == "cookie" else {"key": key}
    store.lookup = held
    try:
        first = asyncio.create_task(_status(other, **used))
        await read.wait()
        before = authenticator.cache.generation
        if credential == "cookie":
            await logout(app[IDENTITY], Principal(alice, "cookie", session_id=session_id))
        else:
            await accounts.delete_api_key(app[IDENTITY], alice, key_id)
        await eventually(lambda: authenticator.cache.generation != before, within=5)
    finally:
        store.lookup = real
        release.set()
    assert await first == 200  # it read the row before the revocation
    assert await _status(other, **used) == 401


async def test_first_uses_at_once_share_one_read(anon_client):
    app = anon_client.app
    alice = await create_user(app, "alice")
    _sid, cookie, _kid, key = await _credentials(app, alice)
    ident = app[IDENTITY]
    reads = []
    for store in (ident.sessions, ident.keys):
        real = store.lookup

        async def counted(hashed, real=real):
            reads.append(hashed)
            return await real(hashed)

        store.lookup = counted
    statuses = await asyncio.gather(*[_status(anon_client, cookie=cookie) for _ in range(10)],
                                    *[_status(anon_client, key=key) for _ in range(10)])
    assert statuses == [200] * 20
    assert len(reads) == 2


def test_the_cache_stays_bounded_and_drops_the_oldest_first():
    cache = AuthCache(max_entries=3)
    for i in range(4):
        cache.put(f"credential {i}", f"hash {i}", "user", i)
    assert len(cache) == 3
    assert cache.get("credential 0") is None
    assert [cache.get(f"credential {i}") for i in (1, 2, 3)] == [1, 2, 3]


def test_a_value_read_before_a_drop_is_not_kept():
    cache = AuthCache()
    read_at = cache.generation
    cache.drop_user("someone else")
    cache.put("credential", "hash", "user", "stale", read_at)
    assert cache.get("credential") is None
    cache.put("credential", "hash", "user", "fresh", cache.generation)
    assert cache.get("credential") == "fresh"


def test_entries_expire_after_their_time_to_live():
    now = [0.0]
    cache = AuthCache(ttl=5, clock=lambda: now[0])
    cache.put("credential", "hash", "user", "value")
    now[0] = 4.9
    assert cache.get("credential") == "value"
    now[0] = 5.0
    assert cache.get("credential") is None


async def _refused(client, **credentials) -> bool:
    return await _status(client, **credentials) == 401


@pytest.mark.parametrize("header", [
    "jarvis_session=abc.def", "a=1; jarvis_session=abc.def; b=2",
    "jarvis_session=one; jarvis_session=two",
    'jarvis_session="quoted value"', "other=1", "xjarvis_session=nope; jarvis_session_x=no", "",
    "jarvis_session=", " jarvis_session = spaced.value ;",
])
def test_the_cookie_is_found_as_the_full_parser_finds_it(header):
    from aiohttp.test_utils import make_mocked_request
    from jarvis.auth.authenticator import cookie_value

    request = make_mocked_request("GET", "/", headers={"Cookie": header} if header else {})
    assert cookie_value(request, COOKIE_NAME) == request.cookies.get(COOKIE_NAME)
