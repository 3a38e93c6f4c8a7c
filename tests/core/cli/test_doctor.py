"""`jarvis doctor`: each check in one line; exit 1 when something a server needs is missing,
and a clear line when no model provider works."""

from __future__ import annotations

from jarvis.testing.clients import running
from jarvis.testing.fake_ollama import FakeOllama
from jarvis.testing.servers import free_port

from .commands import Commands


def providers_at(ollama: str) -> dict[str, str]:
    """Every provider plugin loaded, none reachable but (maybe) Ollama, no key anywhere."""
    nowhere = f"http://127.0.0.1:{free_port()}"
    return {
        "JARVIS_DISABLE_PLUGINS": "", "JARVIS_PLUGINS__LITELLM__OLLAMA_BASE_URL": ollama,
        "JARVIS_PLUGINS__ANTHROPIC__BASE_URL": nowhere,
        "JARVIS_PLUGINS__LITELLM__OPENAI_BASE_URL": nowhere,
        "JARVIS_PLUGINS__LITELLM__OPENROUTER_BASE_URL": nowhere,
        "ANTHROPIC_API_KEY": "", "OPENAI_API_KEY": "", "OPENROUTER_API_KEY": "",
    }


def lines_of(done) -> dict[str, str]:
    """``{"database": "ok    database: ...", ...}``, by the check's name."""
    found = {line[6:].split(":", 1)[0]: line for line in done.stdout.splitlines()}
    assert "database" in found, done.stdout + done.stderr
    return found


async def test_no_provider_works_says_what_is_missing(jarvis_cli: Commands, make_app):
    async with running(make_app(entrypoints=True)):
        pass  # a server ran once: tables, vault
    ollama = f"http://127.0.0.1:{free_port()}"
    done = await jarvis_cli.run("doctor", "--timeout", "20", **providers_at(ollama))
    assert done.returncode == 1, done.stdout + done.stderr
    found = lines_of(done)
    assert found["database"].startswith("ok    database: ")
    assert found["database"].endswith(" answers; schema current")
    assert found["vault"] == "ok    vault: the key file opens the credential store"
    assert found["plugins"].startswith("ok    plugins: anthropic, ")
    assert {"litellm", "web", "email"} <= set(found["plugins"].split(": ", 1)[1].split(", "))
    assert found["provider anthropic"] == (
        "warn  provider anthropic: no Anthropic API key configured")
    assert found["provider openai"] == ("warn  provider openai: no OpenAI API key configured: "
                                        "set the credential system:openai_api_key")
    assert found["provider ollama"].startswith(
        f"warn  provider ollama: listing Ollama models failed: could not reach {ollama}")
    assert found["models"].startswith("FAIL  models: no model provider works: store a vendor "
                                      "key (POST /api/credentials with system:anthropic_api_key")
    assert "run Ollama on this machine" in found["models"]
    assert "JARVIS_PLUGINS__LITELLM__OLLAMA_BASE_URL" in found["models"]


async def test_a_local_ollama_is_enough(jarvis_cli: Commands):
    async with FakeOllama() as ollama:
        done = await jarvis_cli.run("doctor", "--timeout", "20",
                                    **providers_at(ollama.base_url))
        assert ollama.count("/api/tags") == 1
    assert done.returncode == 0, done.stdout + done.stderr
    found = lines_of(done)
    assert found["provider ollama"] == "ok    provider ollama: answers, 2 model(s)"
    assert "models" not in found
    # nothing ran here before: the server will make the tables and the vault
    assert found["database"].startswith("warn  database: ")
    assert "tables not created yet" in found["database"]
    assert found["vault"] == "warn  vault: no credential store yet (made at the first start)"


async def test_doctor_changes_nothing(jarvis_cli: Commands, tmp_path):
    async with FakeOllama() as ollama:
        await jarvis_cli.run("doctor", **providers_at(ollama.base_url))
    assert not (tmp_path / "data" / "vault.key").exists()


async def test_a_vault_that_does_not_open_fails(jarvis_cli: Commands, make_app):
    async with running(make_app(entrypoints=True)):
        pass
    done = await jarvis_cli.run("doctor", JARVIS_MASTER_PASSWORD="not the key file")
    assert done.returncode == 1
    assert lines_of(done)["vault"].startswith(
        "FAIL  vault: JARVIS_MASTER_PASSWORD is set but the credential store is encrypted "
        "with the key file")


async def test_an_unreachable_database_fails(jarvis_cli: Commands):
    url = f"postgresql+asyncpg://jarvis:pw@127.0.0.1:{free_port()}/jarvis"
    done = await jarvis_cli.run("doctor", JARVIS_DATABASE_URL=url)
    assert done.returncode == 1
    assert lines_of(done)["database"].startswith(
        "FAIL  database: cannot open the database postgresql+asyncpg://jarvis:***@")


async def test_bad_settings_fail_in_one_line(jarvis_cli: Commands):
    done = await jarvis_cli.run("doctor", JARVIS_PORT="eighty")
    assert done.returncode == 1
    assert len(done.stdout.splitlines()) == 1
    assert done.stdout.startswith("FAIL  settings: invalid setting port: ")
