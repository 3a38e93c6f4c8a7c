"""The SQLAlchemy Core table behind a SQLModel table class, typed."""

from __future__ import annotations

from sqlalchemy import Table, inspect
from sqlmodel import SQLModel


def table_of(model: type[SQLModel]) -> Table:
    """The table of a ``table=True`` model (``Model.__table__``, which SQLModel leaves untyped)."""
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table
