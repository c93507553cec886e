"""Where things are: the project directory (dbt project, seeds) and the warehouse file."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(os.environ.get("JIXIAO_PROJECT_DIR", Path(__file__).resolve().parent.parent))
DEFAULT_REPORTS = PROJECT_DIR / "data" / "reports"


def warehouse_path() -> str:
    """JIXIAO_DB names the warehouse; the default is warehouse.duckdb at the project root (CONTRACT.md).

    A relative JIXIAO_DB is resolved against the current directory and exported absolute, so the
    loaders and dbt (which runs from the project directory) open the same file.
    """
    raw = os.environ.get("JIXIAO_DB")
    path = Path(raw).expanduser() if raw else PROJECT_DIR / "warehouse.duckdb"
    path = path if path.is_absolute() else Path.cwd() / path
    os.environ["JIXIAO_DB"] = str(path)
    return str(path)
