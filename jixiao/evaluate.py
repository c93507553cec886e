"""Measure the extraction on a corpus with hand-checked facts (``expected.jsonl``).

The corpus is loaded into a throwaway warehouse with the normal CLI (``jixiao load`` + ``jixiao
build``), then each expected fact is judged by the rule of ``../shared/dev_corpus/README.md``
("How a fact is judged"), which is scope-aware:

- look among the mart rows of the document's unit and the fact's fiscal year with its code, scheme
  (default ``all``), status (default ``all``) and basis (where the mart has a basis);
- a fact without ``scope_kind`` counts only on rows of the unit as a whole (``sub_unit``,
  ``project_name``, ``fund_part`` empty, ``post_type`` ``all``, ``fund_source`` ``all``); a fact with
  ``scope`` + ``scope_kind`` only on rows whose part column names that part (``project`` →
  ``project_name``, ``sub_unit`` → ``sub_unit``, ``fund_part`` and ``item_part`` → ``fund_part``);
- *found*: such a row holds the value to the printed precision; *misplaced*: a part's value sits on
  the whole-unit row instead; *wrong*: such rows exist but none holds it; *missing*: otherwise.

A d01–d25 record with ``scope`` but no ``scope_kind`` carries a free note, not a part the rule can
check: any row of the key counts for it, whole or part. Core codes and the new families (``NEW_FAMILIES``, and any fact with basis target)
are reported apart; so are unit names against ``sources.tsv`` and the listed contradictions that
``dq_checks`` flags. The corpus text is read where it is; nothing from it enters the repository.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb

from loaders.normalize import normalize_line

UOM_FACTOR = {"wan_yuan": Decimal(1), "yi_yuan": Decimal(10000), "yuan": Decimal("0.0001"),
              "qian_yuan": Decimal("0.1"), "persons": Decimal(1), "wan_persons": Decimal(10000),
              "person_times": Decimal(1), "units": Decimal(1), "percent": Decimal(1), "points": Decimal(1)}
# expected-fact codes that are named differently in the glossary
CODE_ALIASES = {"carryover_next": "carryover_closing", "agency_operation": "exp_agency_operation"}
NEW_FAMILIES = {"funds_by_source", "internal_divisions", "subordinate_units", "eval_dimension_score",
                "eval_dimension_weight", "eval_indicator_score", "eval_indicator_weight", "new_urban_employment",
                "reemployment", "completion_rate", "project_count"}
ENROLLMENT = {"insured_persons", "beneficiaries", "insured_contributing", "insured_employers", "new_insured",
              "subsidized_persons"}
STAFFING = {"authorized_posts", "actual_staff", "retired_staff", "contract_staff", "internal_divisions",
            "subordinate_units"}
SERVICE_OUTPUT = {"new_urban_employment", "reemployment", "project_count"}
FUND_EXTRA = {"contributions_collected", "benefits_paid"}
PART_COLUMN = {"project": "project_name", "sub_unit": "sub_unit", "fund_part": "fund_part", "item_part": "fund_part"}
WHOLE = {"project_name": "", "sub_unit": "", "fund_part": "", "post_type": "all", "fund_source": "all"}
BASIS_COLUMN = {"budget_initial": "budget_initial_wan_yuan", "budget_adjusted": "budget_adjusted_wan_yuan",
                "actual": "actual_wan_yuan"}
# the dq_checks codes that can catch a listed contradiction of each kind
KIND_CHECKS = {"sum": {"sum_components", "score_total"}, "ratio": {"ratio"}, "change": {"claimed_change"},
               "score": {"score_total", "sum_components"}, "conflict": {"conflicting_values", "cross_document"}}


@dataclass(frozen=True)
class Lookup:
    """Where a fact is looked for: the mart, its code column and code, the column holding the value,
    and the extra columns that must match (scheme, status, fund_source, dimension …)."""
    mart: str
    code_column: str | None
    code: str | None
    value_column: str
    match: tuple[tuple[str, str], ...] = ()
    name_match: tuple[tuple[str, str], ...] = ()  # (column, printed name) matched loosely
    numeric_text: bool = False  # the value column holds text such as '≥95%'


def mart_for(fact: str) -> str:
    """The mart a fact code is judged in (README: "Mart per code")."""
    fact = CODE_ALIASES.get(fact, fact)
    if fact.startswith(("exp_", "func_", "three_public")) or fact == "gov_procurement":
        return "fct_expenditure"
    if fact.startswith(("income_", "carryover_")):
        return "fct_income"
    if fact in STAFFING:
        return "fct_staffing"
    if fact in ENROLLMENT:
        return "fct_enrollment"
    if fact.startswith("fund_") or fact in FUND_EXTRA:
        return "fct_fund_balance"
    if fact in ("execution_rate", "funds_by_source"):
        return "fct_budget"
    if fact == "eval_total_score":
        return "fct_evaluation"
    if fact.startswith("eval_dimension_"):
        return "fct_evaluation_dimension"
    if fact.startswith("eval_indicator_") or fact == "completion_rate":
        return "fct_performance_score"
    if fact in SERVICE_OUTPUT:
        return "fct_service_output"
    return "unknown"


def lookups_for(exp: dict) -> list[Lookup]:
    """Every place the fact may sit; the first is its own mart."""
    fact = CODE_ALIASES.get(exp["fact"], exp["fact"])
    basis, scheme = exp.get("basis", "actual"), exp.get("scheme") or "all"
    mart = mart_for(fact)
    with_basis = (("basis", basis),)
    if mart in ("fct_expenditure", "fct_income"):
        found = [Lookup(mart, "item_code", fact, "amount_wan_yuan", with_basis)]
        if fact in ("exp_project", "exp_total") and exp.get("scope_kind") in ("project", "fund_part", "item_part") \
                and basis in BASIS_COLUMN:
            # a project's or a funding source's total may sit in fct_budget, in the column of its basis
            found.append(Lookup("fct_budget", None, None, BASIS_COLUMN[basis]))
        return found
    if mart == "fct_staffing":
        return [Lookup(mart, "item_code", fact, "value")]
    if mart == "fct_enrollment":
        return [Lookup(mart, "measure_code", fact, "value",
                       with_basis + (("scheme_code", scheme), ("status", exp.get("status") or "all")))]
    if mart == "fct_fund_balance":
        return [Lookup(mart, "item_code", fact, "amount_wan_yuan", with_basis + (("scheme_code", scheme),))]
    if fact == "execution_rate":
        match = (("scheme_code", scheme),) if exp.get("scheme") else ()
        return [Lookup(mart, None, None, "stated_execution_rate", match)]
    if fact == "funds_by_source":
        return [Lookup(mart, None, None, BASIS_COLUMN.get(basis, "actual_wan_yuan"),
                       (("fund_source", exp.get("source") or "other"),))]
    if mart == "fct_evaluation":
        return [Lookup(mart, None, None, "stated_total_score")]
    if mart == "fct_evaluation_dimension":
        names = (("dimension", exp["dimension"]),) if exp.get("dimension") else ()
        return [Lookup(mart, None, None, "weight" if fact.endswith("weight") else "score", name_match=names)]
    if fact == "completion_rate":
        return [Lookup(mart, None, None, "target_value" if basis == "target" else "actual_value", numeric_text=True)]
    if mart == "fct_performance_score":
        indicator = (exp.get("indicator") or "").split("/")[-1]
        names = (("indicator", indicator),) if indicator else ()
        return [Lookup(mart, None, None, "weight" if fact.endswith("weight") else "score", name_match=names)]
    if mart == "fct_service_output":
        return [Lookup(mart, "measure_code", fact, "value", with_basis)]
    return []


@dataclass
class Outcome:
    expected: dict
    mart: str
    family: str  # core | new
    status: str  # found | wrong | misplaced | missing
    observed: list = field(default_factory=list)


def family_of(exp: dict) -> str:
    return "new" if exp["fact"] in NEW_FAMILIES or exp.get("basis") == "target" else "core"


def name_key(text: str | None) -> str:
    """A printed name reduced for comparison: normalised, simplified, without spaces, quotes or brackets."""
    if not text:
        return ""
    simplified = normalize_line(text, simplify=True)
    return re.sub(r"[\s\"'“”‘’()（）\[\]【】《》<>·,，、:：;；.。|-]", "", simplified)


def names_part(column_value: str | None, printed: str) -> bool:
    """Whether a mart row's part column names the printed part (either contains the other)."""
    a, b = name_key(column_value), name_key(printed)
    return bool(a) and bool(b) and (a == b or a in b or b in a)


