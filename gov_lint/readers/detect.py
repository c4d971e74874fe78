"""Format detection by content; the file suffix only breaks ties."""

from __future__ import annotations

import re

_HTML = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table|meta|div|p)[\s>/]", re.I)


def detect_format(path: str, data: bytes) -> str:
    """One of "text", "markdown", "html", "docx", "pdf", "binary"."""
    head = data[:4096]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in data[:200_000] or path.lower().endswith(".docx") else "binary"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM: decide on the decoded text
        try:
            head = data[:8192].decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return "binary"
    elif b"\x00" in head:
        return "binary"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML.search(stripped[:2048]) and (stripped.startswith(b"<") or b"<table" in head.lower()):
        return "html"
    lower = path.lower()
    if lower.endswith((".md", ".markdown")):
        return "markdown"
    if re.search(rb"^\s*#{1,6}\s|^\s*\|.*\|\s*$", head, re.M):
        return "markdown"
    return "text"
