"""The process plumbing under the launchers: failures are explained, imports stay lazy."""

import subprocess
import sys

import pytest
from jarvis.testing.servers import ServerProcess, free_port, imap_server, radicale_server


async def test_a_server_that_dies_at_start_is_reported_with_its_output(tmp_path):
    script = "import sys; print('cannot open config file'); sys.exit(3)"
    process = ServerProcess("broken", [sys.executable, "-c", script], free_port(),
                            tmp_path / "broken.log")
    with pytest.raises(RuntimeError, match="broken exited with 3") as failed:
        await process.start()
    assert "cannot open config file" in str(failed.value)
    assert not process.running


async def test_a_server_that_never_listens_times_out(tmp_path):
    script = "import time; time.sleep(30)"
    process = ServerProcess("silent", [sys.executable, "-c", script], free_port(),
                            tmp_path / "silent.log")
    with pytest.raises(RuntimeError, match="did not listen"):
        await process.start(ready_within=0.3)
    assert not process.running


async def test_stop_and_start_serve_the_same_port_again(tmp_path):
    port = free_port()
    script = ("import socket, time; s = socket.socket(); "
              "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); "
              f"s.bind(('127.0.0.1', {port})); s.listen(); time.sleep(60)")
    process = ServerProcess("listener", [sys.executable, "-c", script], port,
                            tmp_path / "listener.log")
    await process.start()
    assert process.running
    await process.stop()
    assert not process.running
    await process.restart()
    assert process.running
    await process.stop()


@pytest.mark.parametrize("launcher", [radicale_server, imap_server])
async def test_user_names_that_would_break_the_password_file_are_refused(launcher):
    with pytest.raises(ValueError, match="must not hold"):
        async with launcher(users={"eve:admin": "x"}):
            pass


def test_importing_the_launchers_does_not_import_the_servers():
    code = ("import sys, jarvis.testing.servers; "
            "print(sorted(m for m in ('radicale', 'pymap', 'aiosmtpd', 'aioimaplib') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
