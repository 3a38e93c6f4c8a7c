"""The sample ``jarvis.toml``: every setting of :class:`jarvis.settings.Settings`, explained,
with its default. ``python -m jarvis.settings_sample > deploy/jarvis.toml`` writes it; a test
keeps the committed file equal to this output, and every setting must be described here."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from .settings import Settings

# setting -> (what it does, an example value when the default is unset)
DOCS: dict[str, tuple[str, Any]] = {
    "data_dir": ("Where the SQLite database, the vault key file and users' folders live.", None),
    "host": ("The address `jarvis serve` listens on (0.0.0.0 for every interface).", None),
    "port": ("The port `jarvis serve` listens on.", None),
    "database_url": ("The database; unset: SQLite in data_dir.",
                     "postgresql+asyncpg://jarvis@db.example/jarvis"),
    "master_password": ("Derive the vault key from this password instead of a key file "
                        "(set it with `jarvis credentials rotate`; better in the environment).",
                        "a long passphrase"),
    "metrics_token": ("The bearer token Prometheus sends to /metrics (16 characters or more); "
                      "unset: /metrics is off.", "a-long-random-token"),
    "disable_plugins": ("Plugins not to load, by entry-point name.", ["telegram"]),
    "load_plugins": ("Load only these plugins, by entry-point name (an empty list loads "
                     "none); unset: every installed plugin not in disable_plugins.",
                     ["email", "anthropic"]),
    "skip_failing_plugins": ("Start without a plugin that fails to import or to register (a "
                             "warning names it) instead of refusing to start.", None),
    "trusted_proxies": ("Proxies whose X-Forwarded-* headers are believed.", ["127.0.0.1"]),
    "allowed_private_hosts": ("LAN hosts tools may reach although private (names, addresses or "
                              "networks, optionally :port).", ["192.168.1.20", "nas.lan:8443"]),
    "users_base_folder": ("Where users' own folders live; unset: data_dir/users.",
                          "/srv/jarvis-users"),
    "time_zone": ("The time zone of prompts and schedules.", None),
    "log_level": ("DEBUG, INFO, WARNING or ERROR (`--log-level` on the command line).", None),
    "log_format": ("text, or json for one JSON object a line (time, level, logger, message and "
                   "the request's fields).", None),
    "plugins": ("Each plugin's own settings, in a section [plugins.<name>] (see "
                "docs/using-plugins.md).", None),
}

HEADER = """\
# jarvis.toml: every setting of the Jarvis server, with its default (commented out).
# Each one can also come from the environment as JARVIS_<NAME> (e.g. JARVIS_PORT=8081), which
# wins over this file; JARVIS_CONFIG names another file. A misspelt or invalid setting stops
# start-up with one line naming it. Settings admins change at run time (limits, security,
# the default model) live in the database instead: see /api/settings/*.
"""


def _toml(value: Any) -> str:
    if isinstance(value, Path):
        value = value.as_posix()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value))


def sample() -> str:
    lines = [HEADER]
    for name, field in Settings.model_fields.items():
        if name not in DOCS:
            raise KeyError(f"setting {name} has no description in jarvis.settings_sample.DOCS")
        doc, example = DOCS[name]
        default = field.get_default(call_default_factory=True)
        if default is None and "unset" not in doc:
            doc += " Unset by default."
        lines += textwrap.wrap(doc, 98, initial_indent="# ", subsequent_indent="# ")
        if name == "plugins":
            lines += ["# [plugins.email]", "# connect_timeout = 20.0", ""]
            continue
        shown = example if default is None or example is not None else default
        if default is not None and example is not None:
            lines.append(f"# (default: {_toml(default)})")
        lines += [f"# {name} = {_toml(shown)}", ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(sample(), end="")
