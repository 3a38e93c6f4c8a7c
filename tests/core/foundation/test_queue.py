"""The run queue: never more running than the limit, FIFO, live limit changes, pause."""

from __future__ import annotations

import asyncio

from jarvis.runtime.queue import RunQueue


async def _worker(queue: RunQueue, tracker: dict, order: list, ident: int, hold: asyncio.Event):
    async with queue.slot():
        order.append(ident)
        tracker["now"] += 1
        tracker["peak"] = max(tracker["peak"], tracker["now"])
        await hold.wait()
        tracker["now"] -= 1


async def _settle():
    for _ in range(5):
        await asyncio.sleep(0)


async def test_never_more_running_than_the_limit_and_fifo():
    queue = RunQueue(3)
    tracker, order, hold = {"now": 0, "peak": 0}, [], asyncio.Event()
    tasks = [asyncio.create_task(_worker(queue, tracker, order, i, hold)) for i in range(20)]
    await _settle()
    assert queue.snapshot() == {"running": 3, "queued": 17, "max_concurrent": 3}
    hold.set()
    await asyncio.gather(*tasks)
    assert tracker["peak"] == 3
    assert order == list(range(20))
    assert queue.snapshot() == {"running": 0, "queued": 0, "max_concurrent": 3}


async def test_raising_the_limit_live_starts_waiting_runs():
    queue = RunQueue(2)
    tracker, order, hold = {"now": 0, "peak": 0}, [], asyncio.Event()
    tasks = [asyncio.create_task(_worker(queue, tracker, order, i, hold)) for i in range(10)]
    await _settle()
    assert tracker["now"] == 2
    queue.set_limit(5)
    await _settle()
    assert tracker["now"] == 5
    assert queue.snapshot() == {"running": 5, "queued": 5, "max_concurrent": 5}
    hold.set()
    await asyncio.gather(*tasks)
    assert tracker["peak"] == 5


async def test_lowering_the_limit_live_lets_running_runs_finish():
    queue = RunQueue(4)
    tracker, order, hold = {"now": 0, "peak": 0}, [], asyncio.Event()
    first = [asyncio.create_task(_worker(queue, tracker, order, i, hold)) for i in range(4)]
    await _settle()
    queue.set_limit(1)
    later_hold = asyncio.Event()
    later_tracker = {"now": 0, "peak": 0}
    later = [
        asyncio.create_task(_worker(queue, later_tracker, order, 10 + i, later_hold))
        for i in range(3)
    ]
    await _settle()
    assert queue.snapshot() == {"running": 4, "queued": 3, "max_concurrent": 1}
    hold.set()
    await asyncio.gather(*first)
    await _settle()
    assert later_tracker["now"] == 1
    later_hold.set()
    await asyncio.gather(*later)
    assert later_tracker["peak"] == 1


async def test_pause_holds_new_runs_until_resume():
    queue = RunQueue(3)
    queue.pause()
    tracker, order, hold = {"now": 0, "peak": 0}, [], asyncio.Event()
    hold.set()
    tasks = [asyncio.create_task(_worker(queue, tracker, order, i, hold)) for i in range(4)]
    await _settle()
    assert order == []
    assert queue.snapshot()["queued"] == 4
    waiter = asyncio.create_task(queue.wait_if_paused())
    await _settle()
    assert not waiter.done()
    queue.resume()
    await asyncio.gather(*tasks, waiter)
    assert order == [0, 1, 2, 3]


async def test_cancelled_waiter_leaves_no_trace():
    queue = RunQueue(1)
    await queue.acquire()
    waiter = asyncio.create_task(queue.acquire())
    await _settle()
    assert queue.queued == 1
    waiter.cancel()
    await _settle()
    assert queue.queued == 0
    queue.release()
    assert queue.snapshot() == {"running": 0, "queued": 0, "max_concurrent": 1}
    async with queue.slot():
        assert queue.running == 1


async def test_many_concurrent_acquirers_with_limit_changes_hold_the_limit():
    queue = RunQueue(3)
    peak = 0

    async def run(i):
        nonlocal peak
        async with queue.slot():
            peak = max(peak, queue.running)
            await asyncio.sleep(0.001 * (i % 3))

    async def fiddle():
        for limit in [1, 5, 2, 4, 3]:
            queue.set_limit(limit)
            await asyncio.sleep(0.002)

    await asyncio.gather(fiddle(), *(run(i) for i in range(200)))
    # Lowering the limit lets running runs finish, so the peak is bounded by the highest limit
    # set; every run got through and nothing is left counted.
    assert 1 <= peak <= 5
    assert queue.snapshot() == {"running": 0, "queued": 0, "max_concurrent": 3}
