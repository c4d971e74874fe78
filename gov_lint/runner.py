"""Running a check over many files: process pool, result cache, cross-year pass.

    files ──► [worker: read → cache? → check → facts] ──► in input order ──► Y rules ──► post ──► render

* `--jobs N` > 1 runs the checks in a `ProcessPoolExecutor`.  Files go out in
  chunks (up to 64 files while many are left, fewer towards the end: `chunk_size`);
  at most a bounded window of chunks is in flight and results come back
  in input order, so memory stays flat on 10,000 files and the output is the
  same byte for byte whatever N is.
* The cache (`cache.py`) is consulted and written by the main process only:
  a hit (stat key) does not even open the file.  Workers get paths, read the
  files themselves, and send each result back as the compact bytes the cache
  stores (never the parsed Report); the tables in them are decoded only if an
  output draws them.
* Cross-year (`Y`) findings join their file's own result: one result per input
  file in every output.  `rules/crossyear.CrossYear` sees the files in input
  order and reports a relation between two reports in the one that comes later
  in that order, so a file's findings are complete when the file is done and no
  result is ever held back.  The facts wait in a temporary SQLite file, not in
  memory, so memory does not grow with the number of files.
* "post" is what applies after the rules ran: per-file-ignores and severity
  overrides (`config.Effective.apply`) and the baseline filter.  It runs in the
  main process, after the cache, so cached results are independent of them.
"""

from __future__ import annotations

import gc
import os
import sys
from collections import deque
from contextlib import contextmanager
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Iterator

from .budget import Limits, keep_handlers
from .cache import ResultCache, content_key, decode, encode
from .rules.crossyear import CrossYear, Facts, PackedFacts, extract_facts, pairable
from .model import FileResult
from .readers import ReadError, read_file_bytes

DEFAULT_LIMITS = Limits()
AUTO_JOBS_THRESHOLD = 8  # more files than this: use every core
WINDOW_PER_JOB = 4  # chunks in flight per worker
CHUNK_MAX = 64  # files per task at most (each task costs the command about 0.3 ms of IPC: fewer, larger tasks)
CHUNK_MIN = 2  # files per task at least (the last tasks: no worker waits long for another's)
GUIDE = 2  # a task takes at most 1/(jobs × GUIDE) of the files not yet given out
BUFFER_EXTRA = 256  # outcomes that may wait behind an unfinished chunk, beyond the window
LOOKUP_BLOCK = 16  # files whose stat keys are looked up in one query (their entries wait as bytes)
# The collector of a process that checks files (`quiet_collector`): what it holds when the checks
# begin (the pipeline's modules, grammar, compiled patterns, rule tables) is frozen, never scanned
# again, and the youngest generation is collected after this many new objects instead of 700.  A
# check makes many short-lived objects and few cycles, so the default collector spent about 8 % of
# a worker's CPU (`benchmarks/bench_archive.py`).
WORKER_GC_THRESHOLD = 50_000


def _quiet_collector() -> tuple[int, ...]:
    """Set the garbage collector of a process that is about to check many files: freeze what
    exists (O(1); a forked worker's inherited pages stay shared) and collect the youngest generation
    every WORKER_GC_THRESHOLD new objects.  Returns the thresholds it replaced."""
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD, *old[1:])
    return old


@contextmanager
def quiet_collector() -> Iterator[None]:
    """The collector of a pool worker for the block (the command line's process, which checks the
    files itself with --jobs 1 or decodes every result), then as it was: in-process callers (tests,
    an application) keep their own collector."""
    old = _quiet_collector()
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


@dataclass
class WorkerSpec:
    """Everything a worker needs, picklable: how to check, where the cache is."""

    check: Any  # the check options object handed to the check function (picklable)
    cache_dir: str | None = None
    cache_salt: str = ""
    facts: bool = True  # produce cross-year facts
    keep_report: bool = False  # keep FileResult.report (in-process runs only)
    tables: bool = True  # an output draws the tables (html): read them from the cache too

    @property
    def sends_tables(self) -> bool:
        """Whether a worker's result carries the tables: an output draws them or the cache stores them."""
        return self.tables or self.cache_dir is not None


def sent(result: FileResult, facts: Facts | None, spec: WorkerSpec) -> bytes:
    """A worker's result as the bytes it sends back (`cache.encode`), the tables only when wanted."""
    return encode(result, facts.to_data() if facts else None, spec.sends_tables)


