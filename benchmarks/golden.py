"""Golden output: does a change to the reader change what it writes? (issue 13, speed work)

    .venv/bin/python benchmarks/golden.py dump before.json     # on the base commit
    .venv/bin/python benchmarks/golden.py dump after.json      # on the change
    .venv/bin/python benchmarks/golden.py compare before.json after.json

``dump`` runs ``parse_document`` over the bundled reports (data/reports), a synthetic corpus written
for the purpose (``jixiao synth``, fixed seed) and, when they are beside the project, the dev corpora
(their text stays outside the repository: the dump is written where you say, not in it), and keeps
every raw row each document would write, without the fields that change from run to run (load time,
load id, parser version, file path). ``compare`` names each document whose rows differ and the first
table and row that differ; it exits 1 when any does. A speed change must compare equal.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CORPORA = [PROJECT / "data" / "reports", PROJECT.parent / "shared" / "dev_corpus" / "docs",
           PROJECT.parent / "shared" / "dev_corpus_check" / "docs"]
VOLATILE = {"loaded_at", "load_id", "parser_version", "file_path"}
SYNTH_SEED, SYNTH_N = 13, 60


def rows_of(path: Path) -> dict:
    """Every raw row one file would write, volatile fields dropped, in a JSON-comparable form."""
    from loaders.pipeline import parse_document

    parsed = parse_document(path, path.read_bytes(), "golden")
    keep = lambda row: {k: v for k, v in row.items() if k not in VOLATILE}  # noqa: E731
    out = {"documents": [keep(parsed.document)]}
    out.update({table: [keep(r) for r in rows] for table, rows in parsed.children.items()})
    return json.loads(json.dumps(out, ensure_ascii=False, default=str))


def files_to_read(synth_dir: Path) -> list[Path]:
    subprocess.run([str(Path(sys.executable).parent / "jixiao"), "synth", str(SYNTH_N), "--out", str(synth_dir),
                    "--seed", str(SYNTH_SEED)], check=True, capture_output=True)
    folders = [c for c in CORPORA if c.is_dir()] + [synth_dir / "docs"]
    return sorted(p for folder in folders for p in folder.rglob("*") if p.is_file() and p.name != "manifest.jsonl")


def dump(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        docs = {}
        for path in files_to_read(Path(tmp) / "synth"):
            key = f"{path.parent.name}/{path.name}"
            try:
                docs[key] = rows_of(path)
            except Exception as exc:  # an unreadable file is an outcome too: it must stay the same
                docs[key] = {"error": f"{type(exc).__name__}: {exc}"}
    out.write_text(json.dumps(docs, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    print(f"{len(docs)} documents written to {out}")


def first_difference(a: dict, b: dict) -> str:
    for table in sorted(set(a) | set(b)):
        ra, rb = a.get(table, []), b.get(table, [])
        if len(ra) != len(rb):
            return f"{table}: {len(ra)} rows before, {len(rb)} after"
        for i, (x, y) in enumerate(zip(ra, rb)):
            if x != y:
                cols = sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))
                return f"{table} row {i}: " + ", ".join(f"{c} {x.get(c)!r} → {y.get(c)!r}" for c in cols[:4])
    return "?"


def compare(before: Path, after: Path) -> int:
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (before, after))
    differ = [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    for key in differ[:20]:
        print(f"{key}: {first_difference(a.get(key, {}), b.get(key, {}))}")
    print(f"{len(set(a) | set(b))} documents, {len(differ)} differ")
    return 1 if differ else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("dump").add_argument("out", type=Path)
    cmp = sub.add_parser("compare")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    args = ap.parse_args()
    if args.command == "dump":
        dump(args.out)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
