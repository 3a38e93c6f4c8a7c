"""The input of a tool that changes one object by its key: only the fields given change."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, model_validator


class ChangeInput(BaseModel):
    """Base of a tool input naming an object by the field ``key`` and the fields to change;
    unknown fields are refused, and so is an input that changes nothing."""

    model_config = ConfigDict(extra="forbid")
    key: ClassVar[str] = "uid"

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        if not self.model_fields_set - {self.key}:
            raise ValueError("give at least one field to change")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields given, but the key."""
        return self.model_dump(exclude={self.key}, exclude_unset=True)

    def said(self) -> str:
        """The changes in words, for the user's confirmation: ``summary to 'Lunch', ...``."""
        return ", ".join(f"{name} to {value!r}" for name, value in self.changes().items())
