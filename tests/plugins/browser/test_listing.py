"""``jarvis plugins`` lists the browser and search plugins with their tools."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def test_jarvis_plugins_lists_the_browser_and_search_with_their_tools(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("JARVIS_")}
    done = subprocess.run([sys.executable, "-m", "jarvis", "plugins", "--json"],
                          capture_output=True, text=True, timeout=120,
                          env={**env, "JARVIS_DATA_DIR": str(tmp_path / "data")})
    assert done.returncode == 0, done.stderr
    rows = {row["name"]: row for row in json.loads(done.stdout)}
    assert rows["browser"]["distribution"] == "jarvis-browser"
    assert rows["browser"]["tools"] == [
        "browser_open", "browser_read", "browser_screenshot", "browser_click", "browser_fill",
        "browser_select", "browser_press"]
    assert rows["search"]["distribution"] == "jarvis-search"
    assert rows["search"]["tools"] == ["web_search"]
    assert "browser.action" in rows["web"]["policies"]
    text = subprocess.run([sys.executable, "-m", "jarvis", "plugins"], capture_output=True,
                          text=True, timeout=120,
                          env={**env, "JARVIS_DATA_DIR": str(tmp_path / "data")})
    assert "  tools: web_search" in text.stdout
    assert "  tools: browser_open, browser_read, browser_screenshot" in text.stdout
