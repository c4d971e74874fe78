"""The result cache: a re-run over an unchanged archive does not even read the files.

The cache is one SQLite database per cache folder (`results.sqlite`), written by
the main process only (workers send their results back as the bytes stored
here).  Two keys, both covering everything the result depends on besides the
file (the *salt*: gov-lint version and source, rule packs, installed rule
plugins, selected rules and language):

* the **stat key**, as ruff keys its cache: sha256(salt, absolute path, size,
  modification time in ns).  Looked up first, from one `os.stat`, so an
  unchanged file is not opened at all;
* the **content key**: sha256(salt, sha256(file bytes)).  Looked up when the
  stat key misses (the file was touched, copied or renamed but its bytes are the
  same); a hit there is stored under the new stat key too.

Table `stat` maps a stat key to a content key, table `result` a content key to
the entry, so one query (a join) answers a warm lookup and a copied file costs
one more small row.  The runner looks the stat keys of a block of files up in one
query (`get_many`).  An entry's tables sit in a column of their own, last in the
row (`t`), read only when an output draws them (`ResultCache(tables=True)`: html);
pages are 16 KiB, so an entry is one page and a warm lookup reads no overflow
page.  A database of another layout (`PRAGMA user_version`) is deleted and begun
again.  An edited file, another configuration, an upgraded gov-lint
or an edited `rules/*.toml` all miss.  (Like ruff's, the stat key trusts the
file system's modification time: a file rewritten with the same size within the
same nanosecond tick would be taken as unchanged.)

An entry is `marshal` of plain tuples (`encode`): the FileResult's internal form
(`FileResult.to_internal`: without its path and tables; findings as data, template,
year, agency, status, the source lines the findings show), the tables (`table_blob`: the rows findings
are about as they are, every table zlib-compressed; decoded only when an output
draws them, `LazyTables`: the HTML report), and the
cross-year facts as plain data.  The parsed Report is never stored.  The same
bytes are what a worker process or a Dask worker sends back, so a result read
from the cache and one just computed go through the same decoding.

SQLite keeps its page cache bounded (`CACHE_KIB`), so memory does not grow with
the archive; WAL mode lets another gov-lint read while this one writes.  A
database that cannot be opened or is damaged is a cache that misses: the run
goes on and nothing is written.  On a warm run the cross-year pass reads a hit's
facts back from here when a pair needs them (`facts_body`); should the database
become unreadable during the run, that pair is named in a P902 instead of being
compared (check again with `--no-cache`).  The folder gets a `CACHEDIR.TAG` and a
`.gitignore` so backup tools and git leave it alone.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sqlite3
import stat
import time
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__
from .model import FileResult
from .table_blob import LazyTables
from .table_blob import pack as pack_tables

CACHE_FORMAT = 14  # 14: a result as a tuple (`FileResult.to_internal`); 13: related places as lists; 12: texts of known messages as data only; 11: the facts carry a quick part; 10: a row of the facts is (column bytes, values); 9: bytes, by table; 8: by "table|row"
SCHEMA_VERSION = 5  # PRAGMA user_version: a database of another layout is started afresh
PAGE_SIZE = 16384  # an entry (a few KB) sits on one page: a warm lookup reads no overflow pages
DB_NAME = "results.sqlite"
STAT_KEY_BYTES = 33  # b"s" + a sha256 digest; a content key is the 32-byte digest alone (it may begin with "s")
COMMIT_EVERY = 512  # entries written between two commits …
COMMIT_SECONDS = 1.0  # … or seconds (another gov-lint writing to the same cache waits for a commit)
CACHE_KIB = 8 * 1024  # SQLite page cache (bounded: memory stays flat)
DEFAULT_CACHE_DIR = ".gov-lint-cache"
CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is a cache made by gov-lint.\n"
_DB_ERRORS = (sqlite3.Error, OSError)  # what SQLite and the file system raise for a cache that cannot be used


# --------------------------------------------------------------------------- (de)serialising results


def encode(result: FileResult, facts: Any = None, tables: bool = True) -> bytes:
    """A FileResult (and its cross-year facts as plain data) as the bytes the cache stores.

    The bytes are a 4-byte length, the head (`marshal` of the format, the result's internal
    form and the facts) and then the tables (`table_blob.pack`, maybe empty).  The cache
    keeps the tables in a column of their own (`split`), read only when an output draws them.
    `tables=False` leaves them out (a worker's result that is neither cached nor drawn: packing
    the tables is most of the cost of encoding)."""
    data = result.to_internal()  # the tables go apart, below
    packed = pack_tables(result.tables, result.findings) if tables else b""
    head = marshal.dumps((CACHE_FORMAT, data, facts))
    return len(head).to_bytes(4, "big") + head + packed


def split(blob: bytes) -> tuple[bytes, bytes]:
    """(length + head, tables) of `encode`'s bytes; bytes of another kind are all head."""
    end = 4 + int.from_bytes(blob[:4], "big")
    return (blob[:end], blob[end:]) if len(blob) >= end else (blob, b"")


