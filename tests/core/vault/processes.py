"""Running the ``jarvis`` command in a child process against the test's database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

# Tests on PostgreSQL keep to a schema of their own: the child gets it the same way the app
# factory does (the command itself has no such option).
WRAPPER = """
import sys
import jarvis.db as db
schema = sys.argv[1]
if schema:
    original = db.Database.__init__
    def init(self, url, **kw):
        if kw.get("schema") is None:
            kw["schema"] = schema
        original(self, url, **kw)
    db.Database.__init__ = init
from jarvis.cli import main
sys.exit(main(sys.argv[2:]))
"""


def jarvis_env(data_dir: Path, database: dict[str, Any], **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JARVIS_")}
    env.update(
        JARVIS_DATA_DIR=str(data_dir), JARVIS_DATABASE_URL=database["url"],
        JARVIS_DISABLE_PLUGINS="anthropic,litellm",
    )
    env.update(extra)
    return env


def jarvis_argv(database: dict[str, Any], *args: str) -> list[str]:
    return [sys.executable, "-c", WRAPPER, database["schema"] or "", *args]


def run_jarvis(data_dir: Path, database: dict[str, Any], *args: str, stdin: str = "",
               **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        jarvis_argv(database, *args), input=stdin, capture_output=True, text=True, timeout=120,
        env=jarvis_env(data_dir, database, **env),
    )