@dataclass
class Outcome:
    result: FileResult
    facts: Facts | PackedFacts | None = None  # PackedFacts when decoded from bytes (cache, workers)
    cached: bool = False


def default_jobs(n_files: int) -> int:
    """Every core for more than a few files, else one process."""
    if n_files <= AUTO_JOBS_THRESHOLD:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, n_files))


# --------------------------------------------------------------------------- one file


_CHECK_FN: Callable[[str, bytes, Any], FileResult] | None = None
_UNREADABLE_FN: Callable[[str, Any], FileResult] | None = None


def _check_functions():
    """The check pipeline's entry points (imported late: the pipeline imports the rules)."""
    global _CHECK_FN, _UNREADABLE_FN
    if _CHECK_FN is None:
        from . import check as check_mod

        _CHECK_FN = check_mod.check_bytes
        _UNREADABLE_FN = check_mod.check_path
    return _CHECK_FN, _UNREADABLE_FN


def _decoded(blob: bytes, path: str, cached: bool, ref: tuple[ResultCache, bytes] | None = None) -> Outcome:
    """An Outcome from the bytes a worker sent or the cache stored (`cache.encode`); `ref`: the
    cache and content key the entry is stored under (the facts' body can be read there again)."""
    result, fdata = decode(blob, path)
    facts = PackedFacts(path, fdata[0], fdata[1], 0, fdata[2], ref=ref) if fdata is not None else None
    return Outcome(result, facts, cached)


def _hit(path: str, blob: bytes | None, ref: tuple[ResultCache, bytes] | None = None) -> Outcome | None:
    if blob is None:
        return None
    try:
        return _decoded(blob, path, True, ref)
    except ValueError:  # an entry of another format or damaged: a miss
        return None


def lookup(path: str, cache: ResultCache) -> tuple[Outcome | None, bytes | None]:
    """(the cached outcome of a file or None, its stat key).

    The stat key first (no read at all), then the content key; a content hit is
    remembered under the new stat key.  A file that cannot be read is a miss.
    """
    skey = cache.stat_key(path)
    if skey is not None:
        hit = _hit(path, cache.get(skey))
        if hit is not None:
            return hit, skey
    return _content_lookup(path, cache, skey), skey


def _content_lookup(path: str, cache: ResultCache, skey: bytes | None) -> Outcome | None:
    """The stat key missed: read the file, look its content key up, remember a hit under `skey`."""
    try:
        data = read_file_bytes(path, DEFAULT_LIMITS.max_bytes)
    except (OSError, ReadError):
        return None
    ckey = cache.key(data)
    hit = _hit(path, cache.get(ckey))
    if hit is not None and skey is not None:
        cache.link(skey, ckey)
    return hit


def lookup_many(paths: list[str], cache: ResultCache) -> Iterator[tuple[Outcome | None, bytes | None]]:
    """`lookup` for several files, their stat keys answered by one query (a warm run's whole cost
    per file is then one `os.stat`, a share of that query and the decoding).  Each entry is
    decoded, and each stat miss read, only when its turn comes: a block holds bytes, not results."""
    skeys = [cache.stat_key(p) for p in paths]
    entries = cache.get_many([k for k in skeys if k is not None])
    for path, skey in zip(paths, skeys):
        entry = entries.pop(skey, None) if skey is not None else None  # a repeated path: by content
        hit = _hit(path, entry[1], (cache, entry[0])) if entry is not None else None
        yield (hit if hit is not None else _content_lookup(path, cache, skey)), skey


def _blocks(files: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(files), size):
        yield files[i:i + size]


def check_data(path: str, data: bytes, spec: WorkerSpec) -> tuple[FileResult, Facts | None]:
    """Check a file's bytes and extract its cross-year facts (no cache); the Report stays on the result."""
    check_bytes, _ = _check_functions()
    result = check_bytes(path, data, spec.check)
    facts = None
    if spec.facts and result.report is not None and pairable(result.report):  # no facts that could not pair
        try:
            facts = extract_facts(result.report)
        except Exception as exc:  # noqa: BLE001 - no library is called there: a bug in gov-lint (P902)
            from .check import internal_finding

            result.findings.append(internal_finding(path, "facts", exc, spec.check))
    return result, facts


