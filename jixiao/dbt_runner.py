"""Run dbt against the project, with the warehouse chosen by JIXIAO_DB.

dbt runs in a child process: dbt-duckdb keeps its connection to the warehouse open for the life
of the process, and a child process guarantees the file is released for the next step (checks,
queries) — the "run the steps one after another" rule in STYLE.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .paths import PROJECT_DIR, warehouse_path


class DbtFailed(Exception):
    """dbt reported an error (a model failed to build or a data test failed)."""


def dbt_executable() -> str:
    beside_python = Path(sys.executable).with_name("dbt")
    return str(beside_python) if beside_python.exists() else (shutil.which("dbt") or "dbt")


def run_dbt(args: list[str], quiet: bool = False) -> None:
    warehouse_path()  # exports an absolute JIXIAO_DB for profiles.yml
    env = dict(os.environ, DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    cmd = [dbt_executable()] + (["--quiet"] if quiet else []) + args + \
        ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    completed = subprocess.run(cmd, env=env, cwd=str(PROJECT_DIR))
    if completed.returncode != 0:
        raise DbtFailed(f"dbt {' '.join(args)} failed with exit code {completed.returncode} (dbt 运行失败); see the log above")
