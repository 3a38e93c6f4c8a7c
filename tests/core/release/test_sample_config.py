"""deploy/jarvis.toml shows every setting, cannot go stale, and is valid when uncommented."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from jarvis.settings import Settings, load_settings
from jarvis.settings_sample import sample

SAMPLE = Path(__file__).resolve().parents[3] / "deploy" / "jarvis.toml"


def test_the_committed_sample_is_the_generated_one():
    assert SAMPLE.read_text() == sample(), (
        "deploy/jarvis.toml is stale: python -m jarvis.settings_sample > deploy/jarvis.toml")


def test_every_setting_is_in_the_sample():
    text = SAMPLE.read_text()
    for name in Settings.model_fields:
        assert f"# {name} = " in text or f"# [{name}." in text, name


def test_the_sample_uncommented_is_valid(tmp_path, monkeypatch):
    lines = [line[2:] for line in SAMPLE.read_text().splitlines()
             if line.startswith("# ") and (" = " in line or line.startswith("# ["))
             and not line.startswith("# (")]
    config = tmp_path / "jarvis.toml"
    config.write_text("\n".join(lines) + "\n")
    values = tomllib.loads(config.read_text())
    assert set(values) == set(Settings.model_fields)
    for var in [v for v in os.environ if v.startswith("JARVIS_")]:
        monkeypatch.delenv(var)
    monkeypatch.setenv("JARVIS_CONFIG", str(config))
    settings = load_settings()
    assert settings.port == 8080 and settings.disable_plugins == ["telegram"]
    assert settings.plugins["email"]["connect_timeout"] == 20.0