def _decimals(value) -> int:
    text = format(Decimal(str(value)), "f")
    return len(text.split(".")[1]) if "." in text else 0


def _number(value) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, str):
        m = re.search(r"-?\d+(?:\.\d+)?", value.replace(",", ""))
        return Decimal(m.group(0)) if m else None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


class MartRows:
    """The marts' rows, read once, indexed by (mart, unit_id, fiscal_year)."""

    def __init__(self, con):
        self.rows: dict[tuple, list[dict]] = defaultdict(list)
        self.present: set[str] = set()
        marts = {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}
        for mart in marts:
            if not mart.startswith(("fct_",)):
                continue
            self.present.add(mart)
            cur = con.execute(f"select * from marts.{mart}")
            cols = [d[0] for d in cur.description]
            if "unit_id" not in cols or "fiscal_year" not in cols:
                continue
            for values in cur.fetchall():
                row = dict(zip(cols, values))
                self.rows[(mart, row["unit_id"], row["fiscal_year"])].append(row)

    def of(self, mart: str, unit_id: str, year: int) -> list[dict]:
        return self.rows.get((mart, unit_id, year), [])


def _is_whole(row: dict) -> bool:
    return all((row.get(col) if row.get(col) is not None else want) == want for col, want in WHOLE.items())


def _keyed(rows: list[dict], look: Lookup) -> list[dict]:
    out = []
    for row in rows:
        if look.code_column and row.get(look.code_column) != look.code:
            continue
        if any(col in row and row[col] != want for col, want in look.match):
            continue
        if any(not names_part(row.get(col), printed) for col, printed in look.name_match):
            continue
        out.append(row)
    return out


