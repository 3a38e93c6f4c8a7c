"""contacts_list, contacts_search (reading), contacts_create, contacts_update (each confirmed
by the user first): the calling user's CardDAV address book."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from jarvis import ChangeInput, Tool, ToolContext, ToolResult
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from . import vcards
from .dav import Book, CardDav
from .errors import ContactsError
from .service import link_for, with_book
from .settings import ContactsSettings

MAX_LISTED = 200
T = TypeVar("T")


def _one_line(value: str) -> str:
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError("must not contain line breaks or control characters")
    return value.strip()


Line = Annotated[str, Field(max_length=300), AfterValidator(_one_line)]
Name = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_one_line)]
Email = Annotated[str, Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")]
Phone = Annotated[str, Field(min_length=3, max_length=40, pattern=r"^[0-9+()./ -]+$")]


class ListInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(50, ge=1, le=MAX_LISTED, description="at most this many contacts")


class SearchInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: Name = Field(description="part of a name, an e-mail address, a number or a company")
    limit: int = Field(20, ge=1, le=MAX_LISTED)


class CreateInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: Name
    emails: list[Email] = Field([], max_length=10)
    phones: list[Phone] = Field([], max_length=10)
    organization: Line | None = None
    note: str | None = Field(None, max_length=5000)


class UpdateInput(ChangeInput):
    uid: Name = Field(description="the contact's UID, as contacts_list shows it")
    full_name: Name | None = None
    emails: list[Email] | None = Field(None, max_length=10, description="replaces them all")
    phones: list[Phone] | None = Field(None, max_length=10, description="replaces them all")
    organization: Line | None = Field(None, description='"" clears it')
    note: str | None = Field(None, max_length=5000, description='"" clears it')


def _all(dav: CardDav, book: Book) -> list[vcards.Contact]:
    found = [vcards.read(card.text) for card in dav.cards(book)]
    return sorted((c for c in found if c is not None), key=lambda c: c.full_name.casefold())


class _ContactsTool(Tool):
    group = "contacts"
    failures = (ContactsError,)  # the server, the login or the card: the user is told why
    settings: ContactsSettings

    async def _run(self, ctx: ToolContext, work: Callable[[CardDav, Book], T]) -> T:
        return await with_book(await link_for(ctx, self.settings), work)


def _listing(contacts: list[vcards.Contact], limit: int, what: str) -> ToolResult:
    if not contacts:
        return ToolResult(content=f"No {what}.", summary="no contacts")
    lines = [f"{len(contacts)} {what}:"] + [f"- {c.line()}" for c in contacts[:limit]]
    if len(contacts) > limit:
        lines.append(f"(showing the first {limit})")
    return ToolResult(content="\n".join(lines), summary=f"{len(contacts)} contact(s)")


class ContactsList(_ContactsTool):
    name = "contacts_list"
    description = "List the contacts in the user's address book by name, with each one's UID."
    Input = ListInput
    reads_untrusted = True  # cards may have been written by anyone who shared them

    def describe(self, args: ListInput) -> str:
        return "list your contacts"

    async def run(self, args: ListInput, ctx: ToolContext) -> ToolResult:
        contacts = await self._run(ctx, _all)
        return _listing(contacts, args.limit, "contact(s)")


class ContactsSearch(_ContactsTool):
    name = "contacts_search"
    description = ("Find contacts in the user's address book by part of a name, an e-mail "
                   "address, a phone number or a company.")
    Input = SearchInput
    reads_untrusted = True

    def describe(self, args: SearchInput) -> str:
        return f"search your contacts for {args.query!r}"

    async def run(self, args: SearchInput, ctx: ToolContext) -> ToolResult:
        contacts = await self._run(ctx, _all)
        hits = [c for c in contacts if c.matches(args.query)]
        return _listing(hits, args.limit, f"contact(s) matching {args.query!r}")


class _ContactsWriter(_ContactsTool):
    side_effect = True
    always_confirm = True  # the address book is the user's own record: they see every change first


class ContactsCreate(_ContactsWriter):
    name = "contacts_create"
    description = "Add a contact to the user's address book. The user confirms it first."
    Input = CreateInput

    def describe(self, args: CreateInput) -> str:
        extra = ", ".join([*args.emails, *args.phones])
        return f"add the contact {args.full_name!r}" + (f" ({extra})" if extra else "")

    async def run(self, args: CreateInput, ctx: ToolContext) -> ToolResult:
        contact = vcards.Contact(vcards.new_uid(), args.full_name, list(args.emails),
                                 list(args.phones), args.organization or "", args.note or "")

        def create(dav: CardDav, book: Book) -> str:
            dav.put(f"{book.url.rstrip('/')}/{contact.uid}.vcf", vcards.write(contact), None)
            return book.name

        book = await self._run(ctx, create)
        return ToolResult(content=f"Added {args.full_name!r} to the address book {book!r}. "
                                  f"UID: {contact.uid}", summary=f"created contact {contact.uid}")


class ContactsUpdate(_ContactsWriter):
    name = "contacts_update"
    description = ("Change a contact of the user's address book by its UID: only the fields "
                   "given change (a list given replaces the old one). The user confirms it "
                   "first.")
    Input = UpdateInput

    def describe(self, args: UpdateInput) -> str:
        return f"change the contact {args.uid}: {args.said()}"

    async def run(self, args: UpdateInput, ctx: ToolContext) -> ToolResult:
        fields = args.changes()

        def update(dav: CardDav, book: Book) -> None:
            for card in dav.cards(book):
                found = vcards.read(card.text)
                if found is not None and found.uid == args.uid:
                    _contact, text = vcards.change(card.text, **fields)
                    dav.put(card.url, text, card.etag or "*")
                    return
            raise ContactsError(f"there is no contact with uid {args.uid!r} in the address "
                                f"book {book.name!r}")

        await self._run(ctx, update)
        changed = ", ".join(sorted(fields))
        return ToolResult(content=f"Changed {changed} of the contact {args.uid}.",
                          summary=f"changed contact {args.uid}")
