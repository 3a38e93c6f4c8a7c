"""Every start-up mistake stops `jarvis serve` with one line on stderr and exit status 2."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess

import pytest
from jarvis.testing.servers import free_port

from ..vault.processes import run_jarvis
from .commands import serving


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line of a failed start (the test fails showing all of it else)."""
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1, done.stderr
    assert "Listening" not in done.stdout and "listening" not in done.stdout
    return lines[0]


def serve(tmp_path, database, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_jarvis(tmp_path / "data", database, "serve", "--port", "0", *args, **env)


def test_a_port_in_use(tmp_path, database):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_jarvis(tmp_path / "data", database, "serve", "--port", str(port))
    assert one_line(done) == (
        f"jarvis: error: cannot listen on 127.0.0.1:{port}: the port is in use (another server "
        "is running there? set --port or JARVIS_PORT)"
    )


def test_postgresql_down_names_the_database_but_not_the_password(tmp_path, database):
    port = free_port()  # nothing listens there
    url = f"postgresql+asyncpg://jarvis:s3cret-pw@127.0.0.1:{port}/jarvis"
    line = one_line(serve(tmp_path, database, JARVIS_DATABASE_URL=url))
    assert line.startswith(
        f"jarvis: error: cannot open the database postgresql+asyncpg://jarvis:***@127.0.0.1:{port}"
        "/jarvis: "
    )
    assert "s3cret-pw" not in line


def test_a_database_that_cannot_be_opened(tmp_path, database):
    if database["schema"] is None:  # SQLite: its folder cannot be made (a file is in the way)
        (tmp_path / "blocked").write_text("a file, not a folder")
        url = f"sqlite+aiosqlite:///{tmp_path / 'blocked' / 'jarvis.db'}"
        says = f"cannot create the folder of the database {tmp_path / 'blocked' / 'jarvis.db'}: "
    else:
        url = database["url"].rsplit("/", 1)[0] + "/no_such_database"
        says = "cannot open the database "
    line = one_line(serve(tmp_path, database, JARVIS_DATABASE_URL=url))
    assert line.startswith(f"jarvis: error: {says}")
    if database["schema"] is not None:
        assert 'database "no_such_database" does not exist' in line


@pytest.mark.parametrize(("url", "says"), [
    ("mysql://jarvis@db/jarvis", "unsupported database 'mysql'"),
    ("no url at all", "not a database URL"),
])
def test_an_unsupported_database_url(tmp_path, database, url, says):
    line = one_line(serve(tmp_path, database, JARVIS_DATABASE_URL=url))
    assert line.startswith(f"jarvis: error: invalid setting database_url: Value error, {says}; ")
    assert "postgresql+asyncpg://user@host/db" in line


def test_broken_toml(tmp_path, database):
    config = tmp_path / "jarvis.toml"
    config.write_text('port = 8080\ntime_zone = "UTC\n')
    line = one_line(serve(tmp_path, database, JARVIS_CONFIG=str(config)))
    assert line.startswith(f"jarvis: error: cannot read {config}: ")
    assert "line 2" in line


def test_a_missing_config_file(tmp_path, database):
    missing = tmp_path / "nowhere.toml"
    line = one_line(serve(tmp_path, database, JARVIS_CONFIG=str(missing)))
    assert line == f"jarvis: error: JARVIS_CONFIG names {str(missing)!r}, which is not a file"


@pytest.mark.parametrize("how", ["environment", "option"])
def test_a_bad_log_level(tmp_path, database, how):
    if how == "environment":
        done = serve(tmp_path, database, JARVIS_LOG_LEVEL="chatty")
    else:
        done = serve(tmp_path, database, "--log-level", "chatty")
    assert one_line(done) == (
        "jarvis: error: invalid setting log_level: Value error, must be one of DEBUG, INFO, "
        "WARNING, ERROR, CRITICAL (any case), not 'chatty'"
    )


def test_a_bad_log_format(tmp_path, database):
    line = one_line(serve(tmp_path, database, JARVIS_LOG_FORMAT="xml"))
    assert line.startswith("jarvis: error: invalid setting log_format: ")


def test_an_unknown_key_in_a_plugin_section(tmp_path, database):
    config = tmp_path / "jarvis.toml"
    config.write_text("[plugins.web]\ntimeout = 5\nmax_byte = 1000\n")
    line = one_line(serve(tmp_path, database, JARVIS_CONFIG=str(config)))
    assert line.startswith(
        "jarvis: error: plugin web: invalid setting plugins.web.max_byte: no such setting "
        "(known: "
    )
    assert "max_bytes" in line


def test_an_unknown_plugin_section(tmp_path, database):
    line = one_line(serve(tmp_path, database, JARVIS_PLUGINS__WEBB__TIMEOUT="5"))
    assert line.startswith(
        "jarvis: error: invalid setting plugins.webb: no plugin named 'webb' is installed "
        "(installed: "
    )
    assert "web" in line.split("(installed: ", 1)[1].rstrip(")").split(", ")


def test_an_unknown_name_in_disable_plugins(tmp_path, database):
    line = one_line(serve(tmp_path, database, JARVIS_DISABLE_PLUGINS="anthropic,litellm,telegramm"))
    assert line.startswith(
        "jarvis: error: invalid setting disable_plugins: no plugin named 'telegramm' is "
        "installed (installed: "
    )


def test_a_plugin_that_fails_to_import(tmp_path, database):
    site = tmp_path / "site"
    (site / "jarvis_broken-1.2.dist-info").mkdir(parents=True)
    (site / "jarvis_broken-1.2.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: jarvis-broken\nVersion: 1.2\n")
    (site / "jarvis_broken-1.2.dist-info" / "entry_points.txt").write_text(
        "[jarvis]\nbroken = jarvis_broken_plugin\n")
    (site / "jarvis_broken_plugin.py").write_text("raise RuntimeError('half installed')\n")
    line = one_line(serve(tmp_path, database, PYTHONPATH=str(site)))
    assert line == (
        "jarvis: error: plugin broken (jarvis-broken 1.2) failed to import: RuntimeError: half "
        "installed (set JARVIS_SKIP_FAILING_PLUGINS=true to start without it, or "
        "JARVIS_DISABLE_PLUGINS=broken)")


async def test_ctrl_c_during_start_up_stops_the_server(tmp_path, database):
    """A database that accepts the connection and never answers holds start-up; SIGINT ends
    it at once, without a traceback."""
    accepted = asyncio.Event()
    held: list[asyncio.StreamWriter] = []

    async def silent(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        accepted.set()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    url = f"postgresql+asyncpg://jarvis@127.0.0.1:{port}/jarvis"
    try:
        async with serving(tmp_path / "data", database, JARVIS_DATABASE_URL=url) as child:
            await asyncio.wait_for(accepted.wait(), 60)
            child.send_signal(signal.SIGINT)
            # the silent database would hold a start-up that ignored the signal for a minute
            out, err = await asyncio.wait_for(child.communicate(), 30)
    finally:
        for writer in held:
            writer.close()
        server.close()
    assert child.returncode == 130, err.decode()
    assert err.decode() == ""
    assert b"listening" not in out