def judge_fact(marts: MartRows, exp: dict, unit_id: str | None) -> Outcome:
    looks = lookups_for(exp)
    mart = mart_for(exp["fact"])
    target = Decimal(str(exp["value"])) * UOM_FACTOR.get(exp["uom"], Decimal(1))
    # half a unit of the expected value's last printed digit, in the mart's unit
    tol = max(Decimal("0.5") * Decimal(10) ** -_decimals(exp["value"]) * UOM_FACTOR.get(exp["uom"], Decimal(1)),
              Decimal("0.00005"))
    kind = exp.get("scope_kind")
    part_column = PART_COLUMN.get(kind) if kind else None
    scoped, whole = [], []
    for look in looks if unit_id else []:
        for row in _keyed(marts.of(look.mart, unit_id, exp["fiscal_year"]), look):
            value = _number(row.get(look.value_column))
            if value is None:
                continue
            if part_column is None:
                if _is_whole(row) or exp.get("scope"):  # a free-note scope names no checkable part
                    scoped.append(value)
            elif names_part(row.get(part_column), exp.get("scope") or ""):
                scoped.append(value)
            elif _is_whole(row):
                whole.append(value)
    holds = lambda values: any(abs(v - target) <= tol for v in values)  # noqa: E731
    if holds(scoped):
        status = "found"
    elif part_column and holds(whole):
        status = "misplaced"
    elif scoped:
        status = "wrong"
    else:
        status = "missing"
    return Outcome(exp, mart, family_of(exp), status, scoped or whole)


def _run(cmd: list[str], env: dict) -> None:
    completed = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")


def build_throwaway(docs_dir: Path, workdir: Path) -> Path:
    """Load and build a fresh warehouse from ``docs_dir`` with the normal CLI."""
    db = workdir / "eval.duckdb"
    for stale in (db, db.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)  # every evaluation starts from an empty warehouse
    env = dict(os.environ, JIXIAO_DB=str(db), DBT_TARGET_PATH=str(workdir / "target"),
               DBT_LOG_PATH=str(workdir / "logs"))
    jixiao = str(Path(sys.executable).with_name("jixiao"))
    _run([jixiao, "load", str(docs_dir)], env)
    try:
        _run([jixiao, "build", "--no-plan"], env)  # a throwaway warehouse is never built incrementally
    except RuntimeError as exc:
        # a failing data test on this corpus is reported, but the marts that were built are still measured
        failed = [line.strip() for line in str(exc).splitlines() if " FAIL " in line or "ERROR creating" in line]
        print("warning: dbt build reported failures on this corpus (构建有失败项):\n  " + "\n  ".join(failed[:20]),
              file=sys.stderr)
    return db


