"""The data-quality suites (数据质量校验套件), defined once and run by two engines (issue 13):

* Great Expectations (``jixiao.checks``): the full ``jixiao check``, with Data Docs;
* SQL in DuckDB (``jixiao.sql_checks``): ``jixiao check --incremental``, where GX's fixed cost (about 4.5 s
  to import, then 5–7 s to write and run 15 checkpoints, whatever the rows) was most of adding 10
  reports to a 10,000-report warehouse.

Each expectation here is a GX expectation type with its arguments, nothing more, so both engines read the
same definition; ``tests/test_sql_checks.py`` runs both on the same marts, broken on purpose, and
requires the same findings. Nothing here imports GX.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .paths import PROJECT_DIR

FAMILIES = ["sum_components", "ratio", "claimed_change", "conflicting_values", "score_total"]

# what each integrity suite checks: keys (not null + unique), code columns and their glossary domain, amounts
MARTS: dict[str, dict] = {
    "dim_unit": {"key": ["unit_id"], "not_null": ["unit_id", "unit_name", "admin_level"]},
    "dim_document": {"key": ["document_id"], "not_null": ["document_id", "unit_id", "sha256"], "years": ["report_year"]},
    "fct_expenditure": {"key": ["fact_id"], "not_null": ["unit_id", "fiscal_year", "item_code", "basis", "amount_wan_yuan"],
                        "codes": ["item_code"], "amounts": ["amount_wan_yuan"], "years": ["fiscal_year"]},
    "fct_income": {"key": ["fact_id"], "not_null": ["unit_id", "fiscal_year", "item_code", "basis"],
                   "codes": ["item_code"], "amounts": ["amount_wan_yuan"], "years": ["fiscal_year"]},
    "fct_fund_balance": {"key": ["fact_id"], "not_null": ["unit_id", "fiscal_year", "scheme_code", "item_code"],
                         "codes": ["item_code"], "schemes": ["scheme_code"], "amounts": ["amount_wan_yuan"],
                         "years": ["fiscal_year"]},
    "fct_enrollment": {"key": ["fact_id"], "not_null": ["unit_id", "fiscal_year", "scheme_code", "measure_code", "value"],
                       "codes": ["measure_code"], "schemes": ["scheme_code"], "years": ["fiscal_year"],
                       "counts": ["value"]},
    "fct_staffing": {"key": ["fact_id"], "not_null": ["unit_id", "fiscal_year", "item_code"],
                     "codes": ["item_code"], "years": ["fiscal_year"], "counts": ["value"]},
    "fct_budget": {"key": ["budget_id"], "not_null": ["unit_id", "fiscal_year", "fund_source"], "years": ["fiscal_year"],
                   "amounts": ["budget_initial_wan_yuan", "budget_adjusted_wan_yuan", "actual_wan_yuan"]},
    # a sum of indicator scores over 100 is a finding about the report (dq_checks score_total), not an integrity error
    "fct_evaluation": {"key": ["evaluation_id"], "not_null": ["unit_id", "fiscal_year", "evaluation"], "years": ["fiscal_year"],
                       "scores": ["stated_total_score"]},
    "fct_performance_score": {"key": ["score_row_id"], "not_null": ["unit_id", "fiscal_year"], "years": ["fiscal_year"]},
    "fct_evaluation_dimension": {"key": ["dimension_id"], "not_null": ["unit_id", "fiscal_year", "dimension"],
                                 "years": ["fiscal_year"]},
    "fct_service_output": {"key": ["fact_id"], "not_null": ["unit_id", "fiscal_year", "measure_code", "value"],
                           "codes": ["measure_code"], "years": ["fiscal_year"], "counts": ["value"]},
    "dq_checks": {"key": ["check_id"], "not_null": ["check_id", "check_code", "status", "unit_id", "message"],
                  "years": ["fiscal_year"], "values": {"status": ["pass", "flag"], "check_code": FAMILIES}},
    "quarantine": {"key": ["quarantined_id"], "not_null": ["document_id", "unit_id", "reason_code", "reason"]},
}


def _plausible_bounds() -> dict:
    """The bounds marts.quarantine enforces (dbt_project.yml vars plausible_*): the integrity suites check
    the marts against the same numbers, so a value the models let through never fails them."""
    import yaml

    return yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]


_BOUNDS = _plausible_bounds()
AMOUNT_LIMIT = float(_BOUNDS["plausible_max_wan_yuan"])   # 万元: 1,000 万亿元, above any national total
COUNT_LIMIT = float(_BOUNDS["plausible_max_persons"])     # persons or person-times
YEAR_MIN = int(_BOUNDS["plausible_year_min"])
YEAR_MAX = int(_BOUNDS["plausible_year_max"])


@dataclass
class Finding:
    suite: str
    kind: str            # integrity | consistency
    expectation: str
    success: bool
    unexpected_count: int
    detail: str = ""
    rows: list = field(default_factory=list)


@dataclass(frozen=True)
class Expectation:
    """One GX expectation: its type (``expect_column_values_to_be_in_set`` …) and arguments. ``only_where``
    (column, value) restricts it to the rows where that column equals that value (GX's row_condition)."""
    type: str
    column: str | None = None
    value_set: tuple | None = None
    min_value: float | None = None
    max_value: float | None = None
    only_where: tuple[str, str] | None = None
    meta: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def detail(self) -> str:
        """What it is about: its check family, else its column ('' for the row count)."""
        return self.meta.get("check_code") or self.column or ""

    @property
    def label(self) -> str:
        """How a finding names it: type(detail), as ``checks._findings`` reads GX's results."""
        return f"{self.type}({self.detail})"

    def gx_kwargs(self) -> dict:
        """The arguments of GX's expectation class of this type."""
        kwargs = {k: v for k, v in (("column", self.column), ("min_value", self.min_value),
                                    ("max_value", self.max_value)) if v is not None}
        if self.type == "expect_table_row_count_to_be_between":
            kwargs["max_value"] = self.max_value  # None (no bound) is given explicitly, as GX's own suites write it
        if self.value_set is not None:
            kwargs["value_set"] = list(self.value_set)
        if self.only_where:
            column, value = self.only_where
            kwargs.update(row_condition=f'{column}=="{value}"', condition_parser="pandas")
        if self.meta:
            kwargs["meta"] = dict(self.meta)
        return kwargs


@dataclass(frozen=True)
class Suite:
    name: str
    kind: str            # integrity (an error of ours when it fails) | consistency (findings about the reports)
    table: str           # the mart, in schema marts
    expectations: tuple[Expectation, ...]


def _integrity(table: str, spec: dict, codes: tuple, schemes: tuple) -> Suite:
    items = [Expectation("expect_table_row_count_to_be_between", min_value=0)]
    items += [Expectation("expect_column_values_to_not_be_null", col) for col in spec.get("not_null", [])]
    (key,) = spec["key"]  # every mart has a one-column key (the whole-mart key check is written for that)
    items.append(Expectation("expect_column_values_to_be_unique", key))
    items += [Expectation("expect_column_values_to_be_in_set", col, value_set=codes,
                          meta={"zh": "代码须在术语表中", "en": "codes come from the glossary"})
              for col in spec.get("codes", [])]
    items += [Expectation("expect_column_values_to_be_in_set", col, value_set=schemes) for col in spec.get("schemes", [])]
    ranges = [("amounts", -AMOUNT_LIMIT, AMOUNT_LIMIT, {"zh": "金额（万元）在合理范围", "en": "amount (万元) in range"}),
              ("counts", 0, COUNT_LIMIT, {}), ("scores", 0, 100, {}),
              ("years", YEAR_MIN, YEAR_MAX, {"zh": "年度合理", "en": "plausible year"})]
    for group, low, high, meta in ranges:
        items += [Expectation("expect_column_values_to_be_between", col, min_value=low, max_value=high, meta=meta)
                  for col in spec.get(group, [])]
    items += [Expectation("expect_column_values_to_be_in_set", col, value_set=tuple(values))
              for col, values in spec.get("values", {}).items()]
    return Suite(f"integrity__{table}", "integrity", table, tuple(items))


def _consistency() -> Suite:
    items = tuple(Expectation(
        "expect_column_values_to_be_in_set", "status", value_set=("pass",), only_where=("check_code", family),
        meta={"check_code": family, "zh": f"{family} 校验全部通过（每个标记即报告中的一处不一致）",
              "en": f"every {family} check passes (each flag is an inconsistency in the reports)"})
        for family in FAMILIES)
    return Suite("consistency__dq_checks", "consistency", "dq_checks", items)


def suites(glossary: list[tuple[str, str]]) -> list[Suite]:
    """Every suite, from the glossary's (code, domain) rows: one integrity suite per mart, then consistency."""
    codes = tuple(sorted({code for code, _ in glossary} | {"insured_persons", "authorized_posts"}))
    schemes = tuple(sorted({code for code, domain in glossary if domain == "si_scheme"} - {"si_all_funds"} | {"all"}))
    return [_integrity(table, spec, codes, schemes) for table, spec in MARTS.items()] + [_consistency()]


def glossary_rows(con) -> list[tuple[str, str]]:
    return con.execute("select code, domain from reference.glossary_items").fetchall()
