from .conftest import add_server, wait_status


async def test_http_server_connects_and_lists_tools(user_client, notes):
    server = await add_server(user_client, name="notes", transport="http", url=notes.url())
    status = await wait_status(user_client, server["id"], "connected", tools=True)
    names = {t["name"]: t for t in status["tools"]}
    assert names["mcp__notes__lookup"]["read_only"] is True
    assert names["mcp__notes__add_note"]["mcp_name"] == "addNote"