def check_fresh(path: str, spec: WorkerSpec) -> tuple[FileResult, Facts | None, bytes | None]:
    """Read and check one file: (result, facts, content key when the result may be cached).  Never raises."""
    _, check_path = _check_functions()
    try:
        data = read_file_bytes(path, getattr(spec.check, "limits", DEFAULT_LIMITS).max_bytes)
    except (OSError, ReadError):
        # the pipeline knows how to turn an unreadable or too large path into a P finding
        result = check_path(path, spec.check)
        result.report = None
        return result, None, None
    result, facts = check_data(path, data, spec)
    ckey = content_key(spec.cache_salt, data) if spec.cache_dir and result.status != "error" else None
    return result, facts, ckey


def check_one(path: str, spec: WorkerSpec, cache: ResultCache | None, use_cached: bool = True,
              skey: bytes | None = None) -> Outcome:
    """Check one file in this process, through the cache when there is one.  Never raises.

    `use_cached=False` skips the lookup (the caller already missed, and may pass the stat
    key it took) but still stores.
    """
    if cache is not None and use_cached:
        hit, skey = lookup(path, cache)  # the stat key is taken before reading: a later edit misses
        if hit is not None:
            return hit
    elif cache is not None and skey is None:
        skey = cache.stat_key(path)
    result, facts, ckey = check_fresh(path, spec)
    if cache is not None and ckey is not None:
        cache.put(ckey, encode(result, facts.to_data() if facts else None), skey)
    if not spec.keep_report:
        result.report = None
    return Outcome(result, facts, False)


# --------------------------------------------------------------------------- worker processes


_WORKER_SPEC: WorkerSpec | None = None


def _init_worker(spec: WorkerSpec) -> None:
    global _WORKER_SPEC
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle (exit 130)
    _quiet_collector()  # for the worker's whole life
    keep_handlers()  # the watchdog's signal handlers, installed once rather than around every file
    # a parsed Report never travels back from a worker (too big to pickle per file)
    _WORKER_SPEC = replace(spec, keep_report=False)
    _check_functions()


def _work_chunk(paths: list[str]) -> list[tuple[bytes, bytes | None]]:
    """In a worker: each file's result as cache bytes (small to send, decoded in input order by
    the main process, which also stores them) and its content key (None: not to be cached)."""
    assert _WORKER_SPEC is not None
    out = []
    for p in paths:
        result, facts, ckey = check_fresh(p, _WORKER_SPEC)
        out.append((sent(result, facts, _WORKER_SPEC), ckey))
    return out


class _Chunk:
    """Files sent to a worker together; `future` is None until submitted."""

    __slots__ = ("paths", "skeys", "future", "outs")

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.skeys: list[bytes | None] = []
        self.future: Future | None = None
        self.outs: list[Outcome | None] | None = None


Task = Callable[[list[str]], list[tuple[bytes, bytes | None]]]  # what a worker runs on a chunk (`_work_chunk`)


def iter_outcomes(files: list[str], spec: WorkerSpec, jobs: int, on_done: Callable[[Outcome], None] | None = None,
                  task: Task = _work_chunk) -> Iterator[Outcome]:
    """Outcomes of `files`, in input order, checked by `jobs` processes (`task`: tests inject faults)."""
    cache = ResultCache(spec.cache_dir, spec.cache_salt, spec.tables) if spec.cache_dir else None
    try:
        if jobs <= 1 or len(files) <= 1:
            for block in _blocks(files, LOOKUP_BLOCK if cache is not None else len(files) or 1):
                found = lookup_many(block, cache) if cache is not None else ((None, None) for _ in block)
                for p, (hit, skey) in zip(block, found):
                    if cache is None:
                        out = check_one(p, spec, None)
                    else:
                        out = hit if hit is not None else check_one(p, spec, cache, use_cached=False, skey=skey)
                    if on_done:
                        on_done(out)
                    yield out
            return
        yield from _iter_parallel(files, spec, jobs, on_done, cache, task)
    finally:
        if cache is not None:
            cache.close()


