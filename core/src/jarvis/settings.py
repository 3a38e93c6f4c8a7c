"""Static settings: ``JARVIS_*`` environment variables and an optional ``jarvis.toml``.

Runtime settings that admins change through the API (limits, security switches, ...) live in
the database instead (:mod:`jarvis.services.config`).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

M = TypeVar("M", bound=BaseModel)

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# The drivers Jarvis runs on, and the short forms people write for them.
DATABASE_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}
DATABASE_EXAMPLES = "sqlite+aiosqlite:///path/jarvis.db or postgresql+asyncpg://user@host/db"


class SettingsError(Exception):
    """A setting is missing or invalid; the message names it in one line."""


def _describe(err: ValidationError, prefix: str = "") -> str:
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"])
    return f"invalid setting {prefix}{loc}: {first['msg']}"


class Settings(BaseSettings):
    """Server settings. Environment: ``JARVIS_<NAME>``; file: ``jarvis.toml`` (or
    ``JARVIS_CONFIG``); plugin sections: ``[plugins.<name>]`` or
    ``JARVIS_PLUGINS__<NAME>__<FIELD>``."""

    model_config = SettingsConfigDict(
        env_prefix="JARVIS_", env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    data_dir: Path = Path("data")
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)
    database_url: str | None = None
    master_password: SecretStr | None = None
    # The bearer token Prometheus sends to /metrics (unset: /metrics is off).
    metrics_token: SecretStr | None = Field(None, min_length=16)
    disable_plugins: Annotated[list[str], NoDecode] = []
    # unset: every installed plugin; set: only these (an empty value loads none)
    load_plugins: Annotated[list[str] | None, NoDecode] = None
    skip_failing_plugins: bool = False
    trusted_proxies: Annotated[list[str], NoDecode] = []
    # LAN hosts (names, addresses or networks, optionally :port) that tools may reach although
    # they are private, e.g. a home CalDAV or mail server. Metadata addresses stay refused.
    allowed_private_hosts: Annotated[list[str], NoDecode] = []
    users_base_folder: Path | None = None
    time_zone: str = "UTC"
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    plugins: dict[str, dict[str, Any]] = {}

    @field_validator("disable_plugins", "load_plugins", "trusted_proxies", "allowed_private_hosts",
                     mode="before")
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _known_level(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().upper() in LOG_LEVELS:
            return value.strip().upper()
        raise ValueError(f"must be one of {', '.join(LOG_LEVELS)} (any case), not {value!r}")

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str | None) -> str | None:
        return None if value is None else supported_database_url(value)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = Path(os.environ.get("JARVIS_CONFIG", "jarvis.toml"))
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file))

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'jarvis.db').as_posix()}"

    @property
    def resolved_users_folder(self) -> Path:
        return self.users_base_folder or self.data_dir / "users"

    def private_paths(self) -> list[Path]:
        """What no tool may read or write whatever a whitelist says (canonical forms): the data
        folder (the vault key files, the SQLite database), the users' folders (each user
        reaches only their own, as ``~``) and a SQLite database kept elsewhere."""
        found = [self.data_dir, self.resolved_users_folder]
        url = self.resolved_database_url
        if url.startswith("sqlite"):
            from sqlalchemy.engine import make_url

            database = make_url(url).database
            if database and database != ":memory:":
                found += [Path(database + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
        return list(dict.fromkeys(Path(os.path.realpath(p)) for p in found))

    def plugin(self, name: str, model: type[M]) -> M:
        """The validated settings section of one plugin (``[plugins.<name>]``)."""
        cache = self.__dict__.setdefault("_plugin_cache", {})
        key = (name, model)
        if key not in cache:
            section = self.plugins.get(name, {})
            if model.model_config.get("extra") != "allow":
                fields = model.model_fields
                known = set(fields) | {f.alias for f in fields.values() if f.alias}
                for field in section:
                    if field not in known:
                        raise SettingsError(
                            f"plugin {name}: invalid setting plugins.{name}.{field}: no such "
                            f"setting (known: {', '.join(sorted(known)) or 'none'})"
                        )
            try:
                cache[key] = model.model_validate(section)
            except ValidationError as err:
                raise SettingsError(
                    f"plugin {name}: " + _describe(err, f"plugins.{name}.")
                ) from None
        return cache[key]

    def sections_read(self) -> set[str]:
        """The plugin sections :meth:`plugin` has validated so far."""
        return {name for name, _model in self.__dict__.get("_plugin_cache", {})}


def supported_database_url(url: str) -> str:
    """The URL with the async driver Jarvis uses, or a ValueError naming what is wrong."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url.strip())
    except ArgumentError:
        raise ValueError(f"not a database URL; use {DATABASE_EXAMPLES}") from None
    driver = DATABASE_DRIVERS.get(parsed.drivername)
    if driver is None:
        raise ValueError(
            f"unsupported database {parsed.drivername!r}; use {DATABASE_EXAMPLES}"
        )
    if driver == parsed.drivername:
        return url.strip()
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


# Environment variables with the prefix that are not settings themselves.
_NOT_SETTINGS = {"JARVIS_CONFIG"}
# Settings of 0.2.0 that became a provider plugin's when the providers left the core.
MOVED = {
    "anthropic_base_url": "plugins.anthropic.base_url",
    "openai_base_url": "plugins.litellm.openai_base_url",
    "openrouter_base_url": "plugins.litellm.openrouter_base_url",
    "ollama_base_url": "plugins.litellm.ollama_base_url",
}


def _moved(field: str, where: str) -> SettingsError:
    new = MOVED[field]
    env = "JARVIS_" + new.replace(".", "__").upper()
    return SettingsError(f"invalid setting {field} ({where}): it is now {new} "
                         f"(environment {env})")


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning a validation error into one clear line; a ``JARVIS_``
    variable that names no setting (a typo) is an error too, not silently ignored."""
    for var in os.environ:
        if not var.startswith("JARVIS_") or var in _NOT_SETTINGS:
            continue
        field = var.removeprefix("JARVIS_").split("__", 1)[0].lower()
        if field in MOVED:
            raise _moved(field, f"environment {var}")
        if field not in Settings.model_fields:
            raise SettingsError(f"invalid setting {field}: no such setting (environment {var})")
    config = os.environ.get("JARVIS_CONFIG")
    if config is not None and not Path(config).is_file():
        raise SettingsError(f"JARVIS_CONFIG names {config!r}, which is not a file")
    try:
        return Settings(**overrides)
    except ValidationError as err:
        first = str(err.errors()[0]["loc"][0]) if err.errors()[0]["loc"] else ""
        if first in MOVED:
            raise _moved(first, config or "jarvis.toml") from None
        raise SettingsError(_describe(err)) from None
    except tomllib.TOMLDecodeError as err:
        raise SettingsError(f"cannot read {config or 'jarvis.toml'}: {err}") from None
