"""benchmarks/golden.py: the check a speed change to the reader must pass names what changed."""

from __future__ import annotations

import importlib.util
import json

from conftest import PROJECT_DIR


def _golden():
    spec = importlib.util.spec_from_file_location("golden", PROJECT_DIR / "benchmarks" / "golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _dump(path, docs):
    path.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    return path


def test_equal_dumps_compare_equal_and_a_changed_value_is_named(tmp_path, capsys):
    golden = _golden()
    doc = {"documents": [{"document_id": "doc_a"}], "mentions": [{"mention_id": 1, "value": 3.0}, {"mention_id": 2, "value": 4.0}]}
    before = _dump(tmp_path / "before.json", {"x/a.txt": doc})
    assert golden.compare(before, _dump(tmp_path / "same.json", {"x/a.txt": doc})) == 0
    changed = json.loads(json.dumps(doc))
    changed["mentions"][1]["value"] = 5.0
    assert golden.compare(before, _dump(tmp_path / "after.json", {"x/a.txt": changed})) == 1
    out = capsys.readouterr().out
    assert "x/a.txt: mentions row 1: value 4.0 → 5.0" in out and "1 differ" in out


def test_a_lost_row_or_document_is_a_difference(tmp_path, capsys):
    golden = _golden()
    doc = {"documents": [{"document_id": "doc_a"}], "lines": [{"line_no": 1}, {"line_no": 2}]}
    before = _dump(tmp_path / "before.json", {"x/a.txt": doc, "x/b.txt": doc})
    fewer = dict(doc, lines=doc["lines"][:1])
    assert golden.compare(before, _dump(tmp_path / "after.json", {"x/a.txt": fewer})) == 1
    out = capsys.readouterr().out
    assert "lines: 2 rows before, 1 after" in out and "2 differ" in out
