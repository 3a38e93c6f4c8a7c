"""The built wheels in a fresh virtual environment: jarvis-server and one plugin resolve to those
wheels and nothing else named alike, `jarvis install` / `uninstall` work there, the example
plugin's own tests pass with nothing but the wheels and the [test] extra, and a core install
without the provider plugins (nor their SDKs) starts and serves the API."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def sh(*cmd, cwd=None, env=None, timeout=600) -> str:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, f"{cmd}: {done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.mark.slow
def test_fresh_environment_from_the_wheels(tmp_path):
    uv = shutil.which("uv")
    assert uv, "uv is needed to build the wheels"
    wheels = tmp_path / "wheels"
    for package in ("jarvis-server", "jarvis-hello"):
        sh(uv, "build", "--quiet", "--package", package, "--wheel", "--out-dir", wheels, cwd=ROOT)
    (core,) = wheels.glob("jarvis_server-0.2.0-*.whl")
    (hello,) = wheels.glob("jarvis_hello-0.2.0-*.whl")
    venv = tmp_path / "venv"
    sh(uv, "venv", "--quiet", venv)
    python = venv / "bin" / "python"
    sh(uv, "pip", "install", "--quiet", "--python", python, f"{core}[test]")
    sh(venv / "bin" / "jarvis", "install", hello)  # the running interpreter's environment

    listed = json.loads(sh(uv, "pip", "list", "--python", python, "--format", "json"))
    alike = {p["name"]: p["version"] for p in listed if "jarvis" in p["name"].lower()}
    assert alike == {"jarvis-server": "0.2.0", "jarvis-hello": "0.2.0"}
    origin = sh(python, "-c", "import jarvis, jarvis_hello; print(jarvis.__file__); "
                "print(jarvis_hello.__file__)")
    assert all(line.startswith(str(venv)) for line in origin.split())  # not the workspace's

    tests = tmp_path / "hello"
    shutil.copytree(ROOT / "examples" / "hello-plugin" / "tests", tests / "tests")
    shutil.copy(ROOT / "examples" / "hello-plugin" / "pyproject.toml", tests / "pyproject.toml")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    out = sh(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=tests, env=env)
    assert " passed" in out and "failed" not in out

    no_sdks = sh(python, "-c", "import importlib.util as u; "
                 "print([m for m in ('anthropic', 'litellm', 'jarvis_anthropic', 'jarvis_litellm')"
                 " if u.find_spec(m)])")
    assert no_sdks.strip() == "[]"
    served = {**env, "JARVIS_DATA_DIR": str(tmp_path / "data")}
    listing = sh(venv / "bin" / "jarvis", "plugins", "--json", env=served)
    assert {p["name"] for p in json.loads(listing)} == {"hello"}
    assert_serves(venv / "bin" / "jarvis", served)
    sh(venv / "bin" / "jarvis", "uninstall", "jarvis-hello")
    listed = json.loads(sh(uv, "pip", "list", "--python", python, "--format", "json"))
    assert "jarvis-hello" not in {p["name"] for p in listed}


@pytest.mark.slow
def test_every_wheel_ships_its_type_marker(tmp_path):
    # PEP 561: without py.typed a type checker ignores the annotations of an installed package
    uv = shutil.which("uv")
    assert uv, "uv is needed to build the wheels"
    sh(uv, "build", "--quiet", "--all-packages", "--wheel", "--out-dir", tmp_path, cwd=ROOT)
    packages = {p.parent.name for p in ROOT.glob("*/*/src/*/__init__.py")}
    packages.add("jarvis")
    found = {}
    for wheel in tmp_path.glob("*.whl"):
        names = zipfile.ZipFile(wheel).namelist()
        found.update({n.split("/")[0]: wheel.name for n in names if n.endswith("/py.typed")})
    assert set(found) >= packages, f"no py.typed in {sorted(packages - set(found))}"


def assert_serves(jarvis: Path, env: dict[str, str]) -> None:
    """`jarvis serve` starts, answers /health and the API (the models list: none, no provider)."""
    server = subprocess.Popen([str(jarvis), "serve", "--port", "0"], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = server.stdout.readline()
        assert "listening on " in line, line + server.stderr.read()
        url = line.rsplit(" ", 1)[1].strip()
        with urllib.request.urlopen(f"{url}/health", timeout=30) as resp:  # noqa: S310
            assert json.loads(resp.read())["status"] == "ok"
        with urllib.request.urlopen(f"{url}/api/openapi.json", timeout=30) as resp:  # noqa: S310
            assert "/api/models" in json.loads(resp.read())["paths"]
    finally:
        server.terminate()
        deadline = time.monotonic() + 30
        while server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if server.poll() is None:
            server.kill()
        server.communicate()
