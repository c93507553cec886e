"""Readers turn a file's bytes into decoded text lines; they know formats, not reports.

Every reader returns a ``ReadResult`` so the extractor and dbt never see a difference between
formats. A reader raises ``UnreadableDocument`` with a reason an analyst can act on.

The intermediate document is *lines*, in reading order:
- a paragraph is one line (tabs inside it become spaces, so prose never looks like a table row);
- a heading that the source marks as one (Word heading styles, HTML ``<h1>``-``<h6>``) becomes a
  Markdown heading ``# ...``, which the segmenter already understands;
- a table is written in the one-cell-per-line layout the segmenter reads from Word text exports:
  every cell is a line starting with a tab, a cell's further lines follow without a tab, and a
  truly empty line ends the row. Merged cells keep the grid: the text sits in the first cell of
  the merge and the cells it covers are empty, so no number is ever doubled.

See docs/formats.md for the libraries and limits of each format.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from . import vocabulary as vocab
from .messages import message


class UnreadableDocument(Exception):
    """The file cannot be read as a report; the message is the reason recorded in raw.load_errors."""


@dataclass
class ReadResult:
    lines: list[str]
    format: str
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


# --- limits (documented in docs/formats.md) -------------------------------------------------
MAX_TEXT_BYTES = 20 * 2**20          # a text report is < 1 MB; 20 MB of text is not a report
MAX_BINARY_BYTES = 100 * 2**20       # .docx/.pdf/.xlsx/.xls/.doc/.html as stored
MAX_ZIP_UNCOMPRESSED = 300 * 2**20   # sum of declared member sizes of a .docx/.xlsx
MAX_ZIP_RATIO = 200                  # declared size / compressed size of one large member
MAX_ZIP_MEMBERS = 20000
MAX_PDF_PAGES = 1000
MAX_SHEET_CELLS = 2_000_000          # cells read from one workbook
CONVERTER_TIMEOUT = 120              # seconds for LibreOffice / antiword

TEXT_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".text": "txt"}
HTML_SUFFIXES = {".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html"}

# Encodings a Chinese report plausibly comes in; anything else a detector proposes is a sign of
# binary data or of another language, not a report.
_CJK_ENCODINGS = {"utf_8", "gb18030", "gbk", "gb2312", "hz", "big5", "big5hkscs", "cp950", "cp936",
                  "utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be", "ascii"}
_DECODE_AS = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "ascii": "utf-8"}


def limit_for(path: Path) -> int:
    """Largest file size (bytes) read for this file type."""
    return MAX_TEXT_BYTES if path.suffix.lower() in TEXT_SUFFIXES else MAX_BINARY_BYTES


# --- text and encodings -----------------------------------------------------------------------
def decode_text(data: bytes) -> tuple[str, str]:
    """Decode report text by detection, never by a silent guess.

    BOMs are decisive. Otherwise strict UTF-8 is tried first (valid UTF-8 with Chinese text is
    practically never another encoding by chance), then charset-normalizer detects the encoding
    (GB18030/GBK/GB2312, Big5, UTF-16 without BOM, ...). Decoding is strict: a wrong encoding
    raises instead of producing mojibake.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        return data.decode("utf-32"), "utf-32"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UnreadableDocument(f"{message('text_utf16_broken')}: {exc}") from exc
    if b"\x00" not in data[:4096]:  # NUL bytes: UTF-16/32 without BOM, never UTF-8 text
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding not in _CJK_ENCODINGS:
        found = best.encoding if best is not None else "none"
        raise UnreadableDocument(message("text_encoding_unknown", found=found))
    encoding = _DECODE_AS.get(best.encoding, best.encoding)
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise UnreadableDocument(f"{message('text_decode_failed', encoding=encoding)}: {exc}") from exc


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" not in head:
        return False
    # NUL bytes: UTF-16/32 text without a BOM, or binary data; let the detector say which
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    return not (best is not None and best.encoding.startswith(("utf_16", "utf_32")))


# a control character other than tab, line feed, form feed and carriage return (9, 10, 12, 13)
_CONTROL_CHAR = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def count_control_chars(text: str, head: int = 20000) -> int:
    """Control characters other than tab, line feed, form feed and carriage return in the text's head."""
    return len(_CONTROL_CHAR.findall(text, 0, head))


def read_text(path: Path, data: bytes) -> ReadResult:
    if not data.strip():
        raise UnreadableDocument(message("empty_file"))
    if _looks_binary(data):
        raise UnreadableDocument(message("text_binary"))
    text, encoding = decode_text(data)
    if not text.strip(" \t\r\n\ufeff\u3000"):
        raise UnreadableDocument(message("empty_file"))
    # A NUL character anywhere (after decoding: UTF-16/32 text has NUL bytes but no NUL characters), or
    # more than 10 other control characters, mean this is not a text report (docs/formats.md).
    controls = count_control_chars(text)
    if "\x00" in text or controls > 10:
        raise UnreadableDocument(message("text_binary"))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return ReadResult(lines=lines, format=TEXT_SUFFIXES.get(path.suffix.lower(), "txt"), encoding=encoding)


