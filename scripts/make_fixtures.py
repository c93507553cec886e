#!/usr/bin/env python3
"""Make .docx, .xlsx, .pdf, .html, GBK/UTF-16 (and, with LibreOffice, .doc/.xls) versions of a
bundled text report, for the equivalence tests (tests/test_formats.py builds them at test time).

    .venv/bin/python scripts/make_fixtures.py OUT_DIR [data/reports/002_....txt ...]

The text is split into blocks with the project's own segmenter: a table found in the text
becomes a real Word/HTML/PDF/spreadsheet table with the same cells, a Markdown heading becomes a
heading (Word heading style, ``<h2>``), every other line a paragraph. So each version says what
the text says, in that format's own structure, and should yield the same facts.
"""

from __future__ import annotations

import html
import io
import re
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from loaders.normalize import normalize_lines  # noqa: E402
from loaders.readers import convert_with_libreoffice, decode_text  # noqa: E402
from loaders.segment import segment  # noqa: E402

_MD_HEADING = re.compile(r"^(#{1,6})\s*(.*)$")


def blocks_of(text: str) -> list[tuple]:
    """('para', text) | ('heading', level, text) | ('blank',) | ('table', rows)."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines, _ = normalize_lines(raw)
    seg = segment(lines)
    tables = {t.start_line - 1: t for t in seg.tables}
    blocks: list[tuple] = []
    i = 0
    while i < len(raw):
        if i in tables:
            t = tables[i]
            blocks.append(("table", [[c.text for c in row.cells] for row in t.rows]))
            i = t.end_line
            continue
        line = raw[i].rstrip()
        m = _MD_HEADING.match(line.strip())
        if not line.strip():
            blocks.append(("blank",))
        elif m:
            blocks.append(("heading", len(m.group(1)), m.group(2).strip()))
        else:
            blocks.append(("para", line))
        i += 1
    return blocks


# --- Word ----------------------------------------------------------------------------------------
def to_docx(text: str) -> bytes:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = docx.Document()
    for block in blocks_of(text):
        if block[0] == "para":
            doc.add_paragraph(block[1])
        elif block[0] == "blank":
            doc.add_paragraph("")
        elif block[0] == "heading":
            doc.add_heading(block[2], level=min(block[1], 9))
        else:
            rows = block[1]
            width = max(len(r) for r in rows)
            table = doc.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            trs = [table.rows[r]._tr for r in range(len(rows))]
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
            for tr, row in zip(trs, rows):
                # a shorter row ends early in Word too: drop its trailing cells, declare gridAfter
                missing = width - len(row)
                if missing:
                    for tc in tr.findall(qn("w:tc"))[len(row):]:
                        tr.remove(tc)
                    trpr = tr.get_or_add_trPr()
                    after = OxmlElement("w:gridAfter")
                    after.set(qn("w:val"), str(missing))
                    trpr.append(after)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- spreadsheet -----------------------------------------------------------------------------------
_NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(%?)$")


def _spreadsheet_value(text: str):
    """A number cell as a spreadsheet stores it (value + number format), else the text."""
    m = _NUMBER.match(text.strip())
    if not m:
        return text, None
    decimals = len(m.group(1) or "")
    number = float(text.strip().rstrip("%").replace(",", ""))
    pattern = ("#,##0" if "," in text else "0") + ("." + "0" * decimals if decimals else "")
    if m.group(2):
        return number / 100, pattern + "%"
    if decimals == 0:
        return int(number), None
    return number, pattern


def to_xlsx(text: str) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    r = 1
    for block in blocks_of(text):
        if block[0] == "table":
            for row in block[1]:
                for c, value in enumerate(row, start=1):
                    if value:
                        cell = ws.cell(row=r, column=c)
                        cell.value, fmt = _spreadsheet_value(value)
                        if fmt:
                            cell.number_format = fmt
                r += 1
            continue
        if block[0] == "para":
            ws.cell(row=r, column=1, value=block[1].strip())
        elif block[0] == "heading":
            ws.cell(row=r, column=1, value=block[2])
        r += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- PDF (reportlab; the CID font STSong-Light needs no font file) ------------------------------
def to_pdf(text: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A3
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK",
                          firstLineIndent=21, alignment=TA_JUSTIFY)
    head = ParagraphStyle("head", parent=body, fontSize=12, leading=20, firstLineIndent=0)
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=8, leading=10, wordWrap="CJK")
    story = []
    width = A3[0] - 144
    for block in blocks_of(text):
        if block[0] == "para":
            story.append(Paragraph(html.escape(block[1].strip()), body))
        elif block[0] == "heading":
            story.append(Paragraph(html.escape(block[2]), head))
        elif block[0] == "blank":
            story.append(Spacer(1, 4))
        else:
            rows = block[1]
            n = max(len(r) for r in rows)
            data = [[Paragraph(html.escape(v), cell) for v in row] + [""] * (n - len(row)) for row in rows]
            # columns share the width by how much text they hold; long cells may split across pages
            weight = [max([len(r[c]) if c < len(r) else 0 for r in rows] + [4]) ** 0.5 for c in range(n)]
            floor = min(44.0, width / n)
            spare = width - floor * n
            table = Table(data, colWidths=[floor + spare * w / sum(weight) for w in weight], splitInRow=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(Spacer(1, 6))
            story.append(table)
            story.append(Spacer(1, 6))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A3, leftMargin=72, rightMargin=72, topMargin=60, bottomMargin=60,
                      title="report").build(story)
    return buf.getvalue()


# --- a page saved from a government site ----------------------------------------------------------
_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_政府信息公开</title>
<style>.nav li{{display:inline}}</style><script>var _hmt = _hmt || []; var pv = 20231231;</script></head>
<body>
<div class="header"><div class="logo">湖南省人力资源和社会保障厅</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/ztzl/">专题专栏 2024</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 财政资金</div>
<div class="main"><div class="sidebar"><h3>相关链接</h3><ul>
<li><a href="/a/1.html">2022年度部门决算公开 发布于 2023-07-20</a></li>
<li><a href="/a/2.html">关于12家单位2023年预算公开的通知</a></li>
<li><a href="/a/3.html">2021年度绩效自评报告（共3个附件）</a></li></ul></div>
<div class="article"><div class="info">发布时间：2024-05-20 10:30 来源：本站 浏览次数：1024 字号：[大 中 小]</div>
<div class="TRS_Editor">
{body}
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> 【打印本页】【关闭窗口】</div></div></div>
<div class="footer"><p>主办单位：湖南省人力资源和社会保障厅 地址：长沙市韶山北路 100 号 邮编：410011</p>
<p>网站标识码：4300000012 湘ICP备05012345号 湘公网安备 43010202000123号 联系电话：0731-12345678</p></div>
</body></html>
"""


