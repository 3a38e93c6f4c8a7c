"""A write killed half-way leaves the old content or the new one, never a mix."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# The child loads jarvis.paths alone (the package's __init__ would import the whole server,
# seconds of start-up that have nothing to do with what is tested).
WRITER = textwrap.dedent("""
    import importlib.util, sys, time, types
    package = types.ModuleType("jarvis")
    package.__path__ = importlib.util.find_spec("jarvis").submodule_search_locations
    sys.modules["jarvis"] = package
    from jarvis.paths import write_atomic

    root, name, pause = sys.argv[1], sys.argv[2], sys.argv[3] == "pause"

    def chunks():
        for i in range(8):
            yield b"N" * 65536
            if pause and i == 3:
                print("half-way", flush=True)
                time.sleep(60)

    write_atomic(root, name, chunks())
    print("done", flush=True)
""")


def run_writer(root, name: str, pause: bool) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(root), name, "pause" if pause else "go"],
        stdout=subprocess.PIPE, text=True,
    )


def test_a_writer_killed_half_way_leaves_the_old_content(tmp_path):
    target = tmp_path / "report.txt"
    target.write_bytes(b"old content")
    proc = run_writer(tmp_path, "report.txt", pause=True)
    try:
        assert proc.stdout.readline().strip() == "half-way"
        assert target.read_bytes() == b"old content"  # the new bytes go to a temporary file
        proc.kill()
    finally:
        proc.wait(timeout=10)
        proc.stdout.close()
    assert proc.returncode != 0
    assert target.read_bytes() == b"old content"


def test_a_writer_that_finishes_leaves_the_whole_new_content(tmp_path):
    target = tmp_path / "report.txt"
    target.write_bytes(b"old content")
    proc = run_writer(tmp_path, "report.txt", pause=False)
    out, _ = proc.communicate(timeout=30)
    assert out.strip() == "done"
    assert target.read_bytes() == b"N" * 65536 * 8
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]  # no temporary file left