# --- the common intermediate: lines with tables as one-cell-per-line rows ------------------------
_WS = re.compile(r"[ \t\r\n\f\v]+")


class LineWriter:
    """Collects the lines of one document; every reader writes through it."""

    TABLE_GAP = 4  # blank lines between two adjacent tables (the segmenter joins tables 3 apart)

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.n_tables = 0
        self._last_was_table = False

    def text(self, text: str) -> None:
        for part in str(text).split("\n"):
            part = part.replace("\t", " ").rstrip()
            if part.strip():
                self.lines.append(part)
                self._last_was_table = False

    def heading(self, text: str, level: int) -> None:
        text = _WS.sub(" ", str(text)).strip()
        if text:
            self.lines.append("#" * max(1, min(level, 6)) + " " + text)
            self._last_was_table = False

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def table(self, rows: list[list[str]]) -> None:
        rows = [[_clean_cell_text(c) for c in row] for row in rows]
        # empty rows at the ends are layout; an empty row inside a table is kept (row numbers stay true)
        while rows and not any(rows[0]):
            rows.pop(0)
        while rows and not any(rows[-1]):
            rows.pop()
        if not rows:
            return
        width = max(sum(1 for c in row if c) for row in rows)
        if width <= 1 and max(len(row) for row in rows) <= 1:
            # a one-column "table" is a layout box (title frames, text boxes): its cells are prose
            for row in rows:
                for cell in row:
                    self.text(cell)
            return
        if self._last_was_table:
            self.lines.extend([""] * self.TABLE_GAP)
        elif self.lines and self.lines[-1] != "":
            self.lines.append("")
        for row in rows:
            for cell in row:
                parts = cell.split("\n") if cell else [""]
                self.lines.append("\t" + parts[0])
                self.lines.extend(parts[1:])
            self.lines.append("")  # a truly empty line ends the row
        self.n_tables += 1
        self._last_was_table = True


