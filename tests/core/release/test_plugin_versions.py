"""A plugin built for another Jarvis is refused at start-up, by name, before it is imported."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata

import jarvis
import pytest
from jarvis.plugins import PluginError, build_plugin_manager


def install_fake_plugin(root, name: str, requires: str, body: str = "") -> None:
    """A distribution on sys.path: metadata, a ``jarvis`` entry point and its module."""
    info = root / f"jarvis_{name}-1.0.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: jarvis-{name}\nVersion: 1.0.0\nRequires-Dist: {requires}\n")
    (info / "entry_points.txt").write_text(f"[jarvis]\n{name} = jarvis_{name}\n")
    (root / f"jarvis_{name}.py").write_text(body)


def test_the_version_comes_from_one_place():
    assert metadata.version("jarvis-server") == jarvis.__version__ == "0.2.0"


def test_a_plugin_for_another_major_version_is_refused_by_name(tmp_path, monkeypatch,
                                                               make_settings):
    install_fake_plugin(tmp_path, "oldie", "jarvis-server<0.2,>=0.1",
                        'raise ImportError("imported although refused")')
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(PluginError) as err:
        build_plugin_manager(make_settings())
    assert str(err.value) == (
        "plugin oldie (jarvis-oldie 1.0.0) needs jarvis-server<0.2,>=0.1 but this is 0.2.0: "
        "install a jarvis-oldie made for this version or disable it "
        "(JARVIS_DISABLE_PLUGINS=oldie)")
    pm = build_plugin_manager(make_settings(disable_plugins=["oldie"]))
    assert not pm.has_plugin("oldie")


def test_a_plugin_for_this_version_loads(tmp_path, monkeypatch, make_settings):
    install_fake_plugin(tmp_path, "fresh", "jarvis-server>=0.2,<0.3", "LOADED = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    pm = build_plugin_manager(make_settings())
    assert pm.get_plugin("fresh").LOADED is True


def test_the_cli_says_it_in_one_line(tmp_path):
    install_fake_plugin(tmp_path, "oldie", "jarvis-server>=1,<2")
    result = subprocess.run(
        [sys.executable, "-m", "jarvis", "plugins"], capture_output=True, text=True,
        env={"PYTHONPATH": str(tmp_path), "JARVIS_DATA_DIR": str(tmp_path / "data"),
             "PATH": "/usr/bin:/bin"}, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "jarvis: error: plugin oldie (jarvis-oldie 1.0.0) needs jarvis-server<2,>=1 but this is "
        "0.2.0: install a jarvis-oldie made for this version or disable it "
        "(JARVIS_DISABLE_PLUGINS=oldie)")


def test_every_workspace_plugin_declares_the_versions_it_works_with():
    for dist in metadata.distributions():
        if not any(ep.group == "jarvis" for ep in dist.entry_points):
            continue
        reqs = [r for r in dist.requires or [] if r.startswith("jarvis-server") and ";" not in r]
        assert reqs == ["jarvis-server<0.3,>=0.2"], (dist.metadata["Name"], reqs)
