"""What a server install gets: the server and its plugins, not the example plugin."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_example_plugin_is_not_part_of_a_server_install():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    served = project["project"]["dependencies"]
    assert "jarvis-server" in served and "jarvis-email" in served
    assert "jarvis-hello" not in served  # installed for its tests only
    assert "jarvis-hello" in project["dependency-groups"]["dev"]


def test_serve_and_test_use_separate_environments():
    serve = (ROOT / "scripts" / "serve").read_text()
    test = (ROOT / "scripts" / "test").read_text()
    assert 'UV_PROJECT_ENVIRONMENT="${UV_PROJECT_ENVIRONMENT:-.venv-serve}"' in serve
    assert "--no-dev --inexact" in serve and "--all-packages" not in serve
    assert "UV_PROJECT_ENVIRONMENT" not in test and "--all-packages" in test