def _clean_cell_text(value) -> str:
    """One cell's text: inner lines kept (a cell may span lines), tabs and blank lines removed."""
    if value is None:
        return ""
    lines = [part.replace("\t", " ").strip() for part in str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(part for part in lines if part)


# --- zip containers (.docx, .xlsx) -----------------------------------------------------------
def check_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """Open a zip container after checking declared sizes, so a zip bomb is never inflated."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        raise UnreadableDocument(f"{message('zip_broken', kind=kind)}: {exc}") from exc
    if len(infos) > MAX_ZIP_MEMBERS:
        raise UnreadableDocument(message("zip_too_many_parts", kind=kind, n_parts=len(infos), limit=MAX_ZIP_MEMBERS))
    total = sum(i.file_size for i in infos)
    if total > MAX_ZIP_UNCOMPRESSED:
        raise UnreadableDocument(message("zip_too_large", kind=kind, size_mb=total / 2**20,
                                         limit_mb=MAX_ZIP_UNCOMPRESSED // 2**20))
    for info in infos:
        if info.file_size > 10 * 2**20 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise UnreadableDocument(message("zip_ratio", kind=kind, part=info.filename,
                                             ratio=info.file_size // max(info.compress_size, 1)))
    return zf


def _zip_kind(data: bytes) -> str | None:
    """'docx' / 'xlsx' for an OOXML package, by its content, or None."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except Exception:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


# --- .docx --------------------------------------------------------------------------------------
def read_docx(path: Path, data: bytes) -> ReadResult:
    zf = check_zip(data, ".docx")
    if "word/document.xml" not in zf.namelist():
        raise UnreadableDocument(message("docx_not_word"))
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise UnreadableDocument(message("docx_library_missing")) from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise UnreadableDocument(f"{message('docx_broken')}: {type(exc).__name__}: {exc}") from exc
    out = LineWriter()
    _docx_blocks(document.element.body, document, out, _DocxStyles(document))
    if not any(line.strip() for line in out.lines):
        raise UnreadableDocument(message("docx_no_text"))
    return ReadResult(lines=out.lines, format="docx", notes=[f"{out.n_tables} tables"])


class _DocxStyles:
    """Paragraph style names by style id, read once per document. python-docx's ``Paragraph.style``
    searches styles.xml (an XPath over every style) for each paragraph, which made a large document
    with many styles take hours; this is the same lookup as a dictionary: an unknown id, or a style
    of another type, means the default paragraph style (python-docx's rule)."""

    def __init__(self, document):
        from docx.oxml.ns import qn

        self.names: dict[str, str] = {}
        self.default = ""
        try:
            styles = document.styles.element
        except Exception:  # no styles part: every paragraph has the (unnamed) default style
            return
        first_of_id: dict[str, str | None] = {}  # the first style with an id wins (its type may not fit)
        for style in styles.iterchildren(qn("w:style")):
            is_paragraph = (style.get(qn("w:type")) or "paragraph") == "paragraph"
            name_el = style.find(qn("w:name"))
            name = (name_el.get(qn("w:val")) if name_el is not None else None) or ""
            style_id = style.get(qn("w:styleId"))
            if style_id is not None and style_id not in first_of_id:
                first_of_id[style_id] = name if is_paragraph else None
            if is_paragraph and style.get(qn("w:default")) in ("1", "true", "on"):
                self.default = name  # the last default in document order (the spec's rule)
        self.names = {k: v for k, v in first_of_id.items() if v is not None}

    def name_of(self, p_element) -> str:
        style_id = p_element.style  # w:pPr/w:pStyle/@w:val, None when the paragraph names no style
        return self.names.get(style_id, self.default) if style_id else self.default


def _docx_blocks(parent_el, document, out: LineWriter, styles: _DocxStyles) -> None:
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    for child in parent_el.iterchildren():
        tag = child.tag
        if tag == qn("w:p"):
            text = Paragraph(child, document).text
            level = _docx_heading_level(styles.name_of(child))
            if level:
                out.heading(text, level)
            else:
                out.text(text)
        elif tag == qn("w:tbl"):
            out.table(_docx_table_rows(child, document))
        elif tag in (qn("w:sdt"), qn("w:customXml"), qn("w:sdtContent")):
            content = child.find(qn("w:sdtContent"))
            _docx_blocks(content if content is not None else child, document, out, styles)


def _docx_heading_level(style_name: str) -> int | None:
    name = (style_name or "").strip()
    m = vocab.pattern("docx_heading_style_pattern").fullmatch(name)
    if m:
        return int(m.group(1))
    if name.lower() == "title":
        return 1
    return None


def _docx_cell_text(tc, document) -> str:
    """All text in a cell, nested tables included (their rows become lines of the cell)."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    parts: list[str] = []
    for child in tc.iterchildren():
        if child.tag == qn("w:p"):
            parts.append(Paragraph(child, document).text)
        elif child.tag == qn("w:tbl"):
            for row in _docx_table_rows(child, document):
                parts.append(" ".join(c.replace("\n", " ") for c in row if c))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                parts.append(_docx_cell_text(content, document))
    return "\n".join(parts)


def _docx_table_rows(tbl, document) -> list[list[str]]:
    """Rows on the table grid: a horizontal merge (gridSpan) writes its text once and leaves the
    covered cells empty; a vertical merge continuation (vMerge) is an empty cell; gridBefore gives
    leading empty cells and gridAfter is left out (Word rows may be ragged)."""
    from docx.oxml.ns import qn

    rows: list[list[str]] = []
    for tr in tbl.iterchildren(qn("w:tr")):
        row: list[str] = []
        trpr = tr.find(qn("w:trPr"))
        if trpr is not None:
            before = trpr.find(qn("w:gridBefore"))
            if before is not None:
                row.extend([""] * _int_attr(before, qn("w:val"), 0))
        for tc in _row_cells(tr):
            tcpr = tc.find(qn("w:tcPr"))
            span, continuation = 1, False
            if tcpr is not None:
                gs = tcpr.find(qn("w:gridSpan"))
                if gs is not None:
                    span = max(1, _int_attr(gs, qn("w:val"), 1))
                vm = tcpr.find(qn("w:vMerge"))
                if vm is not None and vm.get(qn("w:val")) in (None, "continue"):
                    continuation = True
                hm = tcpr.find(qn("w:hMerge"))  # legacy horizontal merge
                if hm is not None and hm.get(qn("w:val")) in (None, "continue"):
                    continuation = True
            row.append("" if continuation else _docx_cell_text(tc, document))
            row.extend([""] * (span - 1))
        rows.append(row)
    return rows


def _row_cells(tr):
    """The w:tc elements of a row, including those wrapped in content controls."""
    from docx.oxml.ns import qn

    for child in tr.iterchildren():
        if child.tag == qn("w:tc"):
            yield child
        elif child.tag in (qn("w:sdt"), qn("w:customXml")):
            content = child.find(qn("w:sdtContent"))
            for tc in (content if content is not None else child).iter(qn("w:tc")):
                yield tc


def _int_attr(el, name: str, default: int) -> int:
    try:
        return int(el.get(name))
    except (TypeError, ValueError):
        return default


# --- .doc (Word 97-2003) through a converter -------------------------------------------------
def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(data: bytes, suffix: str, target: str) -> bytes:
    """Convert bytes with LibreOffice headless (``--convert-to target``); returns the result's bytes."""
    soffice = _soffice()
    if soffice is None:
        raise UnreadableDocument(message("libreoffice_missing", suffix=suffix))
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as tmp:
        src = Path(tmp) / ("input" + suffix)
        src.write_bytes(data)
        profile = Path(tmp) / "profile"  # own profile: concurrent conversions do not block each other
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", target, "--outdir", str(Path(tmp) / "out"), str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=CONVERTER_TIMEOUT,
                                  env=dict(os.environ, HOME=tmp))
        except subprocess.TimeoutExpired as exc:
            raise UnreadableDocument(message("converter_timeout", tool="LibreOffice", seconds=CONVERTER_TIMEOUT)) from exc
        ext = target.split(":")[0]
        out = Path(tmp) / "out" / ("input." + ext)
        if proc.returncode != 0 or not out.exists():
            detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()[-300:]
            raise UnreadableDocument(f"{message('libreoffice_failed', suffix=suffix)}: {detail}")
        return out.read_bytes()


