"""The result cache: a re-run over an unchanged archive does not even read the files.

Every entry is one JSON file, stored under two keys that both cover everything
the result depends on besides the file (the *salt*: gov-lint version and
source, rule packs, installed rule plugins, selected rules and language):

* the **stat key**, as ruff keys its cache: sha256(salt, absolute path, size,
  modification time in ns).  Looked up first, from one `os.stat`, so an
  unchanged file is not opened at all;
* the **content key**: sha256(salt, sha256(file bytes)).  Looked up when the
  stat key misses (the file was touched, copied or renamed but its bytes are the
  same); a hit there is stored under the new stat key too.

An edited file, another configuration, an upgraded gov-lint or an edited
`rules/*.toml` all miss.  (Like ruff's, the stat key trusts the file system's
modification time: a file rewritten with the same size within the same
nanosecond tick would be taken as unchanged.)  What is stored is a
FileResult in its JSON form (`FileResult.to_json(internal=True)`: findings as
data, template, year, agency, status, the source lines the findings show and the
tables) and the cross-year facts; the parsed Report is not.  A hit gets the path it was
looked up by on the way out.

Files are written to a temporary name in the same folder and renamed into place,
so parallel workers never see half a file.  The folder gets a `CACHEDIR.TAG` and
a `.gitignore` so backup tools and git leave it alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__
from .model import FileResult

CACHE_FORMAT = 2
STAT_PREFIX = "s"  # stat keys start with it (content keys are bare hex digests)
DEFAULT_CACHE_DIR = ".gov-lint-cache"
CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is a cache made by gov-lint.\n"


# --------------------------------------------------------------------------- (de)serialising results


def result_to_data(r: FileResult) -> dict[str, Any]:
    """A FileResult as cached: its JSON form with spans, source lines and tables (no path)."""
    data = r.to_json(internal=True)
    del data["path"]
    return data


def result_from_data(d: dict[str, Any], path: str) -> FileResult:
    """A cached FileResult, under the path it was found at this time."""
    return FileResult.from_json(d, path)


# --------------------------------------------------------------------------- what the key covers


def _hash_tree(root: Path, suffixes: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    if root.is_dir():
        for p in sorted(root.rglob("*")):
            if p.is_file() and p.suffix in suffixes and "__pycache__" not in p.parts:
                h.update(p.relative_to(root).as_posix().encode())
                h.update(b"\0")
                h.update(p.read_bytes())
                h.update(b"\0")
    return h.hexdigest()


@cache
def packs_hash() -> str:
    """A hash of the rule packs (`rules/templates`, `rules/relations`) this process uses."""
    from .templates import packs_dir

    return _hash_tree(packs_dir(), (".toml", ".lark", ".yaml", ".yml", ".json"))


@cache
def code_hash() -> str:
    """gov-lint's version, its own source (a development checkout changes without a new
    version number) and the installed third-party rule plugins with their versions."""
    h = hashlib.sha256(__version__.encode())
    h.update(_hash_tree(Path(__file__).resolve().parent, (".py", ".lark")).encode())
    try:
        eps = metadata.entry_points(group="gov_lint.rules")
    except TypeError:  # pragma: no cover - Python < 3.10 API
        eps = metadata.entry_points().get("gov_lint.rules", [])
    for ep in sorted(eps, key=lambda e: (e.name, e.value)):
        dist = getattr(ep, "dist", None)
        h.update(f"{ep.name}={ep.value}@{getattr(dist, 'version', '')}".encode())
    return h.hexdigest()


def cache_salt(config_hash: str) -> str:
    """Everything besides the file content that a cached result depends on."""
    return hashlib.sha256(f"{CACHE_FORMAT}|{code_hash()}|{packs_hash()}|{config_hash}".encode()).hexdigest()


# --------------------------------------------------------------------------- the cache


@dataclass
class CacheEntry:
    result: dict[str, Any]
    facts: dict[str, Any] | None


class ResultCache:
    """A folder of cached results.  Safe to share between processes."""

    def __init__(self, folder: str | Path, salt: str) -> None:
        self.folder = Path(folder)
        self.salt = salt
        self._ready = False

    def key(self, data: bytes) -> str:
        """The content key of a file's bytes."""
        return hashlib.sha256(self.salt.encode() + hashlib.sha256(data).digest()).hexdigest()

    def stat_key(self, path: str) -> str | None:
        """The stat key (path, size, modification time) of a regular file; None when it cannot be stat'ed."""
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        ident = f"{self.salt}\0stat\0{os.path.abspath(path)}\0{st.st_size}\0{st.st_mtime_ns}"
        return STAT_PREFIX + hashlib.sha256(ident.encode("utf-8", "surrogateescape")).hexdigest()

    def _file(self, key: str) -> Path:
        if key.startswith(STAT_PREFIX):  # stat entries live in a folder of their own
            return self.folder / "stat" / key[1:3] / f"{key}.json"
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> CacheEntry | None:
        try:
            with self._file(key).open("rb") as fh:
                d = json.load(fh)
            if d.get("format") != CACHE_FORMAT:
                raise ValueError("format")
            entry = CacheEntry(d["result"], d.get("facts"))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return entry

    def _prepare(self) -> None:
        if self._ready:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", "*\n")):
            p = self.folder / name
            if not p.exists():
                try:
                    p.write_text(text, encoding="utf-8")
                except OSError:
                    pass
        self._ready = True

    def put(self, key: str, result: dict[str, Any], facts: dict[str, Any] | None) -> None:
        """Store an entry atomically; a cache that cannot be written is silently skipped."""
        try:
            self._prepare()
            target = self._file(key)
            target.parent.mkdir(parents=True, exist_ok=True)
            payload = json.dumps({"format": CACHE_FORMAT, "result": result, "facts": facts},
                                 ensure_ascii=False, separators=(",", ":"))
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=target.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(payload)
                os.replace(tmp, target)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            pass
