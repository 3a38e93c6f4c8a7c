"""The start/stop scaffolding of the loopback fakes: one aiohttp app on a local port."""

from __future__ import annotations

from typing import Any, Self

from aiohttp import web


class LoopbackServer:
    """Serves :meth:`make_app` on ``host`` (127.0.0.1): a fresh port first, the same port again
    after ``close()``, so a test can take the server away and bring it back."""

    runner_options: dict[str, Any] = {}  # e.g. shutdown_timeout, for subclasses to set

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """The server's root URL, e.g. ``http://127.0.0.1:41234``."""
        if not self.port:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return f"http://{self.host}:{self.port}"

    def make_app(self) -> web.Application:
        """The app to serve (called on every start)."""
        raise NotImplementedError

    async def start(self) -> Self:
        """Listen on loopback."""
        self._runner = web.AppRunner(self.make_app(), **self.runner_options)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port, reuse_address=True).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        """Stop listening; what the fake recorded stays."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