def read_doc(path: Path, data: bytes) -> ReadResult:
    kind = _sniff(data)
    if kind in ("docx", "html", "pdf", "rtf") and kind != "doc":
        return _read_as(kind, path, data, declared="doc")
    if kind != "doc":
        raise UnreadableDocument(message("doc_not_word97"))
    if _soffice():
        converted = convert_with_libreoffice(data, ".doc", "docx")
        result = read_docx(path, converted)
        result.format = "doc"
        result.notes.append("converted with LibreOffice")
        return result
    antiword = shutil.which("antiword")
    if antiword:
        with tempfile.NamedTemporaryFile(suffix=".doc") as tmp:
            tmp.write(data)
            tmp.flush()
            try:
                proc = subprocess.run([antiword, "-m", "UTF-8.txt", "-w", "0", tmp.name], capture_output=True,
                                      timeout=CONVERTER_TIMEOUT)
            except subprocess.TimeoutExpired as exc:
                raise UnreadableDocument(message("converter_timeout", tool="antiword", seconds=CONVERTER_TIMEOUT)) from exc
        if proc.returncode != 0:
            detail = proc.stderr.decode("utf-8", "replace").strip()[-300:]
            raise UnreadableDocument(f"{message('antiword_failed')}: {detail}")
        text = proc.stdout.decode("utf-8", "replace")
        return ReadResult(lines=text.split("\n"), format="doc", encoding="utf-8", notes=["converted with antiword"])
    raise UnreadableDocument(message("doc_no_converter"))


# --- .pdf ----------------------------------------------------------------------------------------


def read_pdf(path: Path, data: bytes) -> ReadResult:
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise UnreadableDocument(message("pdf_not_pdf"))
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise UnreadableDocument(message("pdf_encrypted")) from exc
    except Exception as exc:
        raise UnreadableDocument(f"{message('pdf_broken')}: {type(exc).__name__}: {exc}") from exc
    try:
        if len(pages) > MAX_PDF_PAGES:
            raise UnreadableDocument(message("pdf_too_many_pages", n_pages=len(pages), limit=MAX_PDF_PAGES))
        items = []  # (page_no, top, kind, payload)
        n_chars = 0
        n_images = 0
        for page_no, page in enumerate(pages):
            try:
                n_chars += len(page.chars)
                n_images += len(page.images)
                items.extend(_pdf_page_items(page_no, page))
            except UnreadableDocument:
                raise
            except Exception as exc:
                raise UnreadableDocument(
                    f"{message('pdf_page_unreadable', page=page_no + 1)}: {type(exc).__name__}: {exc}") from exc
    finally:
        pdf.close()
    has_text = any((it[2] == "line" and it[3].strip()) or it[2] == "table" for it in items)
    if n_chars == 0 or not has_text:
        if n_images:
            raise UnreadableDocument(message("pdf_scanned"))
        raise UnreadableDocument(message("pdf_no_text"))
    out = LineWriter()
    _pdf_write(items, out)
    return ReadResult(lines=out.lines, format="pdf", notes=[f"{len(pages)} pages", f"{out.n_tables} tables"])


