"""`--executor dask`: the same checks on a Dask cluster (extra `gov-lint[dask]`).

    files ──► [client: stat/content cache lookup, read bytes] ──► chunks of (path, bytes)
          ──► [Dask workers: check_bytes → result + cross-year facts]
          ──► [client: cache write, results in input order] ──► post ──► render

* A `distributed.LocalCluster` (one single-threaded worker process per core, or
  `workers`) is started by default; `scheduler="tcp://host:8786"` connects to an
  existing cluster instead.
* The client reads every file and sends its bytes, so workers need no access to
  the files or to the cache folder: the cache lives with the client, exactly as
  in a local run.  Results come back in input order and are byte-for-byte those of
  a local run (the same `check_bytes`, the same cache keys, the same post step).
* At most `window` chunks are in flight; memory stays flat however many files.
* A lost worker's tasks are re-run by the scheduler (Dask's own bookkeeping); a
  task that fails is retried (`retries`); a chunk that still fails (every retry
  spent, or the cluster gone) is checked in the client process.  No file is ever
  dropped.
"""

from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterator

from .cache import ResultCache
from .runner import (DEFAULT_LIMITS, Outcome, ReadError, WorkerSpec, _decoded, _hit, check_data, check_one,
                     read_file_bytes, sent)

CHUNK = 16  # files per task
WINDOW_PER_WORKER = 4  # tasks in flight per worker
RETRIES = 3
MAX_BUFFER = 1024  # outcomes (cache hits) that may wait behind an unfinished chunk
LOG_LENGTH = 32  # the LocalCluster scheduler's event and transition logs (each event holds a task's files)


class DaskUnavailable(RuntimeError):
    """The `dask` extra is not installed."""


def available() -> bool:
    """True when `distributed` can be imported (the `dask` extra)."""
    import importlib.util

    return importlib.util.find_spec("distributed") is not None


def _check_chunk(items: list[tuple[str, bytes]], spec: WorkerSpec) -> list[bytes]:
    """On a worker: check each (path, bytes); each result goes back as the bytes the cache stores
    (`cache.encode`: compact, no parsed Report), decoded by the client in input order."""
    out = []
    for path, data in items:
        result, facts = check_data(path, data, spec)
        out.append(sent(result, facts, spec))
    return out


def short_logs() -> Any:
    """Dask configuration (a context manager) for a client and a scheduler that keep short logs.

    By default Dask keeps its last 1,000 messages and events in several places (the client's
    outgoing batch log, the scheduler's event broker), and each of ours holds a task: 16 files'
    bytes.  That is ~100 MB or more that grows with the first thousands of tasks; `LOG_LENGTH`
    keeps the client's memory flat.  Settings are read when the client and the scheduler are made."""
    import dask

    return dask.config.set({"distributed.admin.low-level-log-length": LOG_LENGTH})


def local_cluster(workers: int, silence_logs: int = 40) -> Any:
    """A `LocalCluster` of `workers` single-threaded processes; its scheduler (in this process) keeps
    short logs."""
    from distributed import LocalCluster

    with short_logs():
        return LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                            dashboard_address=":0", silence_logs=silence_logs)


def local_client(workers: int, silence_logs: int = 40) -> tuple[Any, Any]:
    """(client, cluster): a `local_cluster` and a client of it, both keeping short logs."""
    from distributed import Client

    cluster = local_cluster(workers, silence_logs)
    with short_logs():
        return Client(cluster), cluster


