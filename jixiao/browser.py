"""Headless Chromium (Debian's ``chromium`` package) for checking and photographing our HTML.

Used by the tests (the docs site and the report page must render in a real browser) and by
``make screenshots`` (``python -m jixiao.browser screenshots``). Only the browser's command line
is used: ``--dump-dom`` for the rendered DOM, ``--screenshot`` for a PNG. Nothing is downloaded;
every run gets a fresh profile directory and the flags that keep the browser off the network.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio"]


def chromium() -> Optional[str]:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _run(args: list[str], budget_ms: int, timeout: float) -> subprocess.CompletedProcess:
    exe = chromium()
    if exe is None:
        raise FileNotFoundError("chromium is not installed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory(prefix="jixiao-chromium-") as profile:
        cmd = [exe, *FLAGS, f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}", *args]
        return subprocess.run(cmd, capture_output=True, timeout=timeout, env=dict(os.environ, HOME=profile))


def dump_dom(url: str, budget_ms: int = 10000, window: str = "1400,900", timeout: float = 120) -> str:
    """The DOM after scripts ran (virtual time budget), as HTML text."""
    done = _run([f"--window-size={window}", "--dump-dom", url], budget_ms, timeout)
    if done.returncode != 0 or not done.stdout:
        raise RuntimeError(f"chromium --dump-dom {url} failed ({done.returncode}): {done.stderr.decode(errors='replace')[-2000:]}")
    return done.stdout.decode("utf-8", errors="replace")


def screenshot(url: str, png: Path, window: str = "1400,900", budget_ms: int = 10000, timeout: float = 120) -> Path:
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    if png.exists():
        png.unlink()
    done = _run([f"--window-size={window}", f"--screenshot={png}", url], budget_ms, timeout)
    if not png.exists():
        raise RuntimeError(f"chromium --screenshot {url} failed ({done.returncode}): {done.stderr.decode(errors='replace')[-2000:]}")
    return png


@contextmanager
def page(viewport: tuple[int, int] = (1300, 900)):
    """A Playwright page in Debian's chromium (no browser download: Playwright drives the installed
    one), for tests that click through pages. The page's console errors, uncaught script errors and
    failed requests (a missing image or stylesheet) are collected in ``page.problems``."""
    from playwright.sync_api import sync_playwright

    exe = chromium()
    if exe is None:
        raise FileNotFoundError("chromium is not installed (apt-get install -y chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            pg = b.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            pg.problems = []
            pg.on("console", lambda m: pg.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            pg.on("pageerror", lambda e: pg.problems.append(f"script error: {e}"))
            pg.on("requestfailed", lambda r: pg.problems.append(f"request failed: {r.url} {r.failure}"))
            yield pg
        finally:
            b.close()


def visible_html(dom: str) -> str:
    """The DOM without <script> and <style> bodies (the docs site embeds its manifest in a script)."""
    dom = re.sub(r"<script\b[^>]*>.*?</script>", "", dom, flags=re.S | re.I)
    return re.sub(r"<style\b[^>]*>.*?</style>", "", dom, flags=re.S | re.I)


def docs_url(site: Path, route: str = "overview") -> str:
    """file:// URL of the static docs site at a route, e.g. 'model/model.jixiao.yoy_changes?g_v=1'."""
    return f"{(Path(site) / 'static_index.html').resolve().as_uri()}#!/{route}"


def screenshots(out: Path, unit: Optional[str] = None) -> list[Path]:
    """Generate the docs and a report, and photograph both into ``out`` (make screenshots)."""
    from .docs_server import target_dir
    from .report import write_report

    jixiao = str(Path(sys.executable).with_name("jixiao"))
    subprocess.run([jixiao, "docs"], check=True)
    site = target_dir()
    shots = [
        screenshot(docs_url(site, "overview"), out / "docs_overview.png"),
        screenshot(docs_url(site, "model/model.jixiao.yoy_changes"), out / "docs_yoy_changes.png", window="1400,2000"),
        screenshot(docs_url(site, "model/model.jixiao.yoy_changes?g_v=1"), out / "docs_lineage.png"),
    ]
    if unit is None:
        import duckdb

        from .paths import warehouse_path

        con = duckdb.connect(warehouse_path(), read_only=True)
        try:
            row = con.execute("""select u.unit_name from marts.dim_unit u join marts.fct_expenditure e using (unit_id)
                                 group by 1 order by count(distinct e.fiscal_year) desc, count(*) desc limit 1""").fetchone()
        finally:
            con.close()
        unit = row[0] if row else None
    if unit:
        page = write_report(unit, out / "report")
        shots.append(screenshot(page.resolve().as_uri(), out / "report.png", window="1200,4000"))
    return shots


def site_screenshots(site: Path, out: Path) -> list[Path]:
    """Photograph the site's walk (README): home, a unit, the line of its first figure, the findings
    page and the lines of its largest finding. The unit is the one with the most findings."""
    out.mkdir(parents=True, exist_ok=True)
    shots = []

    def shot(pg, name: str) -> None:
        pg.screenshot(path=str(out / name))
        shots.append(out / name)

    with page((1300, 860)) as pg:
        pg.goto((Path(site) / "index.html").resolve().as_uri())
        shot(pg, "site_home.png")
        counts = pg.locator("table.units tbody tr").evaluate_all(
            "rows => rows.map(r => Number(r.lastElementChild.innerText) || 0)")
        pg.locator("table.units tbody tr a.unit").nth(counts.index(max(counts))).click()
        shot(pg, "site_unit.png")
        pg.locator("table.figures a", has_text=":").first.click()
        pg.wait_for_selector(".line.hl")
        shot(pg, "site_document_line.png")
        pg.goto((Path(site) / "findings.html").resolve().as_uri())
        shot(pg, "site_findings.png")
        pg.locator("section.finding a.source").first.click()
        pg.wait_for_selector(".line.hl")
        shot(pg, "site_finding_line.png")
    return shots


def main(argv: list[str]) -> int:  # pragma: no cover - exercised by make screenshots
    if len(argv) >= 1 and argv[0] == "screenshots":
        out = Path(argv[1]) if len(argv) > 1 else Path("screenshots")
        unit = argv[2] if len(argv) > 2 else None
        for path in screenshots(out, unit):
            print(f"wrote {path}")
        return 0
    if len(argv) >= 2 and argv[0] == "site-screenshots":
        for path in site_screenshots(Path(argv[1]), Path(argv[2]) if len(argv) > 2 else Path("docs/screenshots")):
            print(f"wrote {path}")
        return 0
    print("usage: python -m jixiao.browser screenshots [OUT_DIR] [UNIT]\n"
          "       python -m jixiao.browser site-screenshots SITE_DIR [OUT_DIR]", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
