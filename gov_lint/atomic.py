"""Writing files so that an interrupted run never leaves half a file.

Everything gov-lint writes (`--output` files, baselines, cache entries) goes to a
temporary file in the target's own folder and is renamed over the target only
when it is complete (`os.replace` is atomic on one file system).  On an error or
Ctrl-C the temporary file is removed and the target keeps its old content.

A folder that cannot be written raises `WriteError`, whose message says so in
Chinese and English; the CLI prints it and exits 2.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO, Any

from .errors import UserError


class WriteError(UserError):
    """A file that cannot be written (read-only folder, disk full…)."""


def write_error(path: str | Path, exc: OSError) -> WriteError:
    """The user-facing message for an OSError while writing `path`."""
    folder = Path(path).parent or Path(".")
    if isinstance(exc, PermissionError):
        return WriteError(f"无法写入 {path}：没有写入文件夹 {folder} 的权限（文件夹可能是只读的）。请换一个可以写入的位置。",
                          f"cannot write {path}: no permission to write in the folder {folder} (read-only?). "
                          f"Choose a writable place.")
    reason = exc.strerror or str(exc)
    return WriteError(f"无法写入 {path}：{reason}", f"cannot write {path}: {reason}")


class AtomicFile:
    """A text or binary file that appears at `path` only on `commit()`.

    `close()` without `commit()` throws the temporary file away.  Use it as a
    context manager: leaving the block normally commits, an exception discards.
    """

    def __init__(self, path: str | Path, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = "") -> None:
        self.path = Path(path)
        parent = self.path.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=parent)
        except OSError as exc:
            raise write_error(self.path, exc) from None
        binary = "b" in mode
        self.fh: IO[Any] = os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"encoding": encoding, "newline": newline}))
        self.done = False

    def write(self, data: Any) -> int:
        return self.fh.write(data)

    def flush(self) -> None:
        self.fh.flush()

    def __getattr__(self, name: str) -> Any:  # isatty, writelines… of the open file
        return getattr(self.fh, name)

    def commit(self) -> None:
        """Finish the file and move it into place."""
        if self.done:
            return
        self.done = True
        try:
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()
            os.replace(self.tmp, self.path)
        except OSError as exc:
            self._remove()
            raise write_error(self.path, exc) from None

    def close(self) -> None:
        """Discard the file unless it was committed."""
        if self.done:
            return
        self.done = True
        self._remove()

    def _remove(self) -> None:
        try:
            self.fh.close()
        except OSError:
            pass
        try:
            os.unlink(self.tmp)
        except FileNotFoundError:
            pass

    def __enter__(self) -> "AtomicFile":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        if exc_type is None:
            self.commit()
        else:
            self.close()


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Write a whole text file atomically."""
    with AtomicFile(path, "w", encoding=encoding) as fh:
        fh.write(text)


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write a whole binary file atomically."""
    with AtomicFile(path, "wb") as fh:
        fh.write(data)
