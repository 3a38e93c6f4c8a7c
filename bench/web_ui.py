"""The web interface in Debian's Chromium: time to first paint of the chat page and to its
socket being ready, and a streamed answer's first chunk and whole text on screen, against the
same answer read by a bare WebSocket client (aiohttp, API key) from the same server."""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

import aiohttp

from .procs import free_port, process
from .ui_server import PASSWORD, USER

NAME = "web_ui"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

# In the page: the time from sending to the first chunk and to the whole answer on screen.
WATCH = """(marker) => new Promise((resolve) => {
  const log = document.querySelector(".messages");
  const start = performance.now();
  let first = null;
  const seen = () => {
    const answer = [...log.querySelectorAll(".msg.assistant")].pop();
    if (answer && first === null) first = performance.now() - start;
    if (answer && answer.textContent.includes(marker)) {
      observer.disconnect();
      resolve({ first, whole: performance.now() - start });
    }
  };
  const observer = new MutationObserver(seen);
  observer.observe(log, { childList: true, subtree: true, characterData: true });
  const text = document.querySelector("textarea[name=message]");
  text.value = window.benchMessage;
  document.querySelector(".composer").requestSubmit();
})"""


def _sizes(quick: bool, smoke: bool) -> tuple[int, int]:
    """(repetitions, words per answer)."""
    if smoke:
        return 2, 40
    return (5, 200) if quick else (15, 400)


def _message(words: int, n: int) -> tuple[str, str]:
    marker = f"END{n}"
    return " ".join(f"word{i}" for i in range(words)) + f" {marker}", marker


async def _bare(base: str, key: str, message: str, marker: str) -> tuple[float, float]:
    url = base.replace("http", "ws", 1) + f"/ws/bare-{time.monotonic_ns()}"
    async with aiohttp.ClientSession() as session, session.ws_connect(
            url, headers={"X-API-Key": key}) as ws:
        for _ in range(2):  # models, session
            await ws.receive_json()
        start = time.perf_counter()
        await ws.send_json({"type": "message", "content": message})
        first = None
        text = ""
        while True:
            frame = await ws.receive_json(timeout=60)
            if frame["type"] == "text":
                first = first if first is not None else time.perf_counter() - start
                text += frame["content"]
            elif frame["type"] in ("done", "error"):
                break
        if marker not in text:
            raise RuntimeError(f"the bare client's answer lacks {marker}: {frame}")
        return first * 1000, (time.perf_counter() - start) * 1000


async def _browser(base: str, reps: int, words: int) -> dict[str, list[float]]:
    from playwright.async_api import async_playwright

    out: dict[str, list[float]] = {"paint": [], "ready": [], "first": [], "whole": []}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = await browser.new_context()
        login = await context.request.post(f"{base}/api/auth/login",
                                           data={"username": USER, "password": PASSWORD})
        if login.status != 200:
            raise RuntimeError(f"login failed: HTTP {login.status}")
        for n in range(reps):
            page = await context.new_page()
            await page.goto(f"{base}/#/chat")
            await page.wait_for_selector(".conn[data-state=open]")
            ready = await page.evaluate("performance.now()")
            paint = await page.evaluate(
                "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null")
            message, marker = _message(words, n)
            await page.evaluate("(m) => { window.benchMessage = m; }", message)
            timing = await page.evaluate(WATCH, marker)
            out["ready"].append(ready)
            if paint is not None:
                out["paint"].append(paint)
            out["first"].append(timing["first"])
            out["whole"].append(timing["whole"])
            await page.close()
        await browser.close()
    return out


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


async def run(quick: bool, *, smoke: bool = False) -> dict[str, Any]:
    """Medians over the repetitions, and the browser's answer time over the bare client's."""
    if shutil.which(CHROMIUM) is None:
        raise RuntimeError(f"Chromium is not installed at {CHROMIUM}")
    reps, words = _sizes(quick, smoke)
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        with process([sys.executable, "-m", "bench.ui_server", str(port), tmp],
                     stdout=subprocess.PIPE) as server:
            line = await asyncio.get_running_loop().run_in_executor(
                None, server.proc.stdout.readline)
            if not line:
                server.proc.wait(10)
                server.check_alive()
            key = json.loads(line)["key"]
            base = f"http://127.0.0.1:{port}"
            bare_first, bare_whole = [], []
            for n in range(reps):
                first, whole = await _bare(base, key, *_message(words, n))
                bare_first.append(first)
                bare_whole.append(whole)
            seen = await _browser(base, reps, words)
            server.check_alive()
    out = {
        "repetitions": reps, "words_per_answer": words,
        "chat_first_paint_ms": _median(seen["paint"]) if seen["paint"] else None,
        "chat_ready_ms": _median(seen["ready"]),
        "browser_first_text_ms": _median(seen["first"]),
        "browser_answer_ms": _median(seen["whole"]),
        "bare_first_text_ms": _median(bare_first),
        "bare_answer_ms": _median(bare_whole),
    }
    out["answer_ratio"] = round(out["browser_answer_ms"] / max(out["bare_answer_ms"], 0.1), 2)
    out["first_text_ratio"] = round(
        out["browser_first_text_ms"] / max(out["bare_first_text_ms"], 0.1), 2)
    return out