def decode(blob: bytes, path: str) -> tuple[FileResult, Any]:
    """(FileResult under `path`, the facts' plain data or None) from `encode`'s bytes (the tables
    may have been left out: the result then has none).

    Raises ValueError for bytes of another format or damaged bytes."""
    head, packed = split(blob)
    data, facts = _read_head(head)
    result = FileResult.from_internal(data, path)
    if packed:
        result.tables = LazyTables(packed)  # type: ignore[assignment]
    return result, facts


def _read_head(head: bytes) -> tuple[Any, Any]:
    """(the result's internal form, the facts' plain data or None) of an entry's head (length and
    `marshal` bytes); ValueError for bytes of another format or damaged bytes."""
    try:
        fmt, data, facts = marshal.loads(head[4:])
    except (EOFError, TypeError, ValueError) as exc:  # what marshal raises for truncated or foreign bytes
        raise ValueError("damaged cache entry") from exc
    if fmt != CACHE_FORMAT:
        raise ValueError("cache format")
    return data, facts


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


def content_key(salt: str, data: bytes) -> bytes:
    """The content key of a file's bytes (workers compute it where the bytes are)."""
    return hashlib.sha256(salt.encode() + hashlib.sha256(data).digest()).digest()


# --------------------------------------------------------------------------- the cache

_SCHEMA = (
    # v: the head of an entry, t: its tables (last in the row, read only when wanted)
    "CREATE TABLE IF NOT EXISTS result (c BLOB PRIMARY KEY, v BLOB NOT NULL, t BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS stat (k BLOB PRIMARY KEY, c BLOB NOT NULL) WITHOUT ROWID",
)
_VALUE = {False: "result.v", True: "result.v, result.t"}  # an entry without or with its tables
_GET_STAT = "SELECT {value} FROM stat JOIN result ON result.c = stat.c WHERE stat.k = ?"
_GET_STATS = "SELECT stat.k, stat.c, {value} FROM stat JOIN result ON result.c = stat.c WHERE stat.k IN ({marks})"
_GET_CONTENT = "SELECT {value} FROM result WHERE c = ?"


def _open(db: Path) -> sqlite3.Connection:
    """A connection to the cache database; a database of another layout (an older gov-lint's)
    is deleted first: its entries would all miss anyway."""
    con = sqlite3.connect(db, timeout=30, isolation_level=None, check_same_thread=False)
    try:
        other = (con.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION
                 and con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0)
        if other:
            con.close()
            _delete(db)
            con = sqlite3.connect(db, timeout=30, isolation_level=None, check_same_thread=False)
        con.execute(f"PRAGMA page_size={PAGE_SIZE}")  # takes effect in a new file only
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        for sql in _SCHEMA:
            con.execute(sql)
        con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    except BaseException:
        con.close()
        raise
    return con


