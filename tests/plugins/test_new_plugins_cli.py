"""``jarvis plugins`` lists the memory and contacts plugins with the tools they offer."""

from __future__ import annotations

import os
import subprocess
import sys


def blocks(listing: str) -> dict[str, list[str]]:
    """Each plugin's header line (by name) and the indented lines under it."""
    found: dict[str, list[str]] = {}
    for line in listing.splitlines():
        if line and not line.startswith(" "):
            current = found.setdefault(line.split(" ", 1)[0], [line])
        elif line:
            current.append(line.strip())
    return found


def test_jarvis_plugins_lists_memory_and_contacts_with_their_tools(tmp_path):
    env = {**os.environ, "JARVIS_DATA_DIR": str(tmp_path / "data")}
    env.pop("JARVIS_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "jarvis", "plugins"], capture_output=True,
                          text=True, env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    found = blocks(done.stdout)
    memory, contacts = found["memory"], found["contacts"]
    assert memory[0] == "memory 0.2.0 (jarvis-memory)"
    assert "tools: memory_capture, memory_search, memory_recent, memory_stats" in memory
    assert contacts[0] == "contacts 0.2.0 (jarvis-contacts)"
    assert "tools: contacts_list, contacts_search, contacts_create, contacts_update" in contacts
    assert any(line.startswith("routes: ") and "/api/my/contacts" in line for line in contacts)