@dataclass
class DaskExecutor:
    """Runs a `Run`'s files on Dask; call it like `runner.iter_outcomes` without `jobs`."""

    scheduler: str | None = None  # address of an existing scheduler; None: a LocalCluster
    workers: int | None = None  # LocalCluster size (default: every core)
    chunk: int = CHUNK
    retries: int = RETRIES
    client: Any = None  # an open distributed.Client to use (left open); None: make one per run
    task: Callable[[list[tuple[str, bytes]], WorkerSpec], list[bytes]] | None = None  # default _check_chunk
    stats: dict[str, int] = field(default_factory=lambda: {"tasks": 0, "local_fallback": 0})

    def _client(self) -> tuple[Any, Any]:
        if self.client is not None:
            return self.client, None
        try:
            from distributed import Client
        except ImportError:
            raise DaskUnavailable('pip install "gov-lint[dask]"') from None
        if self.scheduler:
            with short_logs():
                return Client(self.scheduler), None
        n = self.workers or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
        return local_client(n)

    def __call__(self, files: list[str], spec: WorkerSpec,
                 on_done: Callable[[Outcome], None] | None = None) -> Iterator[Outcome]:
        cache = ResultCache(spec.cache_dir, spec.cache_salt, spec.tables) if spec.cache_dir else None
        # the client stores what the workers send: they send the tables when the cache is on
        remote_spec = replace(spec, keep_report=False, cache_dir=None, tables=spec.sends_tables)
        client = cluster = None
        try:
            slots: deque[Any] = deque()  # Outcome (ready) or [chunk] shared by the chunk's files
            pending: list[tuple[str, bytes, str | None, str]] = []  # (path, data, stat key, content key)
            inflight = 0

            def submit() -> None:
                nonlocal client, cluster, inflight
                if not pending:
                    return
                if client is None:
                    client, cluster = self._client()
                    window[0] = WINDOW_PER_WORKER * max(1, len(client.scheduler_info().get("workers", {})) or 1)
                items = [(p, d) for p, d, _, _ in pending]
                future = client.submit(self.task or _check_chunk, items, remote_spec, pure=False, retries=self.retries)
                self.stats["tasks"] += 1
                box = {"future": future, "meta": list(pending), "outs": None}
                for i in range(len(pending)):
                    slots.append((box, i))
                pending.clear()
                inflight += 1

            window = [WINDOW_PER_WORKER]

            def drain(final: bool) -> Iterator[Outcome]:
                nonlocal inflight
                while slots:
                    head = slots[0]
                    if isinstance(head, Outcome):
                        out = head
                    else:
                        box, i = head
                        if box["outs"] is None:
                            waiting = inflight >= window[0] or len(slots) >= MAX_BUFFER
                            if not final and not waiting and not box["future"].done():
                                return
                            box["outs"] = self._collect(box, spec, cache)
                            inflight -= 1
                        out = box["outs"][i]
                        box["outs"][i] = None  # let it go once yielded
                    slots.popleft()
                    if on_done:
                        on_done(out)
                    yield out

            for path in files:
                hit, item = self._local(path, spec, cache)
                if hit is not None:
                    if pending:  # keep input order: earlier misses go out first
                        submit()
                    slots.append(hit)
                else:
                    pending.append(item)
                    if len(pending) >= self.chunk:
                        submit()
                yield from drain(final=False)
            submit()
            yield from drain(final=True)
        finally:
            if cache is not None:
                cache.close()
            if client is not None and client is not self.client:
                client.close()
            if cluster is not None:
                cluster.close()

    def _local(self, path: str, spec: WorkerSpec, cache: ResultCache | None):
        """(ready outcome, None) for a cache hit or an unreadable file; else (None, (path, bytes, keys))."""
        skey = cache.stat_key(path) if cache is not None else None
        if cache is not None and skey is not None:
            hit = _hit(path, cache.get(skey))
            if hit is not None:
                return hit, None
        try:
            data = read_file_bytes(path, getattr(spec.check, "limits", DEFAULT_LIMITS).max_bytes)
        except (OSError, ReadError):  # the local pipeline words the reason (unreadable, too large)
            return check_one(path, replace(spec, keep_report=False), None), None
        key = cache.key(data) if cache is not None else b""
        if cache is not None:
            hit = _hit(path, cache.get(key))
            if hit is not None:
                if skey is not None:
                    cache.link(skey, key)
                return hit, None
        return None, (path, data, skey, key)

    def _collect(self, box: dict, spec: WorkerSpec, cache: ResultCache | None) -> list[Outcome]:
        """A chunk's outcomes: from the cluster, or checked here when the cluster could not."""
        try:
            blobs = box["future"].result()
        except Exception:  # noqa: BLE001 - retries spent or cluster lost: never drop a file
            self.stats["local_fallback"] += 1
            blobs = _check_chunk([(p, d) for p, d, _, _ in box["meta"]], replace(spec, keep_report=False))
        box["future"] = None
        outs = []
        for blob, (path, _d, skey, key) in zip(blobs, box["meta"]):
            out = _decoded(blob, path, False)
            if cache is not None and out.result.status != "error":
                cache.put(key, blob, skey)
            outs.append(out)
        box["meta"] = None
        return outs