def _pool(spec: WorkerSpec, jobs: int) -> ProcessPoolExecutor:
    """A pool of `jobs` workers, started the quickest safe way.

    * the fork server the console script started as the command began (`pool_server`): it
      imported and warmed the pipeline on an idle core while this process set itself up;
    * `fork` while this process has one thread (the command line, unless a progress bar
      draws): the pipeline is warmed here once (`_warm`) and the workers are copies of this
      process, ready at once.  (Python flushes the standard streams before it forks.)
    * otherwise a fork server that imports and warms the pipeline once, then forks the
      workers (forking a process with threads can deadlock);
    * `spawn` on macOS, where neither is safe.
    """
    import multiprocessing as mp
    import threading

    from . import pool_server

    methods = mp.get_all_start_methods()
    if sys.platform == "darwin":
        method = "spawn"
    elif pool_server.running():
        method = "forkserver"
    elif "fork" in methods and threading.active_count() == 1:
        method = "fork"
        import gov_lint._warm  # noqa: F401 - builds the parser and the rule caches the workers inherit
    else:
        method = "forkserver" if "forkserver" in methods else "spawn"
    ctx = mp.get_context(method)
    if method == "forkserver":
        # workers fork from a server that has already imported the pipeline (lark, rules, packs)
        ctx.set_forkserver_preload(["gov_lint.runner", "gov_lint._warm"])
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker, initargs=(spec,))


