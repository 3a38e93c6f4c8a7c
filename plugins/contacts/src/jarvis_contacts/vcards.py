"""Reading and writing vCards (vobject): the fields the tools show and change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from .errors import ContactsError


@dataclass(slots=True)
class Contact:
    """A card as the tools show it."""

    uid: str
    full_name: str
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    organization: str = ""
    note: str = ""

    def matches(self, query: str) -> bool:
        """Whether ``query`` occurs in the name, an address, a number or the organisation."""
        wanted = query.casefold()
        digits = "".join(c for c in query if c.isdigit())
        texts = [self.full_name, self.organization, *self.emails]
        return any(wanted in t.casefold() for t in texts) or bool(
            digits and any(digits in "".join(c for c in p if c.isdigit()) for p in self.phones))

    def line(self) -> str:
        parts = [self.full_name]
        if self.organization:
            parts.append(f"({self.organization})")
        parts += [f"email {e}" for e in self.emails] + [f"phone {p}" for p in self.phones]
        return " ".join(parts) + f" [uid: {self.uid}]"


def _values(card: Any, name: str) -> list[str]:
    return [str(item.value).strip() for item in card.contents.get(name, [])
            if str(item.value).strip()]


def read(text: str) -> Contact | None:
    """The card's fields, or None for a card that cannot be read."""
    import vobject  # when a card is first read or written

    try:
        card = vobject.readOne(text)
    except Exception:
        return None
    uid = (_values(card, "uid") or [""])[0]
    if not uid:
        return None
    org = card.contents.get("org", [])
    organization = ""
    if org:
        value = org[0].value
        organization = " ".join(value) if isinstance(value, list) else str(value)
    return Contact(uid, (_values(card, "fn") or ["(no name)"])[0], _values(card, "email"),
                   _values(card, "tel"), organization.strip(), (_values(card, "note") or [""])[0])


def _apply(card: Any, full_name: str | None = None, emails: list[str] | None = None,
           phones: list[str] | None = None, organization: str | None = None,
           note: str | None = None) -> None:
    """Replace the given fields of ``card`` in place (None: unchanged; "" clears a text);
    everything else on the card (addresses, photos, ...) stays."""
    import vobject

    if full_name is not None:
        for name in ("fn", "n"):
            card.contents.pop(name, None)
        card.add("fn").value = full_name
        *given, family = full_name.split() or [""]
        card.add("n").value = vobject.vcard.Name(family=family, given=" ".join(given))
    if emails is not None:
        card.contents.pop("email", None)
        for email in emails:
            item = card.add("email")
            item.value, item.type_param = email, "INTERNET"
    if phones is not None:
        card.contents.pop("tel", None)
        for phone in phones:
            card.add("tel").value = phone
    for name, value in (("org", [organization] if organization else organization),
                        ("note", note)):
        if value is not None:
            card.contents.pop(name, None)
            if value:
                card.add(name).value = value


def write(contact: Contact) -> str:
    """A new vCard 3.0 of ``contact``."""
    import vobject

    card = vobject.vCard()
    card.add("uid").value = contact.uid
    _apply(card, contact.full_name, contact.emails, contact.phones, contact.organization,
           contact.note)
    return card.serialize()


def new_uid() -> str:
    return str(uuid.uuid4())


def change(text: str, **fields: Any) -> tuple[Contact, str]:
    """The card ``text`` with ``fields`` changed, as read back, and its new text."""
    import vobject

    try:
        card = vobject.readOne(text)
    except Exception:
        raise ContactsError("the stored card cannot be read, so it is left as it is") from None
    _apply(card, **fields)
    written = card.serialize()
    contact = read(written)
    if contact is None:
        raise ContactsError("the stored card has no UID, so it is left as it is")
    return contact, written
