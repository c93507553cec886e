"""Serve the generated dbt docs site (target/) on localhost for browsing (``jixiao docs --serve``)."""

from __future__ import annotations

import functools
import os
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .paths import PROJECT_DIR


def target_dir() -> Path:
    """dbt's target path: DBT_TARGET_PATH (relative to the project directory, as dbt reads it) or target/."""
    raw = os.environ.get("DBT_TARGET_PATH")
    path = Path(raw).expanduser() if raw else Path("target")
    return path if path.is_absolute() else PROJECT_DIR / path


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of the base class
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def make_server(directory: Path, port: int, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    return ThreadingHTTPServer((host, port), handler)


def serve(directory: Path, port: int, host: str = "127.0.0.1") -> None:
    with make_server(directory, port, host) as server:
        server.serve_forever()
