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


def site_path() -> Path:
    """Where `jixiao site` writes by default: beside the warehouse it shows (site/ for warehouse.duckdb,
    <name>_site/ for another warehouse file), so two warehouses never share a site."""
    db = Path(warehouse_path())
    return db.with_name("site" if db.stem == "warehouse" else f"{db.stem}_site")


def fact_families() -> dict[str, dict]:
    """The fact families dbt_project.yml declares (vars.fact_families): family → mart, domains, columns."""
    import yaml

    with (PROJECT_DIR / "dbt_project.yml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)["vars"]["fact_families"]


# the marts beside the fact families' own (CONTRACT.md "Tables")
OTHER_FACT_MARTS = ("fct_budget", "fct_performance_score", "fct_evaluation", "fct_evaluation_dimension")


def fact_marts() -> list[str]:
    """Every fact mart: the declared families' marts, then the others."""
    return [f["mart"] for f in fact_families().values()] + list(OTHER_FACT_MARTS)
