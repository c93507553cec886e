"""Print the grid of every table in a document: rows × columns, the header in force, roles and units.

    .venv/bin/python scripts/print_grid.py ../shared/dev_corpus/docs/d28.txt [--cells] [--table N]

Reads the file in place (any format the loaders read), normalises and segments it as a load does,
and prints, per table, its layout, lines, kind and caption units, then one line per row: the row
kind and each cell as ``col:text`` (``--cells`` adds ``[header | role | uom]`` for data cells).
Nothing is written anywhere. 打印文档中每个表格的行列网格（表头、列角色、单位）。
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loaders.normalize import normalize_lines  # noqa: E402
from loaders.readers import read_document  # noqa: E402
from loaders.segment import segment  # noqa: E402


def describe_cell(cell, details: bool, width: int) -> str:
    text = cell.text if len(cell.text) <= width else cell.text[: width - 1] + "…"
    col = "-" if cell.col is None else str(cell.col)
    out = f"{col}:{text}"
    if details and (cell.header or cell.role or cell.uom):
        out += f" [{cell.header or ''} | {cell.role or ''} | {cell.uom or ''}]"
    return out


def print_grid(path: Path, details: bool = False, only: int | None = None, width: int = 24) -> None:
    read = read_document(path, path.read_bytes())
    lines, converted = normalize_lines(read.lines)
    seg = segment(lines)
    print(f"# {path.name}: {len(lines)} lines, {len(seg.tables)} tables" + (" (traditional → simplified)" if converted else ""))
    for table in seg.tables:
        if only is not None and table.table_id != only:
            continue
        evaluation = f"/{table.evaluation}" if table.evaluation else ""
        project = f" project={table.project_name}" if table.project_name else ""
        print(f"## table {table.table_id} {table.layout} lines {table.start_line}-{table.end_line} "
              f"kind={table.kind}{evaluation}{project} cols={table.n_cols} "
              f"caption_uoms={'、'.join(table.caption_uoms) or '-'} title={table.title or '-'}")
        for row in table.rows:
            total = " total" if row.is_total else ""
            cells = " | ".join(describe_cell(c, details and row.kind == "data", width) for c in row.cells)
            print(f"  {row.kind:7s}{total} L{row.line_no}: {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--cells", action="store_true", help="show header, role and unit of data cells")
    parser.add_argument("--table", type=int, help="only this table (1-based)")
    parser.add_argument("--width", type=int, default=24, help="cut cell text at this many characters")
    args = parser.parse_args()
    for path in args.paths:
        print_grid(path, args.cells, args.table, args.width)


if __name__ == "__main__":
    main()
