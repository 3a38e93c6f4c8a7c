"""``jarvis plugin new NAME`` writes a plugin package whose own tests pass."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest
from jarvis.cli import CommandError
from jarvis.cli.install import installer
from jarvis.cli.template import new_plugin


def test_the_new_plugin_passes_its_tests(tmp_path):
    root = new_plugin("weather", tmp_path)
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert project["name"] == "jarvis-weather"
    assert project["dependencies"] == ["jarvis-server>=0.2,<0.3"]
    assert project["entry-points"]["jarvis"] == {"weather": "jarvis_weather"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "2 passed" in done.stdout


@pytest.mark.parametrize("name", ["Weather", "1x", "we-ather", ""])
def test_bad_names_are_refused(tmp_path, name):
    with pytest.raises(CommandError, match="invalid plugin name"):
        new_plugin(name, tmp_path)


def test_an_existing_folder_is_left_alone(tmp_path):
    (tmp_path / "jarvis-weather").mkdir()
    with pytest.raises(CommandError, match="exists already"):
        new_plugin("weather", tmp_path)


def test_install_targets_the_running_interpreter():
    cmd = installer("install")
    assert sys.executable in cmd
