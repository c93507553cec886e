"""Pathological inputs within the size limits: how long one file takes (figures, not a timed test).

    .venv/bin/python benchmarks/pathological.py [--sizes 100,200,400] [--docx-paragraphs 150000]

1. **One long sentence without 。** (issue 10, case 6): a report line of comma-separated figures with no
   sentence end, at 100/200/400 KB, timed through normalise → segment → identify → extract (what
   ``parse_document`` does after reading). Linear extraction doubles with the size; quadratic quadruples.
2. **A large .docx** with many paragraphs and many styles (real templates carry hundreds), padded with an
   incompressible image to ~44 MB: ``read_docx`` time, beside python-docx's own per-paragraph
   ``Paragraph.style`` lookup timed on a sample and scaled up (what the reader did before).

Every text is synthetic (invented words and figures).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CLAUSE = "项目{n}支出{v}万元"  # invented wording: an item, a figure, a unit
SEP = "，"


def long_sentence(kb: int) -> str:
    """A report title and one line of ``kb`` KB (UTF-8) of clauses joined by commas, no 。."""
    parts, size, n = [], 0, 0
    while size < kb * 1024:
        clause = CLAUSE.format(n=n, v=f"{(n * 37) % 1000 + 0.25:.2f}")
        parts.append(clause)
        size += len((clause + SEP).encode("utf-8"))
        n += 1
    return "某单位2023年度部门整体支出绩效自评报告\n" + SEP.join(parts) + "\n"


def time_extraction(text: str) -> tuple[float, int]:
    from loaders.identify import identify
    from loaders.normalize import normalize_lines
    from loaders.reader import read_statements
    from loaders.segment import segment

    started = time.perf_counter()
    lines, _ = normalize_lines(text.split("\n"))
    seg = segment(lines)
    ex = read_statements(lines, seg, identify(lines))
    return time.perf_counter() - started, len(ex.mentions)


def big_docx(paragraphs: int, styles: int, pad_mb: int) -> bytes:
    """A .docx of ``paragraphs`` short paragraphs, ``styles`` paragraph styles (every 50th paragraph
    a heading), and an incompressible image of ``pad_mb`` MB stored as is. The body is written as XML
    directly: python-docx's own add_paragraph(style=…) pays the same per-paragraph style search."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    ids = [document.styles.add_style(f"Custom {i}", WD_STYLE_TYPE.PARAGRAPH).style_id for i in range(styles)]
    buf = io.BytesIO()
    document.save(buf)
    body = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{"Heading2" if i % 50 == 0 else ids[i % styles]}"/></w:pPr>'
        f"<w:r><w:t>第{i}段：本年度项目{i % 97}支出{(i * 13) % 1000}.5万元，完成年度目标</w:t></w:r></w:p>"
        for i in range(paragraphs))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                start = text.index("<w:body>") + len("<w:body>")
                data = (text[:start] + body + text[start:]).encode("utf-8")
            dst.writestr(item, data)
        dst.writestr(zipfile.ZipInfo("word/media/padding.png"), os.urandom(pad_mb * 2**20), zipfile.ZIP_STORED)
    return out.getvalue()


def time_docx(paragraphs: int, styles: int, pad_mb: int, sample: int = 2000) -> None:
    import docx
    from docx.text.paragraph import Paragraph

    from loaders.readers import read_docx

    from loaders.pipeline import parse_document

    data = big_docx(paragraphs, styles, pad_mb)
    started = time.perf_counter()
    result = read_docx(Path("big.docx"), data)
    reader_s = time.perf_counter() - started
    started = time.perf_counter()
    parsed = parse_document(Path("big.docx"), data, "bench")  # what `jixiao load` does with the file
    parse_s = time.perf_counter() - started
    document = docx.Document(io.BytesIO(data))
    body = [p for p in document.element.body.iterchildren() if p.tag.endswith("}p")][:sample]
    started = time.perf_counter()
    for p in body:
        Paragraph(p, document).style  # python-docx's lookup, as the reader did per paragraph before
    per_paragraph = (time.perf_counter() - started) / max(1, len(body))
    print(f"docx {len(data) / 2**20:.1f} MB, {paragraphs} paragraphs, {styles} styles: read_docx {reader_s:.1f} s "
          f"({len(result.lines)} lines), whole parse {parse_s:.1f} s ({parsed.n_mentions} mentions); "
          f"python-docx Paragraph.style {per_paragraph * 1e3:.2f} ms each "
          f"→ {per_paragraph * paragraphs:.0f} s for the style lookups alone before")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,200,400", help="KB sizes of the long sentence")
    ap.add_argument("--docx-paragraphs", type=int, default=150_000)
    ap.add_argument("--docx-styles", type=int, default=400)
    ap.add_argument("--docx-pad-mb", type=int, default=42, help="incompressible padding (the file reaches ~44 MB)")
    ap.add_argument("--skip-docx", action="store_true")
    args = ap.parse_args()
    previous = None
    for kb in [int(x) for x in args.sizes.split(",")]:
        seconds, n = time_extraction(long_sentence(kb))
        growth = f", ×{seconds / previous:.1f} for ×2 size" if previous else ""
        print(f"long sentence without 。 {kb} KB: {seconds:.2f} s, {n} mentions{growth}")
        previous = seconds
    if not args.skip_docx:
        time_docx(args.docx_paragraphs, args.docx_styles, args.docx_pad_mb)


if __name__ == "__main__":
    main()
