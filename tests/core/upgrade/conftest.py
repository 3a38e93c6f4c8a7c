"""The 0.1.0 database (made by ``make_release_db.py`` with that release's code), restored into
this test's own database: a copy of the SQLite file, or the (gzipped) dump loaded into this
test's PostgreSQL schema."""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

RELEASE = Path(__file__).parent / "release-0.1.0"
DUMP_SCHEMA = "jarvis_release_0_1"


def restore_release(database: dict[str, Any], data_dir: Path) -> None:
    """Put the 0.1.0 database and its key file into ``data_dir`` / the test's database."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)  # as Jarvis makes it
    if database["schema"] is None:
        shutil.copy(RELEASE / "sqlite" / "jarvis.db", data_dir / "jarvis.db")
        shutil.copy(RELEASE / "sqlite" / "vault.key", data_dir / "vault.key")
        return
    shutil.copy(RELEASE / "postgresql" / "vault.key", data_dir / "vault.key")
    # the dump is data, not code: stored compressed (see make_release_db.py)
    with gzip.open(RELEASE / "postgresql" / "dump.sql.gz", "rt", encoding="utf-8") as dump:
        sql = dump.read()
    sql = sql.replace(f"CREATE SCHEMA {DUMP_SCHEMA};", "")
    # pg_dump's \restrict lines are for psql versions that know them; older ones do not need them
    sql = "\n".join(line for line in sql.splitlines() if not line.startswith(("\\restrict",
                                                                          "\\unrestrict")))
    sql = sql.replace(f"{DUMP_SCHEMA}.", f'"{database["schema"]}".')
    url = database["url"].replace("postgresql+asyncpg", "postgresql")
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url], input=sql, text=True,
                   check=True, capture_output=True)


async def all_rows(database: dict[str, Any], url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, read with plain SQL."""
    kwargs = {}
    if database["schema"]:
        kwargs["connect_args"] = {"server_settings": {"search_path": database["schema"]}}
    engine = create_async_engine(url, **kwargs)
    try:
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda c: c.dialect.get_table_names(c))
            out = {}
            for name in sorted(names):
                rows = await conn.execute(text(f'SELECT * FROM "{name}"'))
                out[name] = [dict(r._mapping) for r in rows]
            return out
    finally:
        await engine.dispose()


@pytest.fixture
def release_db(database, tmp_path, make_settings):
    """Settings of a data folder holding the 0.1.0 database (restored for this test)."""
    data_dir = tmp_path / "data"
    restore_release(database, data_dir)
    return make_settings()

