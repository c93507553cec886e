"""Benchmark: how long `jixiao site` takes to write the whole site (issue 14: under 30 s on the
50-document dev corpus), step by step.

    .venv/bin/python benchmarks/site.py                      # ../shared/dev_corpus/docs, else data/reports
    .venv/bin/python benchmarks/site.py PATH [PATH …] --runs 3

The documents are loaded and built into a warehouse of their own under a temporary folder (never
the project's warehouse); then the site is written ``--runs`` times into the same folder (a rewrite
replaces the whole site) and each run's seconds per step are printed, with the median of the totals.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
JIXIAO = str(Path(sys.executable).with_name("jixiao"))
DEV_CORPUS = PROJECT_DIR.parent / "shared" / "dev_corpus" / "docs"


def _cli(args: list[str], env: dict) -> None:
    subprocess.run([JIXIAO, *args], env=env, cwd=PROJECT_DIR, check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    paths = args.paths or [DEV_CORPUS if DEV_CORPUS.is_dir() else PROJECT_DIR / "data" / "reports"]
    with tempfile.TemporaryDirectory(prefix="jixiao-site-bench-") as tmp:
        env = dict(os.environ, JIXIAO_DB=f"{tmp}/bench.duckdb", DBT_TARGET_PATH=f"{tmp}/target",
                   DBT_LOG_PATH=f"{tmp}/logs", DBT_SEND_ANONYMOUS_USAGE_STATS="false")
        _cli(["load", *map(str, paths)], env)
        _cli(["build"], env)
        os.environ.update(env)
        from jixiao.site import write_site
        from loaders.resources import machine_cores

        totals = []
        for run in range(1, args.runs + 1):
            summary = write_site(Path(tmp) / "site")
            totals.append(summary.seconds)
            steps = ", ".join(f"{k} {v:.2f}" for k, v in summary.phases.items())
            print(f"run {run}: {summary.seconds:.1f} s for {summary.pages} pages ({summary.documents} documents, "
                  f"{summary.units} units, {summary.findings} findings) — {steps}")
        print(f"site of {', '.join(map(str, paths))}: median {statistics.median(totals):.1f} s over {args.runs} runs "
              f"(target < 30 s on the 50-document dev corpus); cores used for the unit pages: "
              f"{machine_cores()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