def _pdf_page_items(page_no: int, page) -> list[tuple]:
    tables = page.find_tables()
    bboxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in bboxes)

    text_page = page.filter(outside) if bboxes else page
    items: list[tuple] = []
    height = float(page.height or 842)
    for line in text_page.extract_text_lines(return_chars=True):
        text = line["text"]
        size = max((c.get("size", 0) for c in line.get("chars", [])), default=10) or 10
        # page numbers in the top or bottom margin are furniture, not content
        if vocab.pattern("page_number_pattern").match(text) and (line["top"] < 0.08 * height or line["bottom"] > 0.92 * height):
            continue
        items.append((page_no, line["top"], "line", text, line["x0"], line["x1"], size))
    for table in tables:
        rows = table.extract()
        items.append((page_no, table.bbox[1], "table", [[c if c is not None else "" for c in r] for r in rows]))
    items.sort(key=lambda it: (it[0], it[1]))
    return items


def _pdf_write(items: list[tuple], out: LineWriter) -> None:
    """Write PDF lines and tables; lines that run to the right margin continue on the next line."""
    from .segment import heading_level

    text_lines = [it for it in items if it[2] == "line"]
    if text_lines:
        right = max(it[5] for it in text_lines)
        left = min(it[4] for it in text_lines)
    paragraph = ""
    prev = None
    table: list[list[str]] | None = None  # a table waits: it may go on at the top of the next page
    table_page = -1
    first_on_page = {}
    for idx, it in enumerate(items):
        first_on_page.setdefault(it[0], idx)
    for idx, it in enumerate(items):
        if it[2] == "table":
            if paragraph:
                out.text(paragraph)
                paragraph, prev = "", None
            rows = it[3]
            continues = (table is not None and it[0] == table_page + 1 and first_on_page.get(it[0]) == idx
                         and rows and len(rows[0]) == len(table[0]))
            if continues:
                table.extend(rows)
            else:
                if table is not None:
                    out.table(table)
                table = [list(r) for r in rows]
            table_page = it[0]
            continue
        if table is not None:
            out.table(table)
            table = None
        _, _, _, text, x0, x1, size = it
        text = text.strip()
        if prev is not None:
            _, _, _, ptext, px0, px1, psize = prev
            continues = (px1 >= right - 2.5 * psize and x0 <= left + 0.6 * size
                         and heading_level(text) is None and not text.startswith("#"))
            if continues:
                joiner = " " if (paragraph[-1:].isascii() and paragraph[-1:].isalnum()
                                 and text[:1].isascii() and text[:1].isalnum()) else ""
                paragraph += joiner + text
                prev = it
                continue
            out.text(paragraph)
        paragraph, prev = text, it
    if paragraph:
        out.text(paragraph)
    if table is not None:
        out.table(table)


# --- spreadsheets (.xlsx, .xls) ---------------------------------------------------------------


def _format_number(value: float, number_format: str | None) -> str:
    """A cell value as the spreadsheet shows it: decimals and percent from the number format."""
    fmt = (number_format or "General").split(";")[0]
    if isinstance(value, bool):
        return _boolean_text(value)
    percent = "%" in fmt and "General" not in fmt
    m = re.search(r"0\.(0+)", fmt)
    if percent:
        decimals = len(m.group(1)) if m else 0
        return f"{value * 100:.{decimals}f}%"
    if m and fmt != "General":
        decimals = len(m.group(1))
        text = f"{value:,.{decimals}f}" if "," in fmt else f"{value:.{decimals}f}"
        return text
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text


def _boolean_text(value) -> str:
    """A TRUE / FALSE cell as the reports write it (vocab list boolean_word)."""
    return vocab.by_value("boolean_word")["true" if value else "false"][0]


def _cell_to_text(value, number_format: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, (_dt.datetime, _dt.date)):
        return vocab.words("date_cell_format")[0].format(year=value.year, month=value.month, day=value.day)
    if isinstance(value, (int, float)):
        return _format_number(value, number_format)
    return str(value)


def _write_sheet(out: LineWriter, name: str, rows: list[list[str]]) -> None:
    """One sheet: rows with two or more values are table rows; a row with one value in the first
    column is a paragraph unless it sits between table rows (a section row inside the table)."""
    if not vocab.pattern("default_sheet_pattern").match(name.strip()):
        out.text(name)
    trimmed = []
    for row in rows:
        row = list(row)
        while row and not row[-1].strip():
            row.pop()
        trimmed.append(row)
    first_col = min((next(i for i, c in enumerate(r) if c.strip()) for r in trimmed if r), default=0)

    def is_table_row(row: list[str]) -> bool:
        filled = [i for i, c in enumerate(row) if c.strip()]
        return len(filled) >= 2 or (len(filled) == 1 and filled[0] != first_col)

    i, n = 0, len(trimmed)
    while i < n:
        row = trimmed[i]
        if not row:
            out.blank()
            i += 1
            continue
        if not is_table_row(row):
            out.text(row[first_col] if len(row) > first_col else " ".join(row))
            i += 1
            continue
        # a table block: table rows, and one-value rows between them, up to an empty row
        j = i
        last_table = i
        while j < n and (trimmed[j] or (j + 1 < n and trimmed[j + 1] and is_table_row(trimmed[j + 1]))):
            # one empty row inside a table (a blank row of the form) does not end it
            if trimmed[j] and is_table_row(trimmed[j]):
                last_table = j
            j += 1
        # a sheet is a grid: every row of the table spans the table's width
        block = [r[first_col:] for r in trimmed[i:last_table + 1]]
        width = max(len(r) for r in block)
        out.table([r + [""] * (width - len(r)) for r in block])
        i = last_table + 1


