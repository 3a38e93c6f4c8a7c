"""Start-up imports nothing heavy that it does not use: building the app with every bundled
plugin and starting it (no plugin configured to reach anything) leaves the model SDKs, the
messaging, calendar, MCP and browser libraries unimported; their first use imports them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("litellm", "anthropic", "telegram", "caldav", "mcp", "playwright", "icalendar",
         "niquests", "vobject", "httpx2")
BUNDLED = sorted(f"jarvis_{p.name}" for p in (ROOT / "plugins").iterdir()
                 if (p / "pyproject.toml").is_file())

SCRIPT = """
import asyncio, json, sys
import jarvis
from aiohttp import web
from jarvis.app import create_app
from jarvis.settings import Settings

async def main():
    data = sys.argv[1]
    settings = Settings(data_dir=data, database_url=f"sqlite+aiosqlite:///{data}/jarvis.db")
    runner = web.AppRunner(create_app(settings))
    await runner.setup()  # the start-up hooks of the core and every plugin
    try:
        return sorted(sys.modules)
    finally:
        await runner.cleanup()

print(json.dumps(asyncio.run(main())))
"""


def loaded_after_start(data: Path) -> set[str]:
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(data)], capture_output=True,
                         text=True, timeout=300, cwd=ROOT, check=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_start_up_imports_no_heavy_library(tmp_path):
    modules = loaded_after_start(tmp_path)
    missing = [name for name in BUNDLED if name not in modules]
    assert not missing, f"bundled plugins not loaded, so not checked: {missing}"
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert not heavy, f"imported before first use: {heavy}"


def test_the_check_sees_a_heavy_import(tmp_path):
    """The same subprocess reports a library once something imports it (the check can fail)."""
    script = SCRIPT.replace("import jarvis\n", "import jarvis\nimport icalendar\n")
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True,
                         text=True, timeout=300, cwd=ROOT, check=True).stdout
    assert "icalendar" in json.loads(out.splitlines()[-1])
