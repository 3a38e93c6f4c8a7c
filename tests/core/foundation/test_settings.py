"""Settings: environment, jarvis.toml, validation with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from jarvis.settings import SettingsError, load_settings


def test_environment_variables_are_read(monkeypatch, tmp_path):
    monkeypatch.setenv("JARVIS_PORT", "9999")
    monkeypatch.setenv("JARVIS_DISABLE_PLUGINS", "web,telegram")
    settings = load_settings(data_dir=tmp_path)
    assert settings.port == 9999
    assert settings.disable_plugins == ["web", "telegram"]


def test_toml_file_and_plugin_sections(monkeypatch, tmp_path):
    config = tmp_path / "jarvis.toml"
    config.write_text(
        'port = 8123\ntime_zone = "Europe/Berlin"\n[plugins.hello]\ngreeting = "Hi"\n'
    )
    monkeypatch.setenv("JARVIS_CONFIG", str(config))
    settings = load_settings()
    assert settings.port == 8123
    assert settings.time_zone == "Europe/Berlin"
    assert settings.plugins["hello"] == {"greeting": "Hi"}


def test_environment_wins_over_file(monkeypatch, tmp_path):
    config = tmp_path / "jarvis.toml"
    config.write_text("port = 8123\n")
    monkeypatch.setenv("JARVIS_CONFIG", str(config))
    monkeypatch.setenv("JARVIS_PORT", "8200")
    assert load_settings().port == 8200


@pytest.mark.parametrize(
    ("env", "value", "expected"),
    [
        ("JARVIS_PORT", "eighty", "invalid setting port:"),
        ("JARVIS_PORT", "70000", "invalid setting port:"),
        (
            "JARVIS_TIME_ZONE",
            "Mars/Olympus",
            "invalid setting time_zone: Value error, unknown time zone",
        ),
        ("JARVIS_NO_SUCH_THING", "1", "invalid setting no_such_thing:"),
    ],
)
def test_bad_setting_names_the_setting(monkeypatch, env, value, expected):
    monkeypatch.setenv(env, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert str(info.value).startswith(expected)
    assert "\n" not in str(info.value)


def test_default_database_is_sqlite_in_data_folder(tmp_path):
    settings = load_settings(data_dir=tmp_path / "d")
    assert settings.resolved_database_url == f"sqlite+aiosqlite:///{tmp_path / 'd' / 'jarvis.db'}"


def test_serve_with_bad_setting_prints_one_line_and_exits(tmp_path):
    env = {**os.environ, "JARVIS_PORT": "eighty"}
    proc = subprocess.run(
        [sys.executable, "-m", "jarvis", "serve", "--data-dir", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("jarvis: error: invalid setting port:")