def read_xlsx(path: Path, data: bytes) -> ReadResult:
    zf = check_zip(data, ".xlsx")
    if "xl/workbook.xml" not in zf.namelist():
        raise UnreadableDocument(message("xlsx_not_excel"))
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise UnreadableDocument(f"{message('workbook_broken', suffix='.xlsx')}: {type(exc).__name__}: {exc}") from exc
    out = LineWriter()
    n_cells = 0
    try:
        for ws in wb.worksheets:
            rows: list[list[str]] = []
            for row in ws.iter_rows():
                cells = []
                for cell in row:
                    value = getattr(cell, "value", None)
                    cells.append(_cell_to_text(value, getattr(cell, "number_format", None)))
                n_cells += len(cells)
                if n_cells > MAX_SHEET_CELLS:
                    raise UnreadableDocument(message("workbook_too_many_cells", limit=MAX_SHEET_CELLS))
                rows.append(cells)
            if out.lines:
                out.lines.extend([""] * LineWriter.TABLE_GAP)
                out._last_was_table = False
            _write_sheet(out, ws.title, rows)
    finally:
        wb.close()
    if not any(line.strip() for line in out.lines):
        raise UnreadableDocument(message("workbook_empty"))
    return ReadResult(lines=out.lines, format="xlsx", notes=[f"{len(wb.sheetnames)} sheets", f"{out.n_tables} tables"])


def read_xls(path: Path, data: bytes) -> ReadResult:
    kind = _sniff(data)
    if kind in ("xlsx", "html"):
        return _read_as(kind, path, data, declared="xls")
    if kind != "doc":  # OLE2 container
        raise UnreadableDocument(message("xls_not_excel97"))
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception as exc:
        try:
            book = xlrd.open_workbook(file_contents=data, on_demand=True)
        except Exception:
            raise UnreadableDocument(f"{message('workbook_broken', suffix='.xls')}: {type(exc).__name__}: {exc}") from exc
    out = LineWriter()
    n_cells = 0
    try:
        for idx in range(book.nsheets):
            sh = book.sheet_by_index(idx)
            n_cells += sh.nrows * sh.ncols
            if n_cells > MAX_SHEET_CELLS:
                raise UnreadableDocument(message("workbook_too_many_cells", limit=MAX_SHEET_CELLS))
            covered = set()
            for rlo, rhi, clo, chi in getattr(sh, "merged_cells", []) or []:
                for r in range(rlo, rhi):
                    for c in range(clo, chi):
                        if (r, c) != (rlo, clo):
                            covered.add((r, c))
            rows = []
            for r in range(sh.nrows):
                cells = []
                for c in range(sh.ncols):
                    if (r, c) in covered:
                        cells.append("")
                        continue
                    cells.append(_xls_cell_text(book, sh, r, c))
                rows.append(cells)
            if out.lines:
                out.lines.extend([""] * LineWriter.TABLE_GAP)
                out._last_was_table = False
            _write_sheet(out, sh.name, rows)
            book.unload_sheet(idx)
    finally:
        book.release_resources()
    if not any(line.strip() for line in out.lines):
        raise UnreadableDocument(message("workbook_empty"))
    return ReadResult(lines=out.lines, format="xls", notes=[f"{book.nsheets} sheets", f"{out.n_tables} tables"])


def _xls_cell_text(book, sh, r: int, c: int) -> str:
    import xlrd

    cell = sh.cell(r, c)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return _cell_to_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
        except Exception:
            return str(cell.value)
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        fmt = None
        try:
            xf = book.xf_list[sh.cell_xf_index(r, c)]
            fmt = book.format_map[xf.format_key].format_str
        except Exception:
            pass
        return _format_number(cell.value, fmt)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return _boolean_text(cell.value)
    return str(cell.value)


# --- .html / .htm ----------------------------------------------------------------------------
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
               "center", "form", "fieldset", "address", "figure", "figcaption", "header", "footer", "aside", "nav",
               "hr", "tbody", "thead", "tfoot", "caption", "font"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "title", "iframe", "object", "svg", "select",
              "button", "input", "textarea"}


