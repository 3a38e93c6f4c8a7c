"""Options shared by the subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..settings import Settings, load_settings


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=Path, help="data folder (default: ./data or JARVIS_DATA_DIR)"
    )


def settings_from(args: argparse.Namespace, **extra: Any) -> Settings:
    overrides: dict[str, Any] = {k: v for k, v in extra.items() if v is not None}
    if getattr(args, "data_dir", None) is not None:
        overrides["data_dir"] = args.data_dir
    return load_settings(**overrides)
