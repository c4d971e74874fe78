"""Readers: bytes of a file → `Document`.

`read_path` and `read_bytes` detect the format from the content (the suffix only
breaks ties), call the matching reader and return a Document.  A file that cannot
be read raises `ReadError` with a reason in Chinese and English; callers turn it
into a P finding and go on with the other files.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Document
from .detect import detect_format
from .errors import ReadError

__all__ = ["ReadError", "read_path", "read_bytes", "detect_format", "SUFFIXES"]

# Suffixes a folder walk picks up.
# Old Word (.doc, .wps) is picked up too, so that an archive scan lists it with the
# advice to save it as .docx instead of skipping it silently.
SUFFIXES = {".txt", ".md", ".markdown", ".text", ".html", ".htm", ".shtml", ".xhtml", ".mht", ".mhtml",
            ".docx", ".doc", ".wps", ".pdf"}


def read_path(path: str | Path) -> Document:
    """Read one file from disk (never writes to it)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except IsADirectoryError:
        raise ReadError("是文件夹，不是文件", "is a directory, not a file") from None
    except FileNotFoundError:
        raise ReadError("文件不存在", "file not found") from None
    except PermissionError:
        raise ReadError("没有读取权限", "permission denied") from None
    except OSError as exc:
        raise ReadError(f"无法读取文件：{exc.strerror or exc}", f"cannot read the file: {exc.strerror or exc}") from None
    return read_bytes(str(path), data)


def read_bytes(path: str, data: bytes) -> Document:
    """Read a file's content; `path` is used for the suffix and in messages."""
    fmt = detect_format(path, data)
    if fmt in ("text", "markdown"):
        from .text import read_text

        return read_text(path, data, fmt)
    if fmt == "html":
        from .html import read_html

        return read_html(path, data)
    if fmt == "docx":
        from .docx import read_docx

        return read_docx(path, data)
    if fmt == "pdf":
        from .pdf import read_pdf

        return read_pdf(path, data)
    raise ReadError(
        "不是文本、Markdown、HTML、DOCX 或 PDF 文件（看起来是二进制数据）",
        "not a text, Markdown, HTML, DOCX or PDF file (looks like binary data)",
    )
