"""What every paged listing answers beside its rows (the rows' field is the listing's own)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ..pagination import EXACT_HELP, NEXT_HELP, TOTAL_HELP


class ListingPage(BaseModel):
    total: int = Field(description=TOTAL_HELP)
    total_exact: bool = Field(True, description=EXACT_HELP)
    next_cursor: str | None = Field(None, description=NEXT_HELP)


class NumberedPage(ListingPage):
    """A page that also says which page number it is and how long pages are."""

    page: int
    per_page: int
