"""Plain text and markdown: decode the bytes, keep every position.

Encodings tried in order: a BOM (UTF-8, UTF-16 LE/BE), UTF-16 without a BOM (when
NUL bytes show and the text reads as UTF-16), strict UTF-8, GB18030
(a superset of GBK and GB2312).  CRLF and lone CR become LF; nothing else in the
text changes, so line and column numbers are those of the file.
"""

from __future__ import annotations

from ..model import Document
from .detect import utf16_without_bom
from .errors import ReadError
from .runtogether import is_run_together, unrun


def decode(data: bytes) -> tuple[str, str]:
    """Text and the name of the encoding it was decoded from."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ReadError("UTF-16 编码损坏，无法解码", "broken UTF-16 text, cannot decode") from None
    if data.find(b"\x00", 0, 8192) >= 0:  # (no copy of the first 8 KB)
        enc = utf16_without_bom(data[:8192])
        if enc is not None:
            return data[: len(data) // 2 * 2].decode(enc, errors="replace"), f"{enc}（无 BOM）"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    # a few broken bytes: the encoding that loses fewest characters (a GBK file with
    # one stray byte is GBK, not garbage)
    bad, name, text = min(
        ((t.count("\ufffd"), enc, t) for enc, t in ((e, data.decode(e, errors="replace")) for e in ("utf-8", "gb18030"))),
        key=lambda c: (c[0], c[1] != "utf-8"),  # UTF-8 on a tie
    )
    if bad > max(8, len(text) // 50):
        raise ReadError(
            "无法识别文本编码（既不是 UTF-8 也不是 GB18030/GBK）",
            "unknown text encoding (neither UTF-8 nor GB18030/GBK)",
        )
    return text, f"{name} (有损坏字节)"


def read_text(path: str, data: bytes, fmt: str = "text") -> Document:
    text, encoding = decode(data)
    if "\r" in text:  # (one scan for the usual text, which has none)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    doc = Document(path=path, text=text, format=fmt, encoding=encoding)
    if "\ufffd" in text:
        doc.notes.append(("P002", encoding))
    if is_run_together(doc):
        doc = unrun(doc)
    return doc
