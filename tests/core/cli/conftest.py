from __future__ import annotations

import pytest

from .commands import Commands


@pytest.fixture
def jarvis_cli(tmp_path, database) -> Commands:
    """`jarvis` commands on the data folder and database that ``make_app`` uses."""
    return Commands(tmp_path / "data", database)