def decode_html(data: bytes) -> tuple[str, str]:
    """HTML text: BOM, then the page's declared charset (GB2312/GBK read as GB18030), then detection."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data)
    m = _META_CHARSET.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii", "ignore").lower()
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            name = None
        if name in ("gb2312", "gbk", "gb18030", "cp936", "euc_cn", "hz"):
            name = "gb18030"
        if name:
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                pass  # a wrong declaration: detect instead
    return decode_text(data)


def read_html(path: Path, data: bytes) -> ReadResult:
    if not data.strip():
        raise UnreadableDocument(message("empty_file"))
    binary = _looks_binary(data)
    text, encoding = ("", None) if binary else decode_html(data)
    if binary or "\x00" in text:  # a NUL character anywhere: binary, as for text files
        raise UnreadableDocument(message("html_binary"))
    import lxml.html

    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = lxml.html.document_fromstring(text)
    except Exception as exc:
        raise UnreadableDocument(f"{message('html_unparseable')}: {type(exc).__name__}: {exc}") from exc
    main, how = _html_main_content(root, text)
    out = LineWriter()
    _html_walk(main, out)
    if not any(line.strip() for line in out.lines):
        raise UnreadableDocument(message("html_no_text"))
    return ReadResult(lines=out.lines, format="html", encoding=encoding, notes=[f"main content: {how}"])


# Content containers of the CMSs that most government sites run on (TRS WCM, Hanweb, ...).
_CONTENT_HINTS = ("TRS_Editor", "TRS_UEDITOR", "Custom_UnionStyle", "zoom", "article-content", "article_content",
                  "articleContent", "content", "detail", "main-text", "zwnr", "pages_content", "xxgk_content")


def _html_main_content(root, text: str):
    """The article body: readability-lxml's choice, checked against the page.

    readability scores blocks by text and link density, like a reader would; its cleaned output
    is then located in the original tree so tables keep their exact structure. When it finds
    nothing of substance, the body is used (a page that is only the report)."""
    body = root.find("body")
    if body is None:
        body = root
    for bad in body.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    body_text = _text_len(body)
    if body_text == 0:
        return body, "whole page"
    # 1. the content container of a government CMS, when it holds the page's text
    hinted = []
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag not in ("div", "td", "article", "section", "main", "span"):
            continue
        marks = " ".join(filter(None, [el.get("class"), el.get("id")]))
        if marks and any(h.lower() in marks.lower() for h in _CONTENT_HINTS):
            size = _text_len(el)
            if size >= 0.3 * body_text and _link_density(el) < 0.3:
                hinted.append((size, el))
    if hinted:
        return min(hinted, key=lambda t: t[0])[1], "content container"
    # 2. readability-lxml
    try:
        from readability import Document

        summary = Document(text).summary(html_partial=True)
        import lxml.html

        chosen = lxml.html.fragment_fromstring(summary, create_parent="div")
        chosen_text = _text_len(chosen)
    except Exception:
        chosen, chosen_text = None, 0
    if chosen is not None and chosen_text >= 0.2 * body_text and chosen_text > 0:
        # find the original element with the same id/class, so nothing readability pruned is lost
        inner = chosen[0] if len(chosen) == 1 else chosen
        if len(inner) == 1 and inner[0].tag in ("div", "article", "section", "td", "main"):
            inner = inner[0]
        ident, cls = inner.get("id"), inner.get("class")
        for el in body.iter(inner.tag):
            if (ident and el.get("id") == ident) or (not ident and cls and el.get("class") == cls):
                if _text_len(el) >= chosen_text * 0.9 and _text_len(el) <= max(chosen_text * 1.5, chosen_text + 200):
                    return el, "readability (original element)"
        # readability drops tables it cannot score; when the original tables are gone, walk the
        # smallest original ancestor holding all of its text instead of the cleaned copy
        if len(chosen.xpath(".//table")) < len(body.xpath(".//table")):
            anchor = _original_container(body, chosen)
            if anchor is not None:
                return anchor, "readability (enclosing element)"
        return chosen, "readability"
    return body, "whole page"


def _original_container(body, chosen):
    """The deepest element of the original page whose text contains the chosen text's first and
    last paragraphs."""
    paras = [p.text_content().strip() for p in chosen.iter("p")
             if p.text_content().strip() and _link_density(p) < 0.5]
    if not paras:
        return None
    first, last = paras[0][:30], paras[-1][:30]
    best = None
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
            continue
        t = el.text_content()
        if first in t and last in t:
            best = el  # iter() is document order: later matches are deeper
    return best


def _link_density(el) -> float:
    total = _text_len(el)
    if not total:
        return 0.0
    return sum(_text_len(a) for a in el.iter("a")) / total


def _text_len(el) -> int:
    return len(_WS.sub("", el.text_content() or ""))


def _html_walk(el, out: LineWriter) -> None:
    buf: list[str] = []

    def flush() -> None:
        line = _WS.sub(" ", "".join(buf)).strip()
        buf.clear()
        if line:
            out.text(line)

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIP_TAGS or not tag and node.tag is not None and not isinstance(node.tag, str):
            if node.tail:
                buf.append(node.tail)
            return
        if tag == "table":
            flush()
            out.table(_html_table_rows(node))
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            flush()
            out.heading(node.text_content(), int(tag[1]))
        elif tag == "br":
            flush()
        elif tag == "pre":
            flush()
            for line in node.text_content().split("\n"):
                out.text(line)
        else:
            block = tag in _BLOCK_TAGS
            if block:
                flush()
            if node.text:
                buf.append(node.text)
            for child in node:
                walk(child)
            if block:
                flush()
        if node.tail and tag:
            buf.append(node.tail)

    walk(el)
    flush()


def _html_table_rows(table) -> list[list[str]]:
    """Rows of an HTML table on its grid: colspan/rowspan cells hold their text once, covered cells
    are empty. Nested tables become lines of their cell."""
    grid: dict[tuple[int, int], str] = {}
    occupied: set[tuple[int, int]] = set()
    rows = [tr for tr in table.iter("tr") if _nearest_table(tr) is table]
    n_cols = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while (r, c) in occupied:
                c += 1
            try:
                colspan = max(1, min(int(cell.get("colspan", 1)), 100))
            except ValueError:
                colspan = 1
            try:
                rowspan = max(1, min(int(cell.get("rowspan", 1)), len(rows) - r))
            except ValueError:
                rowspan = 1
            grid[(r, c)] = _html_cell_text(cell)
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied.add((r + dr, c + dc))
            c += colspan
            n_cols = max(n_cols, c)
    result = []
    for r in range(len(rows)):
        width = max([c + 1 for (rr, c) in occupied if rr == r], default=0)
        result.append([grid.get((r, c), "") for c in range(width)])
    return result


def _nearest_table(el):
    parent = el.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _html_cell_text(cell) -> str:
    sub = LineWriter()
    _html_walk(cell, sub)
    lines = [line.lstrip("\t") for line in sub.lines if line.strip()]
    return "\n".join(lines)


# --- dispatch --------------------------------------------------------------------------------
def _sniff(data: bytes) -> str | None:
    """What the bytes are, whatever the file is called."""
    head = data[:2048]
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data) or "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"  # OLE2: Word 97-2003, Excel 97-2003, ...
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head.lower():
        return "html"
    return None


def _read_as(kind: str, path: Path, data: bytes, declared: str) -> ReadResult:
    reader = {"docx": read_docx, "xlsx": read_xlsx, "html": read_html, "pdf": read_pdf}.get(kind)
    if kind == "rtf":
        converted = convert_with_libreoffice(data, ".rtf", "docx")
        result = read_docx(path, converted)
        result.format = "rtf"
    elif reader is None:
        raise UnreadableDocument(f"{message('content_unsupported')}: {kind}")
    else:
        result = reader(path, data)
    result.notes.append(message("suffix_content_mismatch", declared=declared, actual=result.format))
    return result


READERS = {suffix: read_text for suffix in TEXT_SUFFIXES}
READERS.update({suffix: read_html for suffix in HTML_SUFFIXES})
READERS.update({".docx": read_docx, ".docm": read_docx, ".doc": read_doc, ".pdf": read_pdf,
                ".xlsx": read_xlsx, ".xlsm": read_xlsx, ".xls": read_xls})


def supported_suffixes() -> set[str]:
    return set(READERS)


def read_document(path: Path, data: bytes) -> ReadResult:
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise UnreadableDocument(message("file_type_unsupported", suffix=path.suffix or "(none)"))
    if not data.strip():
        raise UnreadableDocument(message("empty_file"))
    kind = _sniff(data)
    if suffix in (".docx", ".docm", ".xlsx", ".xlsm") and kind != "zip" and kind in ("docx", "xlsx", "doc", "pdf", "html"):
        expected = "docx" if suffix.startswith(".doc") else "xlsx"
        if kind == "doc":
            return (read_doc if expected == "docx" else read_xls)(path, data)
        if kind != expected:
            return _read_as(kind, path, data, declared=suffix.lstrip("."))
    if suffix == ".pdf" and kind is not None and kind != "pdf":
        raise UnreadableDocument(message("pdf_content_mismatch", kind=kind))
    return reader(path, data)
