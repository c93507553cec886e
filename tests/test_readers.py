"""Readers: each format gives the same intermediate lines (tables as one-cell-per-line rows)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from loaders import readers
from loaders.readers import UnreadableDocument, read_document
from loaders.segment import segment

REPORT_TEXT = "附件1\n2023年度部门整体支出绩效自评报告\n一、基本情况\n我中心在职人员57人，全年支出1.3015亿元。\n"


def table_rows(lines: list[str]) -> list[list[str]]:
    seg = segment(lines)
    return [[c.text for c in row.cells] for t in seg.tables for row in t.rows]


# --- text encodings: detected, not guessed ----------------------------------------------------
@pytest.mark.parametrize("encoding,expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-16-le", "utf_16_le"),
    ("gb18030", "gb18030"), ("gbk", "gb18030"), ("big5", "big5"),
])
def test_text_encodings_are_detected(encoding, expected):
    text = REPORT_TEXT * 3
    if encoding == "big5":
        text = "二零二三年度部門整體支出績效自評報告，全年支出一億元，在職人員五十七人。" * 3
    data = text.encode(encoding)
    result = read_document(Path("r.txt"), data)
    assert result.encoding == expected
    assert "\n".join(result.lines).strip() == text.strip()


def test_binary_garbage_named_txt_is_refused():
    with pytest.raises(UnreadableDocument, match="二进制|编码"):
        read_document(Path("x.txt"), bytes(range(256)) * 40)
    with pytest.raises(UnreadableDocument):
        read_document(Path("x.txt"), bytes((i * 7919) % 251 + 1 for i in range(20000)))


# --- Word ----------------------------------------------------------------------------------------
def _docx_with_merges() -> bytes:
    import docx

    doc = docx.Document()
    doc.add_heading("一、部门基本情况", level=1)
    doc.add_paragraph("在职人员\t57人。")
    table = doc.add_table(rows=4, cols=4)
    table.cell(0, 0).text = "项目"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "预算数(万元)"  # horizontal merge
    table.cell(0, 3).text = "得分"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "产出指标"        # vertical merge
    table.cell(1, 1).text = "年初"
    table.cell(1, 2).text = "全年"
    table.cell(2, 1).text = "54"
    table.cell(2, 2).text = "77.17"
    table.cell(2, 3).text = "10"
    table.cell(3, 0).text = "合计\n(两行)"
    doc.add_paragraph("表后说明。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_headings_and_merged_cells_in_document_order():
    result = read_document(Path("r.docx"), _docx_with_merges())
    lines = result.lines
    assert result.format == "docx"
    assert lines[0] == "# 一、部门基本情况"
    assert lines[1] == "在职人员 57人。"  # a tab inside prose is a space: prose never looks like a table
    rows = table_rows(lines)
    assert rows[0] == ["项目", "预算数(万元)", "", "得分"]   # merged text once, covered cell empty
    assert rows[1] == ["产出指标", "年初", "全年", ""]
    assert rows[2] == ["", "54", "77.17", "10"]              # vMerge continuation is empty
    assert rows[3] == ["合计(两行)", "", "", ""]
    assert lines[-1] == "表后说明。"


def test_docx_broken_and_bomb_and_wrong_content():
    data = _docx_with_merges()
    with pytest.raises(UnreadableDocument, match="损坏"):
        read_document(Path("t.docx"), data[: len(data) // 2])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (20 * 2**20))
    with pytest.raises(UnreadableDocument, match="压缩炸弹"):
        read_document(Path("bomb.docx"), buf.getvalue())


# --- spreadsheets ----------------------------------------------------------------------------------
def test_xlsx_every_sheet_number_formats_and_blocks():
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基础数据表"
    ws.append(["金额单位：万元"])
    ws.append(["项目", "2022年决算数", "执行率"])
    ws.append(["三公经费", 3.73, 0.9834])
    ws["C3"].number_format = "0.00%"
    ws["B3"].number_format = "0.00"
    ws.append(["项目支出:"])            # a one-value row inside the table stays a table row
    ws.append(["业务工作经费", 1234.5, 1])
    ws["B5"].number_format = "#,##0.00"
    ws["C5"].number_format = "0%"
    ws2 = wb.create_sheet("Sheet2")
    ws2.append(["说明：本表为自评表"])
    buf = io.BytesIO()
    wb.save(buf)
    result = read_document(Path("w.xlsx"), buf.getvalue())
    assert result.lines[0] == "基础数据表" and result.lines[1] == "金额单位：万元"
    rows = table_rows(result.lines)
    assert rows == [["项目", "2022年决算数", "执行率"], ["三公经费", "3.73", "98.34%"], ["项目支出:", "", ""],
                    ["业务工作经费", "1,234.50", "100%"]]
    assert result.lines[-1] == "说明：本表为自评表"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (make test installs it)")
def test_xls_read_through_xlrd(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["项目", "金额"])
    wb.active.append(["公务接待费", 1.05])
    buf = io.BytesIO()
    wb.save(buf)
    xls = readers.convert_with_libreoffice(buf.getvalue(), ".xlsx", "xls:MS Excel 97")
    result = read_document(Path("w.xls"), xls)
    assert result.format == "xls"
    assert table_rows(result.lines) == [["项目", "金额"], ["公务接待费", "1.05"]]


def test_xls_that_is_really_a_web_page_is_read_as_html():
    page = "<html><body><table><tr><td>项目</td><td>金额</td></tr><tr><td>合计</td><td>1.05</td></tr></table></body></html>"
    result = read_document(Path("export.xls"), page.encode("utf-8"))
    assert result.format == "html" and table_rows(result.lines) == [["项目", "金额"], ["合计", "1.05"]]


# --- web pages ---------------------------------------------------------------------------------------
def test_html_main_content_without_navigation_and_tables_with_spans():
    body = "".join(f"<p>第{i}段：我中心在职人员57人，全年支出1.3015亿元，绩效目标全部完成。</p>" for i in range(1, 6))
    page = f"""<html><head><meta charset="gbk"><title>自评报告_某某网</title></head><body>
    <div class="nav"><a href="/">首页</a> <a href="/a">政务公开</a> <a href="/b">办事服务 2024</a></div>
    <div class="TRS_Editor"><h2>一、基本情况</h2>{body}
    <table border="1"><tr><td rowspan="2">项目</td><td colspan="2">金额(万元)</td></tr>
    <tr><td>预算</td><td>执行</td></tr><tr><td>合计</td><td>54</td><td>46.85</td></tr></table></div>
    <div class="footer">联系电话：0731-12345678 湘ICP备05012345号</div></body></html>"""
    result = read_document(Path("page.htm"), page.encode("gbk"))
    text = "\n".join(result.lines)
    assert result.encoding == "gb18030"
    assert "## 一、基本情况" in result.lines and "1.3015亿元" in text
    assert "首页" not in text and "12345678" not in text
    assert table_rows(result.lines) == [["项目", "金额(万元)", ""], ["", "预算", "执行"], ["合计", "54", "46.85"]]


# --- PDF -----------------------------------------------------------------------------------------------
def _pdf(draw) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_pdf_text_and_page_numbers():
    def draw(c):
        c.setFont("STSong-Light", 12)
        c.drawString(72, 760, "一、部门基本情况")
        c.drawString(72, 740, "在职人员57人，全年支出1.3015亿元。")
        c.drawString(290, 30, "- 1 -")
    result = read_document(Path("r.pdf"), _pdf(draw))
    assert result.lines == ["一、部门基本情况", "在职人员57人，全年支出1.3015亿元。"]


def test_scanned_pdf_without_text_layer_has_a_clear_reason():
    from PIL import Image

    img = Image.new("RGB", (200, 100), "white")
    path = Path(__file__).parent / "_scan_tmp.png"

    def draw(c):
        from reportlab.lib.utils import ImageReader

        c.drawImage(ImageReader(img), 72, 500, width=400, height=200)
    with pytest.raises(UnreadableDocument, match="扫描件|OCR"):
        read_document(Path("scan.pdf"), _pdf(draw))
    assert not path.exists()


# --- .doc --------------------------------------------------------------------------------------------
def test_doc_without_converter_names_the_package(monkeypatch):
    monkeypatch.setattr(readers.shutil, "which", lambda name: None)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    with pytest.raises(UnreadableDocument, match="libreoffice-writer-nogui"):
        read_document(Path("old.doc"), ole)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (make test installs it)")
def test_doc_through_libreoffice():
    doc = readers.convert_with_libreoffice(_docx_with_merges(), ".docx", "doc:MS Word 97")
    result = read_document(Path("old.doc"), doc)
    assert result.format == "doc"
    assert "# 一、部门基本情况" in result.lines
    assert ["", "54", "77.17", "10"] in table_rows(result.lines)


def test_unknown_suffix_and_empty():
    with pytest.raises(UnreadableDocument, match="不支持"):
        read_document(Path("slides.pptx"), b"PK\x03\x04")
    for name in ("e.txt", "e.docx", "e.pdf", "e.html", "e.xlsx"):
        with pytest.raises(UnreadableDocument, match="空文件"):
            read_document(Path(name), b"  \n")
