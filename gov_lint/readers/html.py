"""HTML: a saved web page or a Word "save as web page" → Document.

The page is cut into the pieces the standard library's `html.parser` reports, with
the line and column of every tag and text chunk (`html_tree.py`: one regular
expression, `html.parser` itself for markup it cannot read the same way), built
into a small tree, then rendered in the seeds' text layout (`html_layout.py`):

* headings, paragraphs, list items, divs … start new lines; `<br>` too;
* a data table (one without tables nested inside it) becomes one line per
  `<tr>`, its cells joined by "\\t" on the grid that `rowspan`/`colspan` define:
  a merged cell is written once, at its first position, and the positions it
  covers stay empty strings, so every row of a table has the same positions;
* a row without any text (all merged from above, or Word's hidden row of column
  widths) is left out; a hairline column that only exists because borders do not
  line up (narrower than 6 px by the cells' widths) is dropped;
* a layout table (one that holds other tables) or a one-column table is read as
  ordinary blocks;
* `<pre>` keeps its lines and tabs; `<ol>` items get the marker a browser draws;
* `<script>`, `<style>`, `<template>`, `<head>` (except `<title>`), comments,
  conditional comments and elements hidden with `display:none` are skipped;
* whitespace runs, `&nbsp;` and Word's `<o:p> </o:p>` collapse to one space
  (none at the start or end of a line or cell); text split across `<span>`s
  or `<font>`s joins as the browser shows it.

Every emitted run of text gets a source-map entry pointing at its line and
column in the HTML file, so a diagnostic on a cell points into the .html.
"""

from __future__ import annotations

import re

from ..model import Document
from .errors import ReadError
from .html_layout import Renderer
from .html_tree import MarkupError, build_tree
from .text import decode

# --------------------------------------------------------------------------- decoding


_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_XML_DECL = re.compile(r"""<\?xml\b[^>]*?\bencoding\s*=\s*["']?([\w.:-]+)""", re.I)


def _meta_charset(tag: str) -> str | None:
    """The charset a <meta charset> or <meta http-equiv="Content-Type" content="…charset=…"> declares."""
    attrs = {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTR.finditer(tag)}
    if attrs.get("charset", "").strip():
        return attrs["charset"].strip()
    if attrs.get("http-equiv", "").lower() == "content-type":
        content = attrs.get("content", "")
        i = content.lower().find("charset=")
        if i >= 0:
            return content[i + 8 :].strip().strip("\"';").split(";")[0].strip() or None
    return None


_GBK_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}


def _declared_charset(data: bytes) -> str | None:
    """The first declared charset in the first 8 KiB (meta tags outside comments, or an XML declaration)."""
    head = _COMMENT.sub("", data[:8192].decode("latin-1"))
    for m in _META_TAG.finditer(head):
        found = _meta_charset(m.group())
        if found:
            return found.lower()
    m = _XML_DECL.search(head)
    return m.group(1).lower() if m else None


def decode_html(data: bytes, hint: str | None = None) -> tuple[str, str]:
    """HTML bytes → text: BOM, then the declared charset (or `hint`, e.g. a MIME header), then the text reader's guess."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(data)
    declared = _declared_charset(data) or (hint.lower() if hint else None)
    if declared:
        codec = "gb18030" if declared in _GBK_FAMILY else declared
        if codec == "gb18030":
            # Pages re-saved by crawlers often keep a stale GBK declaration on UTF-8 bytes.
            try:
                return data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
        try:
            return data.decode(codec), codec
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


# --------------------------------------------------------------------------- entry point


def _unwrap_mhtml(data: bytes) -> tuple[bytes, str | None]:
    """The HTML part of a MIME "single file web page" (.mht) and its declared charset."""
    import email
    import email.errors
    import email.policy

    try:
        msg = email.message_from_bytes(data, policy=email.policy.compat32)
        for part in msg.walk():
            if part.get_content_type() == "text/html":
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    return payload, part.get_content_charset()
    except (ValueError, LookupError, email.errors.MessageError):  # a broken MIME wrapper: reported below
        pass
    raise ReadError("MHT 网页文件中找不到 HTML 正文", "no HTML part in the MHT (single file web page) file")


def read_html(path: str, data: bytes) -> Document:
    """Read an HTML page (or a .mht single file web page) into a Document (see the module docstring)."""
    from .detect import _is_mhtml

    hint = None
    container = None
    if _is_mhtml(data[:4096]):
        data, hint = _unwrap_mhtml(data)  # positions are then those of the HTML part
        container = "mht"
    text, encoding = decode_html(data, hint)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:  # only what html.parser raises is the page's fault: a bug in our tree or layout code is P902
        builder = build_tree(text)
    except MarkupError:
        raise ReadError("HTML 文件已损坏，无法解析", "the HTML is damaged and cannot be parsed") from None
    renderer = Renderer()
    renderer.block(builder.root)
    renderer.flush()
    lines = renderer.lines
    while lines and lines[-1] == "":
        lines.pop()
    if not any(line.strip() for line in lines):
        raise ReadError("HTML 页面中没有可读的正文文字", "the HTML page contains no readable text")
    doc = Document(
        path=path,
        text="\n".join(lines),
        format="html",
        encoding=encoding,
        source_map=renderer.smap,
        meta=dict(builder.meta),
    )
    if container:
        doc.meta["container"] = container
    if "\ufffd" in text:
        doc.notes.append(("P002", encoding))
    return doc
