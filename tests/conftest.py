"""Shared fixtures: one warehouse built from the bundled reports with the real CLI, per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
REPORTS = PROJECT_DIR / "data" / "reports"
JIXIAO = str(Path(sys.executable).with_name("jixiao"))


def cli_env(db_path: Path, tmp: Path) -> dict[str, str]:
    """Environment for a CLI run on its own warehouse, with dbt's target and logs kept apart."""
    return dict(os.environ, JIXIAO_DB=str(db_path), DBT_TARGET_PATH=str(tmp / "target"),
                DBT_LOG_PATH=str(tmp / "logs"), DBT_SEND_ANONYMOUS_USAGE_STATS="false")


def run_cli(args: list[str], env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([JIXIAO] + args, env=env, cwd=PROJECT_DIR, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"jixiao {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("warehouse")
    db = tmp / "warehouse.duckdb"
    env = cli_env(db, tmp)
    run_cli(["load", str(REPORTS)], env)
    run_cli(["build"], env)
    return db


@pytest.fixture()
def wh(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    yield con
    con.close()