def _read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(corpus: Path, keep_dir: Path | None = None) -> dict:
    corpus = Path(corpus)
    expected = _read_jsonl(corpus / "expected.jsonl")
    inconsistencies = _read_jsonl(corpus / "inconsistencies.jsonl")
    workdir = Path(keep_dir) if keep_dir else Path(tempfile.mkdtemp(prefix="jixiao-eval-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = build_throwaway(corpus / "docs", workdir)
    con = duckdb.connect(str(db), read_only=True)
    try:
        doc_units = {name: (unit, doc) for name, unit, doc in
                     con.execute("select file_name, unit_id, document_id from marts.dim_document").fetchall()}
        marts = MartRows(con)
        outcomes = [judge_fact(marts, exp, doc_units.get(exp["doc"], (None, None))[0]) for exp in expected]
        dq = _dq_summary(con, inconsistencies, doc_units)
        units = _unit_names(con, corpus / "sources.tsv")
    finally:
        con.close()
    return {"outcomes": outcomes, "dq": dq, "units": units, "warehouse": str(db), "marts_present": marts.present}


def _dq_summary(con, inconsistencies: list[dict], doc_units: dict) -> dict:
    try:
        flags = con.execute("""select unnest(document_ids) as document_id, check_code from marts.dq_checks
                               where status = 'flag'""").fetchall()
    except duckdb.Error:
        return {"available": False}
    codes_by_doc: dict[str, set[str]] = defaultdict(set)
    n_by_doc: Counter = Counter()
    for doc, code in flags:
        codes_by_doc[doc].add(code)
        n_by_doc[doc] += 1
    listed_docs = {doc_units.get(i["doc"], (None, None))[1] for i in inconsistencies}
    caught, caught_any_flag, missed = 0, 0, []
    for inc in inconsistencies:
        codes = codes_by_doc.get(doc_units.get(inc["doc"], (None, None))[1], set())
        caught_any_flag += bool(codes)
        if codes & KIND_CHECKS.get(inc["kind"], set()):
            caught += 1
        else:
            missed.append(inc)
    name_of = {doc: name for name, (_, doc) in doc_units.items()}
    unlisted = {name_of.get(d, d): n for d, n in n_by_doc.items() if d not in listed_docs}
    return {"available": True, "listed": len(inconsistencies), "caught": caught, "caught_any_flag": caught_any_flag,
            "missed": missed, "flags_not_listed": sum(unlisted.values()), "unlisted_by_doc": unlisted,
            "flags_total": len(flags)}


def _printed_name(name: str) -> str | None:
    """The unit name sources.tsv gives, without its annotations; None when the excerpt prints none."""
    name = name.strip()
    if not name or name[0] in "([（【":
        return None
    return re.sub(r"[(（\[【][^()（）\[\]【】]*[)）\]】]\s*$", "", name).strip() or None


def _unit_names(con, sources: Path) -> dict:
    """For each document whose excerpt prints its unit's name (sources.tsv), whether dim_unit has it."""
    if not sources.exists():
        return {"available": False}
    with sources.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    got = dict(con.execute("""select d.file_name, u.unit_name from marts.dim_document d
                              left join marts.dim_unit u using (unit_id)""").fetchall())
    texts = dict(con.execute("""select d.file_name, string_agg(l.text, '' order by l.line_no)
                                from raw.lines l join raw.documents d using (document_id)
                                group by d.file_name""").fetchall())
    judged = []
    for row in rows:
        printed = _printed_name(row.get("unit_name", ""))
        if printed is None or name_key(printed) not in name_key(texts.get(row["doc"], "")):
            continue
        judged.append((row["doc"], printed, got.get(row["doc"]), name_key(got.get(row["doc"])) == name_key(printed)))
    return {"available": True, "judged": judged, "right": sum(1 for j in judged if j[3]), "n": len(judged),
            "n_documents": len(rows)}


def summarise(outcomes: list[Outcome], by: str = "mart") -> dict[str, dict[str, int]]:
    """Counts of found / wrong / misplaced / missing by mart (or by document), with an overall row."""
    table: dict[str, Counter] = defaultdict(Counter)
    for o in outcomes:
        key = o.mart if by == "mart" else o.expected["doc"]
        table[key][o.status] += 1
        table["overall"][o.status] += 1
    return {key: dict(counts) for key, counts in table.items()}


def rates(counts: dict[str, int]) -> tuple[int, float, float]:
    """(n, recall %, wrong + misplaced %) of a row of counts."""
    n = sum(counts.values())
    if not n:
        return 0, 0.0, 0.0
    return n, 100 * counts.get("found", 0) / n, 100 * (counts.get("wrong", 0) + counts.get("misplaced", 0)) / n