def _delete(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


class ResultCache:
    """A folder holding one SQLite database of results.  Opened lazily; write from one process.

    Keys are bytes: a stat key is 33 bytes (b"s" + digest), a content key 32.
    """

    def __init__(self, folder: str | Path, salt: str, tables: bool = True) -> None:
        self.folder = Path(folder)
        self.salt = salt
        self.tables = tables  # read each entry's tables (an output draws them: html)
        self._salt_bytes = salt.encode("utf-8", "surrogateescape")
        self._db: sqlite3.Connection | None = None
        self._read: sqlite3.Connection | None = None  # `_reader`
        self._broken = False
        self._closed = False  # `close`d: `facts_body` reads nothing more
        self._pending = 0  # entries written in the open transaction
        self._began = 0.0

    def __getstate__(self) -> dict[str, Any]:  # a connection does not travel to another process
        return {"folder": self.folder, "salt": self.salt, "tables": self.tables}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["folder"], state["salt"], state.get("tables", True))  # type: ignore[misc]

    # ------------------------------------------------------------------ keys

    def key(self, data: bytes) -> bytes:
        """The content key of a file's bytes."""
        return content_key(self.salt, data)

    def stat_key(self, path: str) -> bytes | None:
        """The stat key (path, size, modification time) of a regular file; None when it cannot be stat'ed."""
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        ident = b"\0".join((self._salt_bytes, b"stat", os.fsencode(os.path.abspath(path)),
                            str(st.st_size).encode(), str(st.st_mtime_ns).encode()))
        return b"s" + hashlib.sha256(ident).digest()

    # ------------------------------------------------------------------ the database

    def _conn(self, create: bool) -> sqlite3.Connection | None:
        if self._db is not None or self._broken:
            return self._db
        db = self.folder / DB_NAME
        if not create and not db.is_file():
            return None
        try:
            if create:
                self._prepare()
            try:
                con = _open(db)
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError) or not create:
                    raise
                _delete(db)  # not a database (damaged): start an empty one
                con = _open(db)
        except _DB_ERRORS:
            self._broken = True  # an unusable cache misses and stores nothing; the run goes on
            return None
        self._db = con
        return con

    def _prepare(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", "*\n")):
            p = self.folder / name
            if not p.exists():
                try:
                    p.write_text(text, encoding="utf-8")
                except OSError:
                    pass

    def get(self, key: bytes) -> bytes | None:
        """The stored bytes under a stat key or a content key, or None."""
        con = self._conn(create=False)
        if con is None:
            return None
        sql = (_GET_STAT if len(key) == STAT_KEY_BYTES else _GET_CONTENT).format(value=_VALUE[self.tables])
        try:
            row = con.execute(sql, (key,)).fetchone()
        except _DB_ERRORS:
            return None
        return None if row is None else b"".join(row)

    def get_many(self, stat_keys: list[bytes]) -> dict[bytes, tuple[bytes, bytes]]:
        """(content key, stored bytes) of the stat keys that hit, in one query."""
        con = self._conn(create=False)
        if con is None or not stat_keys:
            return {}
        sql = _GET_STATS.format(value=_VALUE[self.tables], marks=",".join("?" * len(stat_keys)))
        try:
            rows = con.execute(sql, stat_keys).fetchall()
        except _DB_ERRORS:
            return {}
        if self.tables:
            return {row[0]: (row[1], row[2] + row[3]) for row in rows}
        return {row[0]: (row[1], row[2]) for row in rows}

    def facts_body(self, content: bytes) -> bytes | None:
        """The cross-year facts' body of the entry under a content key (`encode`'s facts), read
        again for a pair that needs it (`PackedFacts.ref`); None when it cannot be read (or the
        cache was closed: the run it served is over)."""
        if self._closed:
            return None
        con = self._conn(create=False)
        if con is None:  # dropped after a failed write: what was committed can still be read
            con = self._reader()
        if con is None:
            return None
        try:
            row = con.execute(_GET_CONTENT.format(value="result.v"), (content,)).fetchone()
            _data, facts = _read_head(row[0]) if row is not None else (None, None)
        except (*_DB_ERRORS, ValueError):
            return None
        return facts[1] if facts is not None else None

    def _reader(self) -> sqlite3.Connection | None:
        """A read-only connection to the database (for `facts_body` once the writer was dropped)."""
        if self._read is None:
            try:
                self._read = sqlite3.connect(f"{(self.folder / DB_NAME).resolve().as_uri()}?mode=ro", uri=True,
                                             check_same_thread=False)
            except _DB_ERRORS:
                return None
        return self._read

    def put(self, content: bytes, blob: bytes, stat_key: bytes | None = None) -> None:
        """Store `blob` under its content key (and a stat key); a cache that cannot be written is skipped."""
        head, tables = split(blob)
        rows: list[tuple[str, tuple[bytes, ...]]] = [
            ("INSERT OR REPLACE INTO result (c, v, t) VALUES (?, ?, ?)", (content, head, tables))]
        if stat_key is not None:
            rows.append(("INSERT OR REPLACE INTO stat (k, c) VALUES (?, ?)", (stat_key, content)))
        self._write(rows)

    def link(self, stat_key: bytes, content: bytes) -> None:
        """Remember an existing entry under a new stat key (a touched or copied file)."""
        self._write([("INSERT OR REPLACE INTO stat (k, c) VALUES (?, ?)", (stat_key, content))])

    def _write(self, statements: list[tuple[str, tuple[bytes, ...]]]) -> None:
        """Run `statements` in the open transaction (begun here when none is); a cache that cannot
        be written is dropped and the run goes on."""
        con = self._conn(create=True)
        if con is None:
            return
        try:
            self._begin(con)
            for sql, args in statements:
                con.execute(sql, args)
            self._wrote()
        except _DB_ERRORS:
            self._drop()

    def _begin(self, con: sqlite3.Connection) -> None:
        if not self._pending:
            con.execute("BEGIN")
            self._began = time.monotonic()

    def _wrote(self) -> None:
        self._pending += 1
        if self._pending >= COMMIT_EVERY or time.monotonic() - self._began > COMMIT_SECONDS:
            self.commit()

    def commit(self) -> None:
        if self._db is not None and self._pending:
            try:
                self._db.execute("COMMIT")
            except _DB_ERRORS:
                self._drop()
                return
            self._pending = 0

    def _drop(self) -> None:
        """Stop using a database that failed (locked too long, disk full, damaged)."""
        if self._db is not None:
            try:
                self._db.close()
            except _DB_ERRORS:
                pass
        self._db = None
        self._broken = True
        self._pending = 0

    def close(self) -> None:
        self.commit()
        self._closed = True
        for con in (self._db, self._read):
            if con is not None:
                try:
                    con.close()
                except _DB_ERRORS:
                    pass
        self._db = self._read = None

    def entries(self) -> int:
        """How many results are stored (tests, benchmarks)."""
        con = self._conn(create=False)
        if con is None:
            return 0
        try:
            return con.execute("SELECT count(*) FROM result").fetchone()[0]
        except _DB_ERRORS:
            return 0
