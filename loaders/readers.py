"""Readers turn a file's bytes into decoded text lines; they know formats, not reports.

Every reader returns a ``ReadResult`` so the extractor and dbt never see a difference between
formats. A reader raises ``UnreadableDocument`` with a reason an analyst can act on.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path


class UnreadableDocument(Exception):
    """The file cannot be read as a report; the message is the reason recorded in raw.load_errors."""


@dataclass
class ReadResult:
    lines: list[str]
    format: str
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


TEXT_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".text": "txt"}


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode report text: BOMs first, then strict UTF-8, then GB18030 (a superset of GBK/GB2312).

    Strict decoding means a wrong guess raises instead of producing mojibake.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise UnreadableDocument(f"not UTF-8, UTF-16 or GB18030 text (文本编码无法识别): {exc}") from exc
    return text, "gb18030"


def read_text(path: Path, data: bytes) -> ReadResult:
    if not data.strip():
        raise UnreadableDocument("empty file (空文件)")
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableDocument("binary content in a text file (文本文件含二进制内容)")
    text, encoding = decode_text(data)
    # Control characters other than tab/newline mean this is not a text report.
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\r\n\f")
    if controls > 10:
        raise UnreadableDocument("binary content in a text file (文本文件含二进制内容)")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return ReadResult(lines=lines, format=TEXT_SUFFIXES.get(path.suffix.lower(), "txt"), encoding=encoding)


READERS = {suffix: read_text for suffix in TEXT_SUFFIXES}


def supported_suffixes() -> set[str]:
    return set(READERS)


def read_document(path: Path, data: bytes) -> ReadResult:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UnreadableDocument(f"unsupported file type {path.suffix or '(none)'} (不支持的文件类型)")
    return reader(path, data)
