"""CardDAV over a guarded session (blocking; run in a thread): discovery of the address books
(principal, addressbook-home-set), reading every card, and writing one with its ETag.

An answer's body is read up to a cap and never shown: errors carry the status only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import fromstring
from yarl import URL

from .errors import ContactsError

DAV, CARD = "DAV:", "urn:ietf:params:xml:ns:carddav"
MAX_BODY = 8 * 1024 * 1024
_PROPFIND = ('<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" '
             'xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop>{}</d:prop></d:propfind>')
_QUERY = ('<?xml version="1.0" encoding="utf-8"?><card:addressbook-query xmlns:d="DAV:" '
          'xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/>'
          '<card:address-data/></d:prop></card:addressbook-query>')


class DavStatus(ContactsError):
    """The server answered a request with an error status (its body left out)."""

    def __init__(self, status: int):
        super().__init__(f"HTTP {status}")
        self.status = status


@dataclass(frozen=True, slots=True)
class Book:
    url: str
    name: str


@dataclass(frozen=True, slots=True)
class Card:
    url: str
    etag: str | None
    text: str


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parsed = URL(url)
    return parsed.scheme, parsed.host, parsed.port


def _tag(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


class CardDav:
    """One login on one CardDAV server, through ``session`` (a jarvis.guarded_session)."""

    def __init__(self, session: Any, server_url: str, username: str, password: str,
                 timeout: float):
        self.session, self.root = session, server_url
        self.auth, self.timeout = (username, password), timeout

    def request(self, method: str, url: str, body: str | None = None,
                **headers: str) -> tuple[Any, bytes]:
        """Send one request; DavStatus for an error status; the body read up to the cap."""
        if body is not None:
            headers.setdefault("Content-Type", "application/xml; charset=utf-8")
        # the password goes to the configured server only, never to a host its hrefs name
        auth = self.auth if _origin(url) == _origin(self.root) else None
        answer = self.session.request(method, url, data=body.encode() if body else None,
                                      headers=headers, auth=auth, timeout=self.timeout,
                                      stream=True)
        try:
            if answer.status_code >= 400:
                raise DavStatus(answer.status_code)
            data = b""
            for chunk in answer.iter_content(65536):
                data += chunk
                if len(data) > MAX_BODY:
                    raise ContactsError("the CardDAV server's answer is too large")
            return answer, data
        finally:
            answer.close()

    def propfind(self, url: str, props: str, depth: int = 0) -> list[tuple[str, Element]]:
        """(absolute href, prop element) of each response of a PROPFIND."""
        answer, data = self.request("PROPFIND", url, _PROPFIND.format(props), Depth=str(depth))
        return self._responses(str(answer.url), data)

    def _responses(self, base: str, data: bytes) -> list[tuple[str, Element]]:
        try:
            tree = fromstring(data)
        except Exception:
            raise ContactsError("the CardDAV server's answer is not valid XML") from None
        found = []
        for response in tree.iter(_tag(DAV, "response")):
            href = response.findtext(_tag(DAV, "href"))
            for propstat in response.iter(_tag(DAV, "propstat")):
                status = propstat.findtext(_tag(DAV, "status")) or ""
                prop = propstat.find(_tag(DAV, "prop"))
                if href and prop is not None and " 200 " in f"{status} ":
                    found.append((str(URL(base).join(URL(href.strip()))), prop))
        return found

    def _href(self, url: str, ns: str, name: str) -> str:
        for _where, prop in self.propfind(url, f"<{'d' if ns == DAV else 'card'}:{name}/>"):
            href = prop.findtext(f"{_tag(ns, name)}/{_tag(DAV, 'href')}")
            if href:
                return str(URL(url).join(URL(href.strip())))
        raise ContactsError(f"the CardDAV server did not say where your {name} is")

    def books(self) -> list[Book]:
        """The user's address books (login and discovery: principal, then home)."""
        principal = self._href(self.root, DAV, "current-user-principal")
        home = self._href(principal, CARD, "addressbook-home-set")
        books = []
        for where, prop in self.propfind(home, "<d:resourcetype/><d:displayname/>", depth=1):
            kind = prop.find(_tag(DAV, "resourcetype"))
            if kind is not None and kind.find(_tag(CARD, "addressbook")) is not None:
                name = prop.findtext(_tag(DAV, "displayname")) or where.rstrip("/").rsplit(
                    "/", 1)[-1]
                books.append(Book(where, name.strip()))
        return books

    def cards(self, book: Book) -> list[Card]:
        """Every card of ``book``."""
        answer, data = self.request("REPORT", book.url, _QUERY, Depth="1")
        cards = []
        for where, prop in self._responses(str(answer.url), data):
            text = prop.findtext(_tag(CARD, "address-data"))
            if text and text.strip():
                cards.append(Card(where, prop.findtext(_tag(DAV, "getetag")), text))
        return cards

    def put(self, url: str, text: str, etag: str | None) -> None:
        """Store a card: a new one (never over another), or over ``etag`` (not a newer one)."""
        condition = {"If-Match": etag} if etag else {"If-None-Match": "*"}
        self.request("PUT", url, text, **{"Content-Type": "text/vcard; charset=utf-8"},
                     **condition)


def choose(books: list[Book], wanted: str | None) -> Book:
    """The address book the settings name (display name or end of URL), or the first one."""
    if not books:
        raise ContactsError("the CardDAV server has no address book for this login")
    if not wanted:
        return books[0]
    for book in books:
        if wanted.casefold() in (book.name.casefold(),
                                 book.url.rstrip("/").rsplit("/", 1)[-1].casefold()):
            return book
    raise ContactsError(f"there is no address book named {wanted!r}; the server has: "
                        f"{', '.join(b.name for b in books)}")
