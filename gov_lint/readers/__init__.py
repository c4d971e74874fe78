"""Readers: bytes of a file → `Document`.

`read_path` and `read_bytes` detect the format from the content (the suffix only
breaks ties), call the matching reader and return a Document.  A file that cannot
be read raises `ReadError` with a reason in Chinese and English; callers turn it
into a P finding and go on with the other files.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..budget import current_limits, human_size, spend
from ..messages import Message
from ..model import Document
from .detect import detect_format
from .errors import ReadError

__all__ = ["ReadError", "read_path", "read_bytes", "read_file_bytes", "detect_format", "SUFFIXES"]

# Suffixes a folder walk picks up.
# Old Word (.doc, .wps) is picked up too, so that an archive scan lists it with the
# advice to save it as .docx instead of skipping it silently.
SUFFIXES = {".txt", ".md", ".markdown", ".text", ".html", ".htm", ".shtml", ".xhtml", ".mht", ".mhtml",
            ".docx", ".doc", ".wps", ".pdf"}


def too_large(size: int, limit: int) -> ReadError:
    """P005: over the size limit (the file is not read)."""
    msg = Message("P005", {"size": human_size(size), "limit": human_size(limit)})
    return ReadError(msg.render("zh"), msg.render("en"), code="P005")


def read_file_bytes(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Raises ReadError (P005) for a larger file, without reading it, and for what is
    not a regular file (a pipe or a device would block or never end); OSError for
    the rest.  A file that grows while it is read is cut at `limit + 1` bytes and
    refused, so memory stays bounded.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(st.st_mode):
            raise ReadError("不是普通文件（可能是管道或设备）", "not a regular file (a pipe or a device?)")
        if st.st_size > limit:
            raise too_large(st.st_size, limit)
        data = _read_at_most(fd, st.st_size + 1, limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise too_large(len(data), limit)
    return data


READ_STEP = 1 << 16  # bytes asked for at a time once the file's own size has been read


def _read_at_most(fd: int, first: int, most: int) -> bytes:
    """The first `most` bytes of `fd` (all of it when shorter): `first` bytes asked for first (the
    file's size and one more: a file that did not grow takes one read and a read at its end), then
    READ_STEP at a time.  (Asking for `most` at once would allocate that much for every file.)"""
    parts = []
    got = 0
    ask = min(first, most)
    while got < most:
        chunk = os.read(fd, ask)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
        ask = min(READ_STEP, most - got)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def read_path(path: str | Path) -> Document:
    """Read one file from disk (never writes to it); a file over the size limit is not read."""
    try:
        data = read_file_bytes(path, current_limits().max_bytes)
    except IsADirectoryError:
        raise ReadError("是文件夹，不是文件", "is a directory, not a file") from None
    except FileNotFoundError:
        raise ReadError("文件不存在", "file not found") from None
    except PermissionError:
        raise ReadError("没有读取权限", "permission denied") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ReadError("符号链接循环，指不到真正的文件", "a symbolic link loop: it leads to no file") from None
        raise ReadError(f"无法读取文件：{exc.strerror or exc}", f"cannot read the file: {exc.strerror or exc}") from None
    return read_bytes(str(path), data)


def read_bytes(path: str, data: bytes) -> Document:
    """Read a file's content; `path` is used for the suffix and in messages."""
    limit = current_limits().max_bytes
    if len(data) > limit:
        raise too_large(len(data), limit)
    spend(len(data) // 16)  # reading's share of the budget: one step per 16 bytes
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
