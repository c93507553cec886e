"""Run dbt against the project, with the warehouse chosen by JIXIAO_DB.

dbt runs in a child process: dbt-duckdb keeps its connection to the warehouse open for the life
of the process, and a child process guarantees the file is released for the next step (checks,
queries) — the "run the steps one after another" rule in STYLE.md.

The child never outlives us: on Linux it asks the kernel for SIGTERM when its parent dies (SIGKILL
included), and a SIGTERM, SIGINT or SIGHUP sent to us is passed on to it; either way it stops and
releases the warehouse lock instead of running on unseen.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from .paths import PROJECT_DIR, warehouse_path
from loaders.resources import export_for_dbt

STOP_GRACE_SECONDS = 10  # after SIGTERM, how long dbt may take to stop before it is killed
FORWARDED_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class DbtFailed(Exception):
    """dbt reported an error (a model failed to build or a data test failed)."""


class DbtInterrupted(DbtFailed):
    """We were asked to stop (a signal) and stopped dbt with us."""

    def __init__(self, signum: int):
        super().__init__(f"stopped by signal {signal.Signals(signum).name}; dbt was stopped too (已中止，dbt 子进程一并停止)")
        self.signum = signum


def dbt_executable() -> str:
    beside_python = Path(sys.executable).with_name("dbt")
    return str(beside_python) if beside_python.exists() else (shutil.which("dbt") or "dbt")


def _die_with_parent(parent_pid: int):
    """A preexec function: the child gets SIGTERM when its parent dies (Linux prctl PR_SET_PDEATHSIG)."""

    def setup() -> None:
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            return  # not Linux: the signal forwarding below still covers a polite stop
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os._exit(1)

    return setup


def run_dbt(args: list[str], quiet: bool = False) -> None:
    warehouse_path()  # exports an absolute JIXIAO_DB for profiles.yml
    env = export_for_dbt(dict(os.environ, DBT_SEND_ANONYMOUS_USAGE_STATS="false"))  # memory limit, threads
    cmd = [dbt_executable()] + (["--quiet"] if quiet else []) + args + \
        ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    child = subprocess.Popen(cmd, env=env, cwd=str(PROJECT_DIR), preexec_fn=_die_with_parent(os.getpid()))
    returncode = _wait_forwarding_signals(child)
    if returncode != 0:
        raise DbtFailed(f"dbt {' '.join(args[:1])} failed with exit code {returncode} (dbt 运行失败); see the log above")


def _wait_forwarding_signals(child: subprocess.Popen) -> int:
    """Wait for the child; a stop signal sent to us stops it too (SIGTERM, then SIGKILL after a
    grace period), then raises DbtInterrupted. The handler only signals: waiting stays here."""
    import time

    received: list[tuple[int, float]] = []

    def forward(signum, _frame):
        received.append((signum, time.monotonic()))
        try:
            child.terminate()
        except OSError:
            pass

    previous = {}
    for sig in FORWARDED_SIGNALS:
        try:
            previous[sig] = signal.signal(sig, forward)
        except ValueError:  # not the main thread: no handlers, the parent-death signal still applies
            break
    try:
        while True:
            try:
                returncode = child.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if received and time.monotonic() - received[0][1] > STOP_GRACE_SECONDS:
                    child.kill()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if received:
        raise DbtInterrupted(received[0][0])
    return returncode