def to_html(text: str, charset: str = "utf-8") -> bytes:
    parts: list[str] = []
    title = ""
    for block in blocks_of(text):
        if block[0] == "para":
            parts.append(f"<p>{html.escape(block[1].strip())}</p>")
            title = title or block[1].strip()
        elif block[0] == "heading":
            parts.append(f"<h{block[1]}>{html.escape(block[2])}</h{block[1]}>")
            title = title or block[2]
        elif block[0] == "table":
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(v).replace(chr(10), '<br>')}</td>" for v in row) + "</tr>"
                           for row in block[1])
            parts.append(f'<table border="1" cellspacing="0"><tbody>{rows}</tbody></table>')
    page = _PAGE.format(charset=charset, title=html.escape(title[:40]), body="\n".join(parts))
    return page.encode("gb18030" if charset.lower() in ("gbk", "gb2312", "gb18030") else charset)


def to_encoding(text: str, encoding: str) -> bytes:
    if encoding == "gbk":
        try:
            return text.encode("gbk")
        except UnicodeEncodeError:
            return text.encode("gb18030")
    if encoding == "utf-8-sig":
        return text.encode("utf-8-sig")
    if encoding == "utf-16":
        return text.encode("utf-16")  # with BOM
    return text.encode(encoding)


def to_doc(text: str) -> bytes:
    """Word 97-2003 via LibreOffice (needs libreoffice-writer-nogui)."""
    return convert_with_libreoffice(to_docx(text), ".docx", "doc:MS Word 97")


def to_xls(text: str) -> bytes:
    """Excel 97-2003 via LibreOffice (needs libreoffice-calc-nogui)."""
    return convert_with_libreoffice(to_xlsx(text), ".xlsx", "xls:MS Excel 97")


def squared_text(text: str) -> str:
    """The text with every table squared to its widest row (the grid a spreadsheet or a PDF
    table has), written in the one-cell-per-line layout: the reference for grid formats."""
    out: list[str] = []
    for block in blocks_of(text):
        if block[0] == "para":
            out.append(block[1])
        elif block[0] == "blank":
            out.append("")
        elif block[0] == "heading":
            out.append("#" * block[1] + " " + block[2])
        else:
            rows = block[1]
            width = max(len(r) for r in rows)
            if out and out[-1] != "":
                out.append("")
            for row in rows:
                for value in row + [""] * (width - len(row)):
                    out.append("\t" + value)
                out.append("")
    return "\n".join(out)


MAKERS = {
    "docx": to_docx, "xlsx": to_xlsx, "pdf": to_pdf, "html": to_html,
    "gbk.txt": lambda t: to_encoding(t, "gbk"),
    "utf16.txt": lambda t: to_encoding(t, "utf-16"),
    "bom.txt": lambda t: to_encoding(t, "utf-8-sig"),
    "gbk.html": lambda t: to_html(t, "gbk"),
}
SLOW_MAKERS = {"doc": to_doc, "xls": to_xls}


def make_all(report: Path, out_dir: Path, formats=None) -> dict[str, Path]:
    text, _ = decode_text(report.read_bytes())
    out_dir.mkdir(parents=True, exist_ok=True)
    made = {}
    for fmt, maker in {**MAKERS, **SLOW_MAKERS}.items():
        if formats is not None and fmt not in formats:
            continue
        target = out_dir / f"{report.stem}.{fmt}"
        target.write_bytes(maker(text))
        made[fmt] = target
    return made


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    out = Path(argv[0])
    reports = [Path(a) for a in argv[1:]] or sorted((PROJECT_DIR / "data" / "reports").glob("*.txt"))
    for report in reports:
        for fmt, path in make_all(report, out).items():
            print(f"{fmt:10} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
