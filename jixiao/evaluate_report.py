"""Print what ``jixiao eval`` measured: recall and wrong + misplaced per mart, core codes and new
families apart, per document on request, unit names, listed contradictions, and the misses."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .evaluate import Outcome, rates, summarise

_STATUS_COLUMNS = ("found", "wrong", "misplaced", "missing")


def _counts_table(title: str, summary: dict[str, dict[str, int]], first_column: str) -> Table:
    table = Table(title=title)
    table.add_column(first_column)
    for col in ("expected 期望", "found 命中", "wrong 错值", "misplaced 错位", "missing 缺失", "recall 召回率",
                "wrong+misplaced 错误率"):
        table.add_column(col, justify="right")
    for key in sorted(summary, key=lambda k: (k == "overall", k)):
        counts = summary[key]
        n, recall, bad = rates(counts)
        table.add_row(key, str(n), *(str(counts.get(s, 0)) for s in _STATUS_COLUMNS), f"{recall:.1f}%", f"{bad:.1f}%")
    return table


def _family(outcomes: list[Outcome], family: str) -> list[Outcome]:
    return [o for o in outcomes if o.family == family]


def print_evaluation(result: dict, corpus: str, console: Console, misses: bool = False,
                     per_document: bool = False) -> None:
    outcomes: list[Outcome] = result["outcomes"]
    for family, label in (("core", "core codes 核心指标"), ("new", "new families 新增类别")):
        chosen = _family(outcomes, family)
        if chosen:
            console.print(_counts_table(f"{label} — {corpus}", summarise(chosen), "mart 表"))
    if per_document:
        console.print(_counts_table(f"per document 按文档 — {corpus}", summarise(outcomes, by="document"), "doc 文档"))
    for family in ("core", "new"):
        n, recall, bad = rates(summarise(_family(outcomes, family)).get("overall", {}))
        console.print(f"{family:4} 合计: {n} facts, recall 召回率 {recall:.1f}%, wrong+misplaced 错误率 {bad:.1f}%")
    _print_units(result.get("units", {}), console)
    _print_dq(result.get("dq", {}), console)
    if misses:
        _print_misses(outcomes, console)
    console.print(f"warehouse 仓库: {result['warehouse']}")


def _print_units(units: dict, console: Console) -> None:
    if not units.get("available"):
        return
    console.print(f"unit names 单位名称: {units['right']} of {units['n']} documents that print their unit's name are right "
                  f"({units['n_documents']} documents in all)")
    for doc, printed, got, right in units["judged"]:
        if not right:
            console.print(f"  unit   {doc}: expected {printed}, got {got}")


def _print_dq(dq: dict, console: Console) -> None:
    if not dq.get("available"):
        console.print("dq_checks not built: contradictions not measured (未构建数据质量检查)")
        return
    console.print(f"listed contradictions flagged by a check of their kind 已发现的矛盾: {dq['caught']} of {dq['listed']} "
                  f"(any flag on the document: {dq['caught_any_flag']}); flags on documents with none listed "
                  f"其他标记: {dq['flags_not_listed']}")
    for name, n in sorted(dq["unlisted_by_doc"].items()):
        console.print(f"  flags  {name}: {n}")


def _print_misses(outcomes: list[Outcome], console: Console) -> None:
    for o in outcomes:
        if o.status == "found":
            continue
        e = o.expected
        scope = f"[{e.get('scope_kind')}:{e.get('scope')}]" if e.get("scope_kind") else ""
        console.print(f"{o.status:9} {e['doc']} {e['fact']} {e.get('scheme') or ''}{e.get('source') or ''} {e['basis']} "
                      f"{e['fiscal_year']} {e['value']} {e['uom']} {scope} | got {[float(v) for v in o.observed][:4]} "
                      f"| {e['quote'][:60]!r}", soft_wrap=True, markup=False)
