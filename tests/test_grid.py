"""The grid model of tables (loaders/grid.py, loaders/segment.py): one synthetic table per layout in
tests/cases/grid_cases.jsonl (invented text), property tests that every layout keeps every line and
reproduces the rows × columns it was written from, and the grid's raw rows."""

from __future__ import annotations

import json
import re
import tokenize
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import grid
from loaders import vocabulary as vocab
from loaders.normalize import is_flattened_table_row, join_letter_spacing, normalize_line, normalize_lines
from loaders.segment import segment

ROOT = Path(__file__).resolve().parent.parent
CASES = [json.loads(line) for line in (ROOT / "tests" / "cases" / "grid_cases.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]


def tables_of(lines: list[str]):
    normalised, _ = normalize_lines(lines)
    return segment(normalised).tables


def as_grid(row: grid.Row) -> list[str | None]:
    """A row as its grid: the text under each column, None where the row has no cell."""
    placed = {c.col: c.text for c in row.cells if c.col is not None}
    width = max(placed, default=-1) + 1
    return [placed.get(k) for k in range(width)]


# ---------------------------------------------------------------- the case file

@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_grid_case(case):
    tables = tables_of(case["lines"])
    assert len(tables) == 1, [t.layout for t in tables]
    table = tables[0]
    assert table.layout == case["layout"]
    assert [[row.kind, as_grid(row)] for row in table.rows] == case["rows"]
    for check in case["cells"]:
        row = table.rows[check["row"]]
        if "total" in check:
            assert row.is_total is check["total"], check
        if "col" not in check:
            continue
        cell = next(c for c in row.cells if c.col == check["col"])
        for key in ("header", "role", "uom", "is_value"):
            if key in check:
                assert getattr(cell, key) == check[key], (check, cell)
    for key, value in case["table"].items():
        assert getattr(table, key) == value, key


def test_every_layout_has_a_case():
    layouts = {c["layout"] for c in CASES}
    assert layouts >= {"tsv", "cell_per_line", "pipe", "pipe_cells", "spaces", "paragraph_cells", "flat_line"}


# ---------------------------------------------------------------- pieces

ROLES_OF_HEADERS = {
    "年初预算数": "budget_initial", "全年预算数(A)": "budget_adjusted", "全年执行数(B)": "actual",
    "预算执行率(B/A×100%)": "execution_rate", "执行率": "execution_rate", "分值": "weight", "得分": "score",
    "一级指标": "level1", "二级指标": "level2", "三级指标": "indicator", "年度指标值": "target_value",
    "实际完成值": "actual_value", "偏差原因分析及改进措施": "deviation", "本年支出": "actual", "上年支出": "prior",
    "同比变动(负数为节约)/金额": "change_abs", "同比变动(负数为节约)/占比": "change_pct", "2021年预算数": "budget",
    "2021年调整后预算数": "budget_adjusted", "当期执行数": "period_actual", "累计执行数": "actual",
    "上年同期累计执行数": "prior", "预算执行进度(%)": "execution_rate", "比上年同期增长(%)": "change_pct",
    "结余数": "balance_left", "结余交回财政数": "returned", "预算数(调整后)/中央": "budget_adjusted",
    "执行数(至2023年底)": "actual", "自评得分": "score", "2022年决算数": "actual", "年度预算申请(万元)": "budget",
}


def test_column_roles_of_the_genre_s_headers():
    """The roles the headers of this genre take (the precedence the retired extract.py gave them, kept)."""
    for header, role in ROLES_OF_HEADERS.items():
        assert grid.column_role(header) == role, header


def test_column_role_rows_of_one_role_are_together():
    """A role's precedence is where its first row stands: its rows must not be split by another role's."""
    roles = [value for _, value in vocab.pairs("column_role")]
    seen: list[str] = []
    for role in roles:
        if seen and seen[-1] == role:
            continue
        assert role not in seen, f"rows of column role {role} are not together in seeds/vocab_layout.csv"
        seen.append(role)


def test_cells_are_figures_nils_or_words():
    assert grid.is_figure("3359.62万") and grid.is_figure("≥50000人次") and grid.is_figure("1,094,445.48")
    assert grid.is_figure("-82.64%") and not grid.is_figure("589元/人") and not grid.is_figure("示例")
    assert grid.is_nil("-") and grid.is_nil("—".replace("—", "-")) and grid.is_nil("无") and not grid.is_nil("")
    assert grid.caption_uoms("金额单位:元") == ["元"] and grid.caption_uoms("单位:人、万元") == ["人", "万元"]
    assert grid.header_uom("预算数(万元)") == "万元" and grid.header_uom("执行率(%)") == "%"


def test_rows_from_stream_cut_shorter_rows_at_a_word():
    """A funding row with fewer figures than its header ends where a label starts the next row."""
    words = ["项目", "预算数", "执行数", "执行率", "示例甲", "5", "4", "80%", "示例乙", "3", "示例丙", "2", "2", "100%"]
    rows = grid.rows_from_stream([grid.Cell(w, 1) for w in words])
    assert [[c.text for c in r.cells] for r in rows] == [
        ["项目", "预算数", "执行数", "执行率"], ["示例甲", "5", "4", "80%"], ["示例乙", "3"], ["示例丙", "2", "2", "100%"]]
    assert [r.kind for r in rows] == ["header", "data", "data", "data"]


def test_records_carry_the_grid():
    lines = ["单位:万元", "项目\t预算数\t执行数", "示例经费\t10\t8", "合计\t10\t8"]
    table = tables_of(lines)[0]
    record = grid.table_record(table)
    assert record["caption_uom"] == "万元" and record["grid_cols"] == 3 and record["layout"] == "tsv"
    cells = grid.cell_records(table)
    figure = next(c for c in cells if c["text"] == "8" and c["row_idx"] == 2)
    assert figure["row_kind"] == "data" and figure["grid_col"] == 2 and figure["grid_header"] == "执行数"
    assert figure["grid_role"] == "actual" and figure["grid_uom"] == "万元" and figure["is_value"] is True
    assert figure["row_header"] == "示例经费"
    assert next(c for c in cells if c["text"] == "合计")["is_total_row"] is True
    assert {tuple(sorted(c)) for c in cells} == {tuple(sorted(cells[0]))}  # one shape for every row


def test_pipeline_writes_the_grid_beside_the_legacy_columns(tmp_path):
    from loaders.pipeline import parse_document

    text = "示例中心整体支出绩效自评表\n单位:万元\n项目\t年初预算数\t全年执行数\t执行率\n示例经费\t10\t8\t80%\n"
    parsed = parse_document(tmp_path / "示例.txt", ("绩效自评\n" + text).encode("utf-8"), "load_x")
    cells = parsed.children["table_cells"]
    table = parsed.children["tables"][0]
    assert table["table_kind"] == "self_evaluation" and table["grid_cols"] == 4
    rate = next(c for c in cells if c["text"] == "80%")
    assert rate["grid_role"] == rate["col_role"] == "execution_rate" and rate["grid_col"] == 3
    from loaders.store import columns_of
    assert set(columns_of("table_cells")) <= set(cells[0]) and set(columns_of("tables")) <= set(table)


# ---------------------------------------------------------------- normalisation

def test_letter_spaced_text_is_joined_and_cells_are_not():
    assert join_letter_spacing("经 费 总预 算 安 排 100 元") == "经费总预算安排 100 元"
    assert join_letter_spacing("中央 省级 市级 区级") == "中央 省级 市级 区级"
    assert normalize_line("示例费 总预 算 安 排 37.5 元 , 其中 : 基 本 支出 预 算") == "示例费总预算安排37.5元,其中:基本支出预算"
    assert normalize_line("产 出 指 标 |") == "产出指标 |"
    assert normalize_line("项 目 | 预算数 | 执行数") == "项目 | 预算数 | 执行数"
    assert normalize_line("中央 省级 县级") == "中央 省级 县级"  # a sub-header of three levels keeps its cells
    row = "一示例收入 1 4,627.57 一示例支出 32 0.00 二示例收入 2 0.00"
    assert is_flattened_table_row(row) and normalize_line(row) == row
    assert not is_flattened_table_row("在职人员 57 人, 退休人员 12 人")
    sub_row = "  其中:当年拨款 120 120 96  "  # a sub-row with fewer cells: its label keeps its space
    assert is_flattened_table_row(sub_row) and normalize_line(sub_row) == sub_row.rstrip()


def test_traditional_lines_in_a_simplified_text_are_converted_on_their_own():
    prose = ["本页的文字都是简体字,下面的一行来自一个繁体页面,只有那一行需要转换。"] * 8
    lines, converted = normalize_lines(prose + ["人員編製 | 8 |", "萬(wàn)元"])
    assert not converted
    assert lines[-2] == "人员编制 | 8 |" and lines[-1] == "万元" and lines[0] == prose[0]


def test_no_chinese_string_literal_in_the_grid_modules():
    """Vocabulary lives in seeds/vocab_layout.csv: no string in these modules holds Chinese (docstrings
    and comments may, to show examples)."""
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff]")
    for name in ("segment.py", "grid.py", "normalize.py"):
        path = ROOT / "loaders" / name
        with path.open("rb") as fh:
            tokens = list(tokenize.tokenize(fh.readline))
        for prev, tok in zip([None] + tokens, tokens):
            if tok.type != tokenize.STRING or not cjk.search(tok.string):
                continue
            is_docstring = tok.string.startswith(('"""', "'''")) and (prev is None or prev.type in (
                tokenize.INDENT, tokenize.NEWLINE, tokenize.NL, tokenize.DEDENT, tokenize.ENCODING))
            assert is_docstring, f"{name}:{tok.start[0]} holds a Chinese string literal: {tok.string[:40]}"


# ---------------------------------------------------------------- property tests: every layout

LABELS = ["示例甲", "示例乙项", "示例丙项目", "其中:示例丁", "示例戊经费", "示例己"]
HEADERS = ["项目", "年初预算数", "全年预算数", "全年执行数", "执行率", "分值", "得分", "上年支出", "结余数"]
amount = st.one_of(st.integers(0, 99999).map(str),
                   st.tuples(st.integers(0, 9999), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]:02d}"))
rate = st.integers(0, 100).map(lambda n: f"{n}%")


@st.composite
def tables(draw):
    """A header (项目 then value columns) and rows of a label and figures, all invented."""
    n_cols = draw(st.integers(2, 6))
    header = ["项目"] + draw(st.lists(st.sampled_from(HEADERS[1:]), min_size=n_cols - 1, max_size=n_cols - 1, unique=True))
    n_rows = draw(st.integers(2, 6))
    rows = [[draw(st.sampled_from(LABELS))] + [draw(rate if h == "执行率" else amount) for h in header[1:]]
            for _ in range(n_rows)]
    return header, rows


def render(layout: str, header: list[str], rows: list[list[str]]) -> list[str]:
    grid_rows = [header] + rows
    if layout == "tsv":
        return ["\t".join(r) for r in grid_rows]
    if layout == "pipe":
        return [" | ".join(r) + " |" for r in grid_rows]
    if layout == "pipe_open":
        return [" | ".join(r) for r in grid_rows]
    if layout == "cell_per_line":
        return [line for r in grid_rows for line in ["\t" + c for c in r] + [""]]
    if layout == "pipe_cells":
        return ["|" * 8] + [line for r in grid_rows for line in [x for c in r for x in (c, "|")] + ["|" * 6]]
    if layout == "paragraph_cells":
        return [line for r in grid_rows for c in r for line in (c, "")][:-1]
    if layout == "flat_line":
        return [" ".join(c for r in grid_rows for c in r)]
    raise ValueError(layout)


LAYOUTS = ["tsv", "pipe", "pipe_open", "cell_per_line", "pipe_cells", "paragraph_cells", "flat_line"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from(LAYOUTS))
def test_every_layout_reads_back_as_its_grid(table, layout):
    header, rows = table
    lines = render(layout, header, rows)
    if layout in ("paragraph_cells", "flat_line") and (len(header) < 3 or len(header) * (len(rows) + 1) < 12):
        return  # without marks of its own, a table needs a header of three cells and a dozen cells to be told from prose
    found = tables_of(lines)
    assert len(found) == 1, (layout, lines)
    got = [r for r in found[0].rows if r.kind in ("header", "data")]
    assert [as_grid(r) for r in got] == [header] + rows, layout
    assert [r.kind for r in got] == ["header"] + ["data"] * len(rows)
    for r in got[1:]:
        assert [c.header for c in r.cells] == header
        assert all(c.is_value for c in r.cells[1:]) and not r.cells[0].is_value


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from(LAYOUTS), st.lists(st.sampled_from(["", " ", "示例说明文字。", "|", "||||"]), max_size=3))
def test_no_line_of_a_table_is_lost(table, layout, noise):
    """Every character of a table's lines is in one of its cells, whatever comes before or after."""
    header, rows = table
    lines, _ = normalize_lines(noise + render(layout, header, rows) + noise)
    seg = segment(lines)
    for t in seg.tables:
        text = "".join(c.text for r in t.rows for c in r.cells)
        for k in range(t.start_line - 1, t.end_line):
            for ch in lines[k].replace("|", "").replace(" ", "").replace("\t", ""):
                assert ch in text, (layout, lines[k])
        for r in t.rows:
            cols = [c.col for c in r.cells if c.col is not None]
            assert cols == sorted(set(cols)), (layout, [c.text for c in r.cells], cols)


def test_a_project_name_field_above_a_flattened_form_names_its_table():
    """项目名称 on its own line, the funding rows cut as a table below it: the table is that project's."""
    lines = ["项目支出绩效自评表", "（2023年度）", "项目名称 档案数字化管理经费", "主管部门 某县档案局 实施单位 某县档案馆",
             "项目资金   年初预算数 全年预算数 全年执行数 分值 执行率 得分", "(万元)",
             "  年度资金总额 120 120 96 10 80% 8", "  其中:当年财政拨款 120 120 96  "]
    tables = [t for t in tables_of(lines) if t.kind == "self_evaluation"]
    assert len(tables) == 1
    assert (tables[0].evaluation, tables[0].project_name) == ("project", "档案数字化管理经费")
