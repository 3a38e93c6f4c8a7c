"""Per-user plugin settings: a row of the plugin's table and a secret in the vault, changed
together; a row that cannot be written leaves the secret as it was."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from jarvis import PerUserSettings, hookimpl
from jarvis.keys import DATABASE, VAULT
from sqlalchemy import DateTime
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel


class Login(SQLModel, table=True):
    __tablename__ = "test_per_user_logins"
    user_id: str = Field(primary_key=True, max_length=32)
    server: str
    updated_at: datetime = Field(sa_type=DateTime)


LOGINS = PerUserSettings(Login.__table__, "test_password", "Test password")  # type: ignore[attr-defined]


class LoginPlugin:
    @hookimpl
    def register_models(self) -> list[Any]:
        return [Login]


@pytest.fixture
def jarvis_plugins() -> list[Any]:
    return [LoginPlugin()]


@pytest.fixture
def stores(anon_client):
    return anon_client.app[DATABASE], anon_client.app[VAULT]


async def test_save_keeps_the_row_and_the_secret_apart(stores):
    db, vault = stores
    await LOGINS.save(db, vault, "u1", "s3cret", {"server": "a.example"})
    row = await LOGINS.row(db, "u1")
    assert (row["server"], row["updated_at"] is not None) == ("a.example", True)
    assert "s3cret" not in str(dict(row))
    assert await vault.get("user:u1:test_password") == "s3cret"
    assert await LOGINS.has_secret(vault, "u1")
    assert await LOGINS.row(db, "u2") is None and not await LOGINS.has_secret(vault, "u2")


async def test_no_secret_keeps_the_stored_one_and_no_values_keep_the_row(stores):
    db, vault = stores
    await LOGINS.save(db, vault, "u1", "first", {"server": "a.example"})
    await LOGINS.save(db, vault, "u1", None, {"server": "b.example"})
    await LOGINS.save(db, vault, "u1", "second", None)
    assert (await LOGINS.row(db, "u1"))["server"] == "b.example"
    assert await vault.get(LOGINS.secret_key("u1")) == "second"


async def test_remove_forgets_both_once(stores):
    db, vault = stores
    await LOGINS.save(db, vault, "u1", "s3cret", {"server": "a.example"})
    assert await LOGINS.remove(db, vault, "u1") is True
    assert await LOGINS.row(db, "u1") is None and not await LOGINS.has_secret(vault, "u1")
    assert await LOGINS.remove(db, vault, "u1") is False


@pytest.mark.parametrize("before", [None, "old"])
async def test_a_row_that_cannot_be_written_leaves_the_secret_as_it_was(stores, before):
    db, vault = stores
    if before is not None:
        await LOGINS.save(db, vault, "u1", before, {"server": "a.example"})
    with pytest.raises(IntegrityError):
        await LOGINS.save(db, vault, "u1", "new", {"server": None})  # NOT NULL
    assert await vault.get(LOGINS.secret_key("u1")) == before
    expected = None if before is None else "a.example"
    assert ((await LOGINS.row(db, "u1")) or {}).get("server") == expected