def chunk_size(n_left: int, jobs: int) -> int:
    """Files for the next task when about `n_left` files are still to be checked (guided scheduling):
    large tasks while many are left, so the command spends little on IPC per file; smaller ones
    towards the end, so the workers finish together."""
    return max(1, min(n_left, max(CHUNK_MIN, min(CHUNK_MAX, -(-n_left // (jobs * GUIDE))))))


def _crashed(path: str, spec: WorkerSpec) -> tuple[bytes, None]:
    """The result of a file whose worker died twice: P902, not cached."""
    from .check import worker_crashed

    return encode(worker_crashed(path, spec.check), None), None


def _iter_parallel(files: list[str], spec: WorkerSpec, jobs: int, on_done: Callable[[Outcome], None] | None,
                   cache: ResultCache | None, task: Task = _work_chunk) -> Iterator[Outcome]:
    """Cache hits are answered here, misses go to the pool in chunks; output in input order.

    `slots` holds, in input order, ready outcomes (hits) and places in chunks.  At
    most `window` chunks are in flight and at most `max_buffer` slots wait, so
    memory stays bounded however long the list is.  The pool is started only when
    there is a miss: a fully cached archive never pays for worker start-up.
    Workers send each result back as cache bytes; they are decoded here one chunk
    at a time, and stored in the cache by this process alone.

    A worker that dies (killed for memory, a crash in a library) breaks the pool:
    every chunk it had not finished fails.  A new pool takes the next chunks, and the
    files of each failed chunk are checked again one at a time in a pool of one
    worker (`lone`), so a second death names its file exactly: that file gets a P902
    and the run goes on.  No file is dropped.
    """
    size = chunk_size(len(files), jobs)  # the largest a task can be
    seen = missed = 0  # files looked up so far, and how many of them missed the cache
    window = jobs * WINDOW_PER_JOB
    max_buffer = window * size + BUFFER_EXTRA
    pool: ProcessPoolExecutor | None = None
    lone: ProcessPoolExecutor | None = None  # one worker, one file at a time: files retried after a crash
    slots: deque[Outcome | tuple[_Chunk, int]] = deque()
    inflight: deque[_Chunk] = deque()
    current = _Chunk()

    def submit() -> None:
        nonlocal pool, current
        if not current.paths:
            return
        if pool is None:
            pool = _pool(spec, jobs)
        try:
            current.future = pool.submit(task, current.paths)
        except BrokenProcessPool:  # a worker died: its chunks fail and are retried in `collect`
            pool.shutdown(wait=False)
            pool = _pool(spec, jobs)
            current.future = pool.submit(task, current.paths)
        inflight.append(current)
        current = _Chunk()

    def retry(path: str) -> tuple[bytes, bytes | None]:
        """Check a file of a failed chunk again, alone; a second death is that file's own."""
        nonlocal lone
        if lone is None:
            lone = _pool(spec, 1)
        try:
            return lone.submit(task, [path]).result()[0]
        except BrokenProcessPool:
            lone.shutdown(wait=False)
            lone = None
            return _crashed(path, spec)

    def collect(chunk: _Chunk) -> list[Outcome | None]:
        assert chunk.future is not None
        outs: list[Outcome | None] = []
        try:
            sent = chunk.future.result()
        except BrokenProcessPool:
            sent = [retry(p) for p in chunk.paths]
        for path, skey, (blob, ckey) in zip(chunk.paths, chunk.skeys, sent):
            if cache is not None and ckey is not None:
                cache.put(ckey, blob, skey)
            outs.append(_decoded(blob, path, False))
        chunk.future = None
        return outs

    def ready(final: bool) -> Iterator[Outcome]:
        while slots:
            head = slots[0]
            if isinstance(head, Outcome):
                out = head
            else:
                chunk, i = head
                must_wait = final or len(inflight) >= window or len(slots) >= max_buffer
                if chunk.future is None and chunk.outs is None:
                    if not must_wait:
                        return
                    submit()
                if chunk.outs is None:
                    assert chunk.future is not None
                    if not chunk.future.done() and not must_wait:
                        return
                    chunk.outs = collect(chunk)
                out = chunk.outs[i]
                assert out is not None
                chunk.outs[i] = None  # let it go once yielded
                if i == len(chunk.paths) - 1:
                    inflight.popleft()
            slots.popleft()
            if on_done:
                on_done(out)
            yield out

    try:
        for block in _blocks(files, LOOKUP_BLOCK):
            found = lookup_many(block, cache) if cache is not None else ((None, None) for _ in block)
            for p, (hit, skey) in zip(block, found):
                seen += 1
                if hit is not None:
                    slots.append(hit)
                else:
                    missed += 1
                    if not current.paths:  # the files still to check: those left, at the share that missed so far
                        size = chunk_size(-(-(len(files) - seen + 1) * missed // seen), jobs)
                    slots.append((current, len(current.paths)))
                    current.paths.append(p)
                    current.skeys.append(skey)
                    if len(current.paths) >= size:
                        submit()
                yield from ready(final=False)
        submit()
        yield from ready(final=True)
    finally:
        for p in (pool, lone):
            if p is not None:
                p.shutdown(wait=True, cancel_futures=True)
        from . import pool_server

        pool_server.stop()  # its workers are done: the command's CPU time now counts theirs


# --------------------------------------------------------------------------- the whole run


@dataclass
class RunStats:
    files: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    jobs: int = 1


@dataclass
class Run:
    """One run over a list of files: yields FileResults to render, in order.

    `post(result)` is applied to every result (including the cross-year blocks)
    before it is yielded; the CLI passes config overrides + baseline there.
    """

    files: list[str]
    spec: WorkerSpec
    jobs: int = 1
    crossyear: bool = True
    selected: Iterable[str] | None = None
    lang: str = "zh"
    agency_map: Any = None
    post: Callable[[FileResult], FileResult] | None = None
    progress: bool = False
    stats: RunStats = field(default_factory=RunStats)
    # another executor (dask_executor.DaskExecutor): called as executor(files, spec, on_done)
    executor: Callable[..., Iterator[Outcome]] | None = None

    def __post_init__(self) -> None:
        # a path named twice (a file and its folder, or a repeated argument) is checked and listed once
        self.files = list(dict.fromkeys(self.files))

    def __iter__(self) -> Iterator[FileResult]:
        self.stats.jobs = self.jobs
        cross = CrossYear(self.selected, self.lang, self.agency_map) if self.crossyear else None
        if cross is not None and not cross.active:
            cross = None  # no Y rule selected: no facts to extract or keep
        spec = self.spec if cross is not None else replace(self.spec, facts=False)
        bar = _Progress(len(self.files), self.lang) if self.progress else None
        try:
            on_done = bar.advance if bar else None
            source = (self.executor(self.files, spec, on_done) if self.executor is not None
                      else iter_outcomes(self.files, spec, self.jobs, on_done))
            for i, out in enumerate(source):
                self.stats.files += 1
                if out.cached:
                    self.stats.cache_hits += 1
                elif self.spec.cache_dir:
                    self.stats.cache_misses += 1
                result = out.result
                if cross is not None and out.facts is not None:
                    out.facts.index = i
                    out.facts.path = result.path
                    found = cross.add(out.facts)
                    result.tables = cross.drawn(result.path, result.tables)  # a tie Y106 broke: the reading taken
                    result.findings = cross.join(result.path, result.findings, found)
                yield self.post(result) if self.post else result
        finally:
            if bar:
                bar.close()
            if cross is not None:
                cross.close()


class _Progress:
    """A rich progress bar on stderr (only made when stderr is a terminal)."""

    def __init__(self, total: int, lang: str = "zh") -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._p = Progress(TextColumn("checking" if lang == "en" else "检查中"), BarColumn(), MofNCompleteColumn(),
                           TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        self._task = self._p.add_task("check", total=total)
        self._p.start()

    def advance(self, _out: Outcome) -> None:
        self._p.advance(self._task)

    def close(self) -> None:
        self._p.stop()


def want_progress(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()
