"""HTTP overhead: Jarvis's /health and authenticated /api/status against a bare aiohttp app
answering the same JSON, each server in its own process, load from another process."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from .procs import free_port, jarvis_env, load, process, wait_until_up
from .session import admin_credentials

NAME = "http"


async def _bare(seconds: float) -> dict:
    port = free_port()
    with process([sys.executable, "-m", "bench.bare_app", str(port)]):
        base = f"http://127.0.0.1:{port}"
        await wait_until_up(f"{base}/health")
        return {
            "health": await load(f"{base}/health", seconds),
            "status": await load(f"{base}/api/status", seconds),
        }


async def _jarvis(seconds: float, database_url: str | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = jarvis_env(Path(tmp), port, database_url)
        with process([sys.executable, "-m", "jarvis", "serve"], env):
            base = f"http://127.0.0.1:{port}"
            await wait_until_up(f"{base}/health")
            out = {"health": await load(f"{base}/health", seconds)}
            creds = await admin_credentials(base, Path(tmp), env)
            if creds is not None:
                out["status_cookie"] = await load(f"{base}/api/status", seconds, headers=creds.cookie_headers)
                out["status_api_key"] = await load(f"{base}/api/status", seconds, headers=creds.key_headers)
            return out


async def run(quick: bool, database_url: str | None = None) -> dict:
    seconds = 2.0 if quick else 10.0
    bare = await _bare(seconds)
    jarvis = await _jarvis(seconds, database_url)
    figures = {
        "bare_health_rps": round(bare["health"]["rps"]),
        "jarvis_health_rps": round(jarvis["health"]["rps"]),
        "health_ratio": round(jarvis["health"]["rps"] / bare["health"]["rps"], 3),
        "jarvis_health_p99_ms": round(jarvis["health"]["p99_ms"], 2),
    }
    for name in ("status_cookie", "status_api_key"):
        if name in jarvis:
            result = jarvis[name]
            figures[f"{name}_rps"] = round(result["rps"])
            figures[f"{name}_vs_bare_status"] = round(result["rps"] / bare["status"]["rps"], 3)
            figures[f"{name}_vs_jarvis_health"] = round(result["rps"] / jarvis["health"]["rps"], 3)
            figures[f"{name}_errors"] = result["errors"]
    return figures
