"""Databases of earlier releases (made by ``make_release_db.py`` with that release's code),
restored into this test's own database: a copy of the SQLite file, or the dump loaded into this
test's PostgreSQL schema. 0.1.0 recorded no core schema version; 0.2.0 had agents and scheduled
tasks in two tables (core version 1) and one run of each."""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

HERE = Path(__file__).parent
RELEASES = ("0.1.0", "0.2.0")


def dump_text(folder: Path) -> str:
    """The SQL of a release's dump: ``dump.sql.gz`` (plain SQL, compressed: it is data, not
    code), or ``dump.pgdump`` (pg_dump's custom format) turned into SQL by pg_restore."""
    if (folder / "dump.sql.gz").exists():
        with gzip.open(folder / "dump.sql.gz", "rt", encoding="utf-8") as dump:
            return dump.read()
    return subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "-f", "-",
                           str(folder / "dump.pgdump")], check=True, capture_output=True,
                          text=True).stdout


# The dumps' generator wrote some serial ids itself (id 1) and left their sequences at 1, which a
# release's own code never does: each sequence is moved past its table's highest id.
SEQUENCES_CAUGHT_UP = """
DO $$ DECLARE seq record; BEGIN
  FOR seq IN SELECT s.relname AS seq, t.relname AS tab, a.attname AS col
      FROM pg_class s JOIN pg_depend d ON d.objid = s.oid AND d.deptype = 'a'
      JOIN pg_class t ON t.oid = d.refobjid
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
      JOIN pg_namespace n ON n.oid = s.relnamespace
      WHERE s.relkind = 'S' AND n.nspname = '{schema}'
  LOOP
    EXECUTE format('SELECT setval(%L, GREATEST((SELECT max(%I) FROM %I.%I), 1))',
                   '"{schema}".' || quote_ident(seq.seq), seq.col, '{schema}', seq.tab);
  END LOOP;
END $$;
"""


def restore_release(database: dict[str, Any], data_dir: Path, version: str = "0.1.0") -> None:
    """Put a release's database and its key file into ``data_dir`` / the test's database."""
    release = HERE / f"release-{version}"
    dump_schema = "jarvis_release_" + "_".join(version.split(".")[:2])
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)  # as Jarvis makes it
    if database["schema"] is None:
        shutil.copy(release / "sqlite" / "jarvis.db", data_dir / "jarvis.db")
        shutil.copy(release / "sqlite" / "vault.key", data_dir / "vault.key")
        return
    shutil.copy(release / "postgresql" / "vault.key", data_dir / "vault.key")
    sql = dump_text(release / "postgresql")
    sql = sql.replace(f"CREATE SCHEMA {dump_schema};", "")
    # pg_dump's \restrict lines are for psql versions that know them; older ones do not need them
    sql = "\n".join(line for line in sql.splitlines() if not line.startswith(("\\restrict",
                                                                          "\\unrestrict")))
    sql = sql.replace(f"{dump_schema}.", f'"{database["schema"]}".')
    sql += SEQUENCES_CAUGHT_UP.format(schema=database["schema"])
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


@pytest.fixture(params=RELEASES)
def release(request) -> str:
    return request.param


@pytest.fixture
def release_db(database, tmp_path, make_settings, release):
    """Settings of a data folder holding a release's database (restored for this test)."""
    data_dir = tmp_path / "data"
    restore_release(database, data_dir, release)
    return make_settings()

