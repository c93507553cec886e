"""The benchmark's synthetic reports (issue 13): the size and mix of real ones, and the data-quality
checks find exactly the inconsistencies injected into them (recall and precision 100%)."""

from __future__ import annotations

import json
import statistics

import duckdb
import pytest

from jixiao.synth import generate

from conftest import REPORTS, cli_env, run_cli


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    generate(40, out, seed=6)
    return out


def test_reports_are_at_least_as_large_as_the_bundled_ones(corpus):
    synthetic = [p.stat().st_size for p in (corpus / "docs").iterdir()]
    bundled = [p.stat().st_size for p in REPORTS.glob("*.txt")]
    assert len(synthetic) == 40
    assert statistics.mean(synthetic) >= statistics.mean(bundled)


def test_reports_carry_prose_and_every_kind_of_table(corpus):
    texts = [p.read_text(encoding="utf-8") for p in sorted((corpus / "docs").iterdir())]
    for text in texts:
        assert "基础数据表" in text and "部门整体支出绩效" in text
        assert text.count("项目支出绩效自评表") >= 1  # one to three projects a year
        prose = [line for line in text.splitlines() if len(line) > 60 and "\t" not in line]
        assert len(prose) >= 15  # duties, plan, results, management … mostly without figures (bundled: 21–32)
    assert any("基金收支情况表" in text for text in texts)  # the fund units' table
    assert any("基金收支情况表" not in text for text in texts)  # and units without a fund


def test_generation_is_deterministic_and_prefix_stable(corpus, tmp_path):
    generate(10, tmp_path / "again", seed=6)
    for p in (tmp_path / "again" / "docs").iterdir():
        assert p.read_bytes() == (corpus / "docs" / p.name).read_bytes()


def test_dq_checks_flag_exactly_the_injected_reports(corpus, tmp_path):
    injected = {json.loads(line)["file"] for line in (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
                if line.strip()}
    assert injected, "the seed injects at least one inconsistency into 40 reports"
    db = tmp_path / "w.duckdb"
    env = cli_env(db, tmp_path)
    run_cli(["load", str(corpus / "docs")], env)
    run_cli(["build"], env)
    con = duckdb.connect(str(db), read_only=True)
    try:
        flagged = {name for (name,) in con.execute("""
            select distinct d.file_name
            from marts.dq_checks c, unnest(c.document_ids) as u(document_id)
            join marts.dim_document d on d.document_id = u.document_id
            where c.status = 'flag'""").fetchall()}
    finally:
        con.close()
    assert flagged == injected, (sorted(flagged - injected), sorted(injected - flagged))


def test_an_injected_total_disagrees_beyond_the_precision_it_is_printed_at():
    """13.60 + 0.40 prints as "14": within rounding of 13.6, so the injection must draw again."""
    import random

    from jixiao.synth import _inject, _printed_tolerance

    class Draws(random.Random):
        def __init__(self, values):
            super().__init__(0)
            self.values = list(values)

        def uniform(self, a, b):
            return self.values.pop(0) if self.values else 1.0

    f = {"three_public": [("因公出国（境）费用", 0), ("公务用车购置及运行费", 1135), ("公务接待费", 225)],
         "three_public_total": 1360}
    assert _printed_tolerance([1400, 0, 1135, 225]) == 0.5 + 0.005 + 0.005  # "14", "0" (exact), 11.35, 2.25
    from types import SimpleNamespace

    recorded = _inject(Draws([0.1, 0.4, 1.5]), SimpleNamespace(scale=1), f, "three_public_total_by_items")
    assert recorded["total_printed"] == "15.1"
