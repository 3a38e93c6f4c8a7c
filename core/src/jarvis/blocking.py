"""A blocking client library's calls, run in a thread under one time limit."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


async def in_thread(job: Callable[[], T], *, seconds: float,
                    explain: Callable[[Exception], Exception],
                    timed_out: Callable[[], Exception]) -> T:
    """``job()`` in a worker thread, so a synchronous library (a CalDAV or CardDAV client)
    does not stall the event loop. What ``job`` raises comes out as ``explain(err)`` (translated
    in the thread, where the library's types are known); past ``seconds`` the caller gets
    ``timed_out()`` at once. The thread is not stopped: give each of its requests a time limit
    of its own so that it ends by itself."""

    def guarded() -> T:
        try:
            return job()
        except Exception as err:
            raise explain(err) from None

    try:
        async with asyncio.timeout(seconds):
            return await asyncio.to_thread(guarded)
    except TimeoutError:
        raise timed_out() from None
