"""Shared fixtures: one warehouse built from the bundled reports with the real CLI, per test session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
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


def build_invented_reports(tmp: Path, reports: dict[str, str]) -> Path:
    """Write invented reports (file name → text) under tmp, load and build them with the CLI; the warehouse."""
    folder = tmp / "reports"
    folder.mkdir()
    for name, text in reports.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp / "w.duckdb"
    env = cli_env(db, tmp)
    run_cli(["load", str(folder)], env)
    run_cli(["build"], env)
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(args: list[str], env: dict[str, str]):
    """``jixiao ARGS --serve --port P`` in the background (jixiao docs, jixiao site); yields a function
    that GETs a path once the server answers (within ``wait`` seconds, else the error is raised)."""
    port = free_port()
    server = subprocess.Popen([JIXIAO, *args, "--serve", "--port", str(port)], env=env, cwd=PROJECT_DIR,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def get(path: str, wait: float = 30.0) -> bytes:
        deadline = time.monotonic() + wait
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
                    return response.read()
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    try:
        yield get
    finally:
        server.terminate()
        server.wait(timeout=10)


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
