"""Identity helpers for tests: users, logins, API keys, and a test client that sends the
server's own ``Origin`` on state-changing requests (cookie-authenticated ones need it).

    client = await start_client(app)            # anonymous; starts the app
    async with running(app) as client: ...      # the same, closed at the end of the block
    async with logged_in(app, "admin") as admin: ...     # started, with a new admin logged in
    user = await create_user(app, "alice", "a long password", role="user")
    await login(client, "alice", "a long password")
    key = await api_key_for(app, user)
    body = await expect(await client.post("/api/x", json={...}), 201)   # the JSON, status checked
    agent = await make_agent(client, "Inbox", allowed_tools=["email"])  # POST /api/agents
    bob = await client.as_user("user", username="bob")   # another client, same server
    await bob.reauth()                          # "sudo mode" for protected actions
    await client.close()                        # closes bob too

Most tests want the fixtures of :mod:`jarvis.testing.pytest_plugin` instead (``admin_client``,
``user_client``, ``make_client``, ...), which a conftest loads with
``pytest_plugins = ["jarvis.testing.pytest_plugin"]``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from itertools import count
from typing import Any

from aiohttp import ClientResponse, web
from aiohttp.test_utils import BaseTestServer, TestClient, TestServer
from yarl import URL

from jarvis.auth.http import COOKIE_NAME, SAFE_METHODS
from jarvis.auth.passwords import hash_password
from jarvis.auth.users import insert_user
from jarvis.keys import DATABASE, IDENTITY
from jarvis.tools import UserRef

PASSWORD = "correct horse battery staple"  # noqa: S105 - the test users' password

# Hashing costs ~0.2 s on purpose; tests reuse one hash per password instead of paying it per user.
_hashes: dict[str, str] = {}


class JarvisClient(TestClient):
    """A TestClient that adds ``Origin: <this server>`` to unsafe requests and WebSocket
    upgrades (unless the test sets one), and can open more clients on the same server."""

    def __init__(self, server: BaseTestServer, *, parent: JarvisClient | None = None,
                 **kwargs: Any):
        super().__init__(server, **kwargs)
        self.user: UserRef | None = None
        self.password: str | None = None
        self._parent = parent  # None: this client started the server and stops it
        self._children: list[JarvisClient] = []
        self._names = count(2)

    @property
    def origin(self) -> str:
        return str(self.make_url("/").origin())

    def _with_origin(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        headers = dict(kwargs.pop("headers", None) or {})
        if not any(k.lower() == "origin" for k in headers):
            headers["Origin"] = self.origin
        return {**kwargs, "headers": headers}

    async def _request(self, method: str, path: Any, **kwargs: Any):
        if method.upper() not in SAFE_METHODS:
            kwargs = self._with_origin(kwargs)
        return await super()._request(method, path, **kwargs)

    async def _ws_connect(self, path: Any, **kwargs: Any):
        return await super()._ws_connect(path, **self._with_origin(kwargs))

    async def spawn(self) -> JarvisClient:
        """A new anonymous client (own cookie jar) on the same server, closed with this one."""
        root = self._root()
        child = JarvisClient(root.server, parent=root)
        await child.start_server()
        root._children.append(child)
        return child

    async def as_user(
        self, who: str | UserRef = "user", *, username: str | None = None, password: str = PASSWORD
    ) -> JarvisClient:
        """A new client logged in as ``who``: a role ("admin" or "user", a user is created) or
        an existing user (logged in with a fresh session)."""
        if isinstance(who, str):
            root = self._root()
            name = username or (who if not root._has_user(who) else f"{who}{next(root._names)}")
            user = await create_user(self.app, name, password, role=who)
        else:
            user = who
        child = await self.spawn()
        await session_for(child, user)
        child.user, child.password = user, password
        return child

    async def reauth(self, code: str | None = None) -> dict[str, Any]:
        """Confirm this client's password again (``POST /api/auth/reauth``; ``code`` for a user
        with MFA): protected actions are allowed in its session for a few minutes."""
        body: dict[str, Any] = {"password": self.password or PASSWORD}
        if code is not None:
            body["code"] = code
        resp = await self.post("/api/auth/reauth", json=body)
        answer = await resp.json()
        assert resp.status == 200, f"re-authentication failed: {resp.status} {answer}"
        return answer

    def _root(self) -> JarvisClient:
        return self._parent or self

    def _has_user(self, name: str) -> bool:
        return any(c.user and c.user.username == name for c in [self, *self._children])

    async def close(self) -> None:
        for child in self._children:
            await child.close()
        self._children.clear()
        if self._parent is None:
            await super().close()
        elif not self._closed:
            for resp in self._responses:
                resp.close()
            for ws in self._websockets:
                await ws.close()
            await self._session.close()
            self._closed = True


async def start_client(app: web.Application) -> JarvisClient:
    """Start ``app`` on a test server and return an anonymous client for it (close it after)."""
    client = JarvisClient(TestServer(app))
    await client.start_server()
    return client


@asynccontextmanager
async def running(app: web.Application) -> AsyncIterator[JarvisClient]:
    """``async with running(app) as client``: start ``app``; the client is closed afterwards."""
    client = await start_client(app)
    try:
        yield client
    finally:
        await client.close()


@asynccontextmanager
async def logged_in(app: web.Application, who: str = "user") -> AsyncIterator[JarvisClient]:
    """``async with logged_in(app, "admin") as admin``: start ``app`` and log in as a new user
    of that role; everything is closed afterwards."""
    async with running(app) as client:
        yield await client.as_user(who)


def _app_of(app_or_client: web.Application | TestClient) -> web.Application:
    return app_or_client.app if isinstance(app_or_client, TestClient) else app_or_client


async def create_user(
    app: web.Application | TestClient, username: str, password: str = PASSWORD, role: str = "user"
) -> UserRef:
    """Add a user directly (no HTTP). The app must be started (a client made for it)."""
    if password not in _hashes:
        _hashes[password] = hash_password(password)
    return await insert_user(_app_of(app)[DATABASE], username, _hashes[password], role)


async def login(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, Any]:
    """Log in through ``POST /api/auth/login``; the cookie lands in the client's jar. Returns the
    answer (``{"mfa_required": true, "challenge": ...}`` for a user with MFA)."""
    resp = await client.post(
        "/api/auth/login",
        json={"username": username, "password": password},
        headers={"Origin": str(client.make_url("/").origin())},
    )
    body = await resp.json()
    assert resp.status == 200, f"login as {username} failed: {resp.status} {body}"
    return body


async def session_for(client: TestClient, user: UserRef) -> None:
    """Give ``client`` a session cookie for ``user`` without the password check (fast setup)."""
    ident = client.app[IDENTITY]
    _sid, token, _ = await ident.sessions.create(user.id)
    client.session.cookie_jar.update_cookies(
        {COOKIE_NAME: ident.signer.sign(token)}, response_url=URL(str(client.make_url("/")))
    )


async def expect(resp: ClientResponse, status: int = 200) -> Any:
    """The JSON answer of ``resp`` (an aiohttp response), asserting its status; a different
    status fails the test showing the answer."""
    body = await resp.json()
    assert resp.status == status, f"expected HTTP {status}, got {resp.status}: {body}"
    return body


async def make_agent(client: TestClient, name: str = "Agent", **fields: Any) -> dict[str, Any]:
    """A new agent of the client's user (``POST /api/agents``); ``fields`` are its other fields
    (``prompt`` defaults to one line, ``allowed_tools``, ``model``, ...). Returns the API's
    answer, whose ``id`` names the agent."""
    body = {"name": name, "prompt": f"You are {name}.", **fields}
    return dict(await expect(await client.post("/api/agents", json=body), 201))


async def api_key_for(
    app_or_client: web.Application | TestClient, user: UserRef | str, name: str = "test"
) -> str:
    """A new API key of ``user`` (a UserRef or a user id)."""
    user_id = user if isinstance(user, str) else user.id
    _kid, key, _prefix = await _app_of(app_or_client)[IDENTITY].keys.create(user_id, name)
    return key
