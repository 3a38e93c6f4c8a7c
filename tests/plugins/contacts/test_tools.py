"""The contacts tools against a real Radicale: create a contact, find it, change it, list."""

from __future__ import annotations

import asyncio

from jarvis.testing.plugins import run_tool

ADA = {"full_name": "Ada Lovelace", "emails": ["ada@example.org"], "phones": ["+44 20 7946 0018"],
       "organization": "Analytical Engines"}


async def test_create_search_update_list(alice_book, radicale, dav_user):
    made = await run_tool(alice_book, "contacts_create", **ADA)
    assert made.ok, made.error
    uid = made.content.rsplit("UID: ", 1)[1]
    assert "Ada Lovelace" in await asyncio.to_thread(radicale.cards, dav_user[0])
    assert (await run_tool(alice_book, "contacts_create", full_name="Charles Babbage")).ok
    for query in ("lovelace", "ADA@example", "7946 0018", "analytical"):
        found = await run_tool(alice_book, "contacts_search", query=query)
        assert found.ok and found.content.startswith("1 contact(s) matching"), (query, found)
        assert f"[uid: {uid}]" in found.content
    changed = await run_tool(alice_book, "contacts_update", uid=uid,
                             emails=["ada@engines.example"], note="Countess")
    assert changed.ok, changed.error
    assert changed.content == f"Changed emails, note of the contact {uid}."
    stored = await asyncio.to_thread(radicale.cards, dav_user[0])
    assert "ada@engines.example" in stored and "ada@example.org" not in stored
    assert "Countess" in stored and "Analytical Engines" in stored  # the rest stays
    listed = await run_tool(alice_book, "contacts_list")
    lines = listed.content.splitlines()
    assert lines[0] == "2 contact(s):"
    assert lines[1].startswith("- Ada Lovelace (Analytical Engines) email ada@engines.example")
    assert lines[2].startswith("- Charles Babbage [uid: ")


async def test_search_without_a_match_and_update_of_an_unknown_uid(alice_book):
    assert (await run_tool(alice_book, "contacts_create", **ADA)).ok
    found = await run_tool(alice_book, "contacts_search", query="Turing")
    assert found.ok and found.content == "No contact(s) matching 'Turing'."
    missing = await run_tool(alice_book, "contacts_update", uid="nope", note="x")
    assert not missing.ok and "no contact with uid 'nope'" in missing.error


async def test_a_wrong_password_is_said_so(alice, radicale, dav_user):
    from .conftest import save_settings

    await save_settings(alice, radicale.url, (dav_user[0], "wrong"))
    result = await run_tool(alice, "contacts_list")
    assert not result.ok and "refused the login" in result.error and "HTTP 401" in result.error


async def test_not_set_up(alice):
    result = await run_tool(alice, "contacts_list")
    assert not result.ok and "CardDAV is not set up for you" in result.error


async def test_bob_reaches_only_his_own_book(alice_book, bob, radicale):
    assert (await run_tool(alice_book, "contacts_create", **ADA)).ok
    result = await run_tool(bob, "contacts_search", query="Ada")
    assert not result.ok and "not set up" in result.error
    assert (await (await bob.get("/api/my/contacts")).json())["server_url"] is None
