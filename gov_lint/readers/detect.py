"""Format detection by content; the file suffix only breaks ties.

* `%PDF-` in the first KB (some producers put junk before it) → "pdf";
* a ZIP whose directory lists `word/document.xml` → "docx" (other ZIPs, such as
  .xlsx or .odt, are "binary"); a ZIP too damaged to list falls back to looking
  for the member name in the bytes, and then to the suffix;
* an OLE2 compound file: old Word (.doc/.wps) or an encrypted .docx → "docx"
  (the DOCX reader explains what to do), anything else → "binary";
* a MIME "single file web page" (.mht/.mhtml) → "html";
* text that starts with markup (`<!doctype html`, `<html`, `<head`, `<body`,
  `<meta`, `<table`, `<div`, `<p`, a comment or an XML declaration), or that
  carries `<html`/`<body` in its first KB → "html"; a `.md` file that only
  embeds a few HTML tags stays markdown, so does a `.txt` quoting a `<table>`;
* bytes with NULs and more than 1 % control characters are binary, unless they read as UTF-16 without a BOM
  (`utf16_without_bom`: nearly every character plausible report text);
* otherwise markdown when the suffix says so or headings/pipe tables show, else text.
"""

from __future__ import annotations

import io
import re
import zipfile

_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|table|div|p|title|!--|\?xml)[\s>/]", re.I)
_HTML_STRONG = re.compile(rb"<(?:!doctype\s+html|html|body)[\s>]", re.I)
_HTML_ANY = re.compile(rb"<(?:table|tr|td|div|p|span|br|meta)[\s>/]", re.I)
_MARKDOWN = re.compile(rb"^\s*#{1,6}\s|^\s*\|.*\|\s*$", re.M)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_WORD = "WordDocument".encode("utf-16-le")
_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


_CONTROL = [bytes([b]) for b in range(32) if b not in (9, 10, 12, 13, 27)]


def _controls(head: bytes) -> int:
    """Control bytes (not tab, newline, form feed, CR or escape): text has next to none."""
    return sum(head.count(c) for c in _CONTROL)


def _plausible(ch: str) -> bool:
    """A character a report's text is made of: CJK, ASCII, CJK and full-width punctuation."""
    o = ord(ch)
    return (0x20 <= o < 0x7F or ch in "\t\r\n" or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F or 0x3400 <= o <= 0x4DBF)


def utf16_without_bom(sample: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the bytes read as UTF-16 text without a BOM
    (at least 95 % of the characters are plausible report text), else None."""
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8:
        return None
    best, best_share = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        text = sample.decode(enc, errors="replace")
        share = sum(map(_plausible, text)) / len(text)
        if share > best_share:
            best, best_share = enc, share
    return best if best_share >= 0.95 else None


def _is_mhtml(head: bytes) -> bool:
    """A MIME message (Word's or a browser's "single file web page") carrying HTML."""
    start = head[:2048].lstrip()[:13].lower()  # (lower-casing leaves whitespace as it is)
    if not start.startswith((b"mime-version:", b"from:", b"subject:", b"date:", b"content-type:")):
        return False
    low = head[:2048].lower()
    return b"multipart/related" in low or b"text/html" in low


def _is_docx_zip(path: str, data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        # A truncated or damaged archive: the reader will say what is wrong with it.
        return b"word/document.xml" in data or path.lower().endswith((".docx", ".docm"))
    return "word/document.xml" in names


def detect_format(path: str, data: bytes) -> str:
    """One of "text", "markdown", "html", "docx", "pdf", "binary"."""
    lower = path.lower()
    head = data[:4096]
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if _is_docx_zip(path, data) else "binary"
    if head.startswith(_OLE):
        # Old binary Word (.doc/.wps) or a password-protected .docx: the DOCX reader
        # says which and what to do; other OLE files (.xls, .ppt) are binary.
        if _OLE_WORD in data or _OLE_ENCRYPTED in data or lower.endswith((".doc", ".wps", ".docx")):
            return "docx"
        return "binary"
    if _is_mhtml(head):
        return "html"  # a "single file web page" (.mht): the HTML reader unwraps it
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM: decide on the decoded text
        try:
            head = data[:8192].decode("utf-16", errors="ignore").encode("utf-8")
        except UnicodeDecodeError:
            return "binary"
    elif b"\x00" in head and _controls(head) > max(2, len(head) // 100):  # a few stray NULs do not make it binary
        enc = utf16_without_bom(data[:8192])
        if enc is None:
            return "binary"
        head = data[:8192].decode(enc, errors="ignore").encode("utf-8")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    is_md = lower.endswith((".md", ".markdown"))
    if _HTML_START.match(stripped):
        # "<p>" or "<div>" leading a .md file is markdown with inline HTML, unless the
        # file is a whole page.
        if not is_md or _HTML_STRONG.search(head):
            return "html"
    elif b"<" in head[:1024] and _HTML_STRONG.search(head[:1024]) and not is_md:
        return "html"  # a page with a few lines of crawler header before it
    elif lower.endswith((".html", ".htm", ".xhtml", ".shtml")) and _HTML_ANY.search(head):
        return "html"
    if is_md:
        return "markdown"
    # (a markdown heading or pipe row has a # or a |: most text has neither, and `in` is a
    # C-level scan where the multi-line regex tries every position)
    if (b"#" in head or b"|" in head) and _MARKDOWN.search(head):
        return "markdown"
    return "text"
