"""Bounded work per file: a size limit, a step budget and a wall-clock watchdog.

Every file is checked inside `run_bounded(limits, …)`.  Three limits apply:

* **size** (`max_bytes`): a file larger than this is not read at all (the readers
  look at its size first) and becomes a P005 finding;
* **steps** (`max_steps`): a deterministic count of work.  Stage boundaries
  charge the length of the text they hand on, and long loops charge one step per
  element they visit (`spend(n)`).  Going over raises `WorkLimitExceeded` at the
  point of the charge, so the same input always stops at the same place,
  whatever the machine;
* **time** (`max_seconds`, seconds of CPU time, so a loaded machine does not
  stop a normal report): a watchdog for everything that does not count steps
  (third-party parsers, code that forgot to).  In the main thread it is a
  `SIGPROF` timer (`setitimer(ITIMER_PROF)`), which also interrupts
  regular-expression matching, with a wall-clock `SIGALRM` backstop (4 × the
  limit + 5 s) for a check that waits instead of working; in any other thread
  (the web server's pool) a poller reads the thread's CPU clock and raises the
  same exception in it (`PyThreadState_SetAsyncExc`).  Both deliver between
  Python bytecodes.  An exception raised inside a garbage-collector callback
  or a finaliser would be swallowed ("exception ignored") and the check would
  run on, so the watchdog never raises while the collector runs (two
  `gc.callbacks` mark it) and keeps firing every `RETRY` seconds until the
  exception lands in the check itself; `spend()` raises too once time is up.

While a file is checked, no network connection can be opened: an audit hook
(`sys.addaudithook`) refuses socket connections and name look-ups made in a
thread whose budget is current (`NetworkRefused`).  Readers never need the
network; this makes sure a parser that follows an external reference (a DTD, an
image, an XInclude) cannot reach out either.  (lxml's own C-level fetching is
off by its defaults, `no_network=True`, and the readers keep it so.)

`WorkLimitExceeded` derives from BaseException, like KeyboardInterrupt, so the
`except Exception` around a library call or a rule cannot swallow it; only
`run_bounded` catches it and turns it into a P006 finding naming the limit.
"""

from __future__ import annotations

import ctypes
import re
import signal
import sys
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Callable, Iterator, TypeVar

T = TypeVar("T")

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_SECONDS = 20.0  # CPU seconds; a hard real report takes about 6 s today
DEFAULT_MAX_STEPS = 50_000_000
DEFAULT_MAX_UNZIPPED = 100 * 1024 * 1024  # all members of a DOCX, decompressed
CLOCK_EVERY = 4096  # steps between two looks at the clock
RETRY = 0.05  # seconds between two deliveries of an expired limit (until one lands in the check)


@dataclass(frozen=True)
class Limits:
    """How much one file may cost (picklable; part of the check options)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_seconds: float = DEFAULT_MAX_SECONDS
    max_steps: int = DEFAULT_MAX_STEPS
    max_unzipped: int = DEFAULT_MAX_UNZIPPED


class WorkLimitExceeded(BaseException):
    """The file used up its budget; raised where the limit was hit."""


class Budget:
    """The work spent on one file so far."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.used = 0
        self.kind: str | None = None  # "steps" or "time" once exceeded
        self.started = time.monotonic()
        self.cpu_started = time.thread_time()
        self._next_clock = CLOCK_EVERY

    def spend(self, n: int = 1) -> None:
        """Charge `n` steps; raises WorkLimitExceeded past the step or time limit."""
        self.used += n
        if self.kind is not None:  # the watchdog found the time up (its exception may have been swallowed)
            raise WorkLimitExceeded()
        if self.used > self.limits.max_steps > 0:
            self.kind = "steps"
            raise WorkLimitExceeded()
        if self.used >= self._next_clock:
            self._next_clock = self.used + CLOCK_EVERY
            self.check_clock()

    def check_clock(self) -> None:
        if self.limits.max_seconds > 0 and time.thread_time() - self.cpu_started > self.limits.max_seconds:
            self.kind = "time"
            raise WorkLimitExceeded()

    def elapsed(self) -> float:
        return time.monotonic() - self.started


_CURRENT: ContextVar[Budget | None] = ContextVar("gov_lint_budget", default=None)
_LAST = threading.local()


class NetworkRefused(RuntimeError):
    """A network connection attempted while a file was being checked."""


_NET_EVENTS = frozenset({
    "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
    "socket.sendto", "socket.sendmsg", "urllib.Request", "ftplib.connect", "smtplib.connect",
})


def _refuse_network(event: str, args: tuple) -> None:
    if event in _NET_EVENTS and _CURRENT.get() is not None:
        raise NetworkRefused(f"no network access while checking a file ({event})")


sys.addaudithook(_refuse_network)


def current() -> Budget | None:
    """The budget of the file being checked in this thread (None outside a check)."""
    return _CURRENT.get()


def spend(n: int = 1) -> None:
    """Charge `n` steps to the current file's budget (nothing outside a check)."""
    b = _CURRENT.get()
    if b is not None:
        b.spend(n)


def current_limits() -> Limits:
    b = _CURRENT.get()
    return b.limits if b is not None else Limits()


def last_budget() -> Budget | None:
    """The budget of the last file checked in this thread (for tests and the hostile-input script)."""
    return getattr(_LAST, "budget", None)


# --------------------------------------------------------------------------- the watchdog

_COLLECTING = [False]  # the garbage collector is running (its callbacks, finalisers): raise nothing there


def _gc_started(phase: str, info: dict) -> None:
    if phase == "start":
        _COLLECTING[0] = True


def _gc_stopped(phase: str, info: dict) -> None:
    if phase == "stop":
        _COLLECTING[0] = False


def _watch_gc() -> None:
    """Put the two markers around every other gc callback (first and last in the list)."""
    import gc

    cbs = gc.callbacks
    if not (cbs and cbs[0] is _gc_started and cbs[-1] is _gc_stopped):
        for fn in (_gc_started, _gc_stopped):
            while fn in cbs:
                cbs.remove(fn)
        cbs.insert(0, _gc_started)
        cbs.append(_gc_stopped)


def _set_async_exc(ident: int, exc: type[BaseException] | None) -> None:
    """Raise `exc` in thread `ident` at its next bytecode (None: cancel a pending one)."""
    fn = ctypes.pythonapi.PyThreadState_SetAsyncExc
    fn.argtypes = (ctypes.c_ulong, ctypes.py_object)
    fn(ident, ctypes.py_object(exc) if exc is not None else ctypes.py_object())


def _wall_backstop(seconds: float) -> float:
    """Wall-clock seconds after which a check that is waiting rather than working is stopped too."""
    return seconds * 4 + 5


def _thread_cpu_clock(ident: int) -> Callable[[], float] | None:
    """A function reading thread `ident`'s CPU time, where the platform has one."""
    try:
        clock = time.pthread_getcpuclockid(ident)
        time.clock_gettime(clock)
    except (AttributeError, OSError):
        return None
    return lambda: time.clock_gettime(clock)


class _Watchdog:
    """Raises WorkLimitExceeded in the checking thread when its CPU time runs out.

    Main thread: SIGPROF from `setitimer(ITIMER_PROF)` (the process's CPU time) and,
    as a backstop for a check that waits instead of working, SIGALRM on the wall
    clock.  Other threads: a poller reads the thread's own CPU clock and raises the
    exception in it with PyThreadState_SetAsyncExc (wall clock where there is no
    per-thread CPU clock).
    """

    POLL = 0.05  # seconds between two looks at another thread's CPU clock

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.seconds = budget.limits.max_seconds
        self.main = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
        self._lock = threading.Lock()
        self._stop: threading.Event | None = None  # made for the poller only (an Event costs more than the rest)
        self._active = False
        self._poller: threading.Thread | None = None
        self._old: dict[int, Any] = {}
        self._outer: _Watchdog | None = None  # the kept handlers' watchdog before this one (`kept_handlers`)
        self._kept = False
        self._ident = threading.get_ident()

    def _on_signal(self, signum, frame) -> None:  # noqa: ANN001 - signal handler signature
        if not self._active:
            return
        self.budget.kind = "time"
        if _COLLECTING[0]:
            return  # it would be swallowed by the collector; the interval timer fires again
        raise WorkLimitExceeded()

    def _poll(self) -> None:
        cpu = _thread_cpu_clock(self._ident)
        cpu_start = cpu() if cpu else 0.0
        wall_end = time.monotonic() + (_wall_backstop(self.seconds) if cpu else self.seconds)
        stop = self._stop
        assert stop is not None  # made in start() before this thread
        while not stop.wait(self.POLL):
            if (cpu and cpu() - cpu_start > self.seconds) or time.monotonic() > wall_end:
                break
        else:
            return
        # time is up: deliver, and again every RETRY while the check still runs (a delivery that
        # landed in a finaliser was swallowed), never while the collector runs
        while True:
            with self._lock:
                if not self._active:
                    return
                self.budget.kind = "time"
                if not _COLLECTING[0]:
                    _set_async_exc(self._ident, WorkLimitExceeded)
            if stop.wait(RETRY if _COLLECTING[0] else max(RETRY, 4 * self.POLL)):
                return

    def start(self) -> None:
        if self.seconds <= 0:
            return
        _watch_gc()
        self._active = True
        if self.main:
            self._kept = _KEPT[0]
            if self._kept:  # the handlers stay installed between files: they ask which watchdog is on
                self._outer, _MAIN_DOG[0] = _MAIN_DOG[0], self
            else:
                for sig in (signal.SIGPROF, signal.SIGALRM):
                    self._old[sig] = signal.signal(sig, self._on_signal)
            signal.setitimer(signal.ITIMER_PROF, self.seconds, RETRY)
            signal.setitimer(signal.ITIMER_REAL, _wall_backstop(self.seconds), RETRY)
        else:
            self._stop = threading.Event()
            self._poller = threading.Thread(target=self._poll, name="gov-lint-watchdog", daemon=True)
            self._poller.start()

    def stop(self) -> None:
        if self.seconds <= 0:
            return
        if self.main:
            self._active = False
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.setitimer(signal.ITIMER_REAL, 0)
            if self._kept:
                _MAIN_DOG[0], self._outer = self._outer, None
            for sig, old in self._old.items():
                signal.signal(sig, old if old is not None else signal.SIG_DFL)
            return
        with self._lock:
            self._active = False
            if self._stop is not None:
                self._stop.set()
            # an exception set but not yet delivered must not escape into the caller
            _set_async_exc(self._ident, None)


_KEPT = [False]  # the main thread's watchdog handlers stay installed (`kept_handlers`)
_MAIN_DOG: list[_Watchdog | None] = [None]  # the main thread's running watchdog, for the kept handlers


def _kept_handler(signum, frame) -> None:  # noqa: ANN001 - signal handler signature
    dog = _MAIN_DOG[0]
    if dog is not None:
        dog._on_signal(signum, frame)


@contextmanager
def kept_handlers() -> Iterator[None]:
    """`keep_handlers` for a block, then the handlers put back as they were (a pool worker calls
    `keep_handlers` for its whole life; this form is for callers that must restore them, e.g. tests).
    Each file still starts and stops its own timers."""
    old = keep_handlers()
    try:
        yield
    finally:
        if old:
            _KEPT[0] = False
            for sig, handler in old.items():
                signal.signal(sig, handler if handler is not None else signal.SIG_DFL)


def keep_handlers() -> dict[int, Any]:
    """Install the kept handlers (for the rest of this process's life unless the caller puts the
    handlers it returns back: a pool worker only checks files).  {} when they are installed already
    or this is not the main thread."""
    if _KEPT[0] or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return {}
    old = {sig: signal.signal(sig, _kept_handler) for sig in (signal.SIGPROF, signal.SIGALRM)}
    _KEPT[0] = True
    return old


@contextmanager
def bounded(limits: Limits, budget: Budget | None = None) -> Iterator[Budget]:
    """Make a budget current for the block, under the watchdog."""
    budget = budget or Budget(limits)
    token = _CURRENT.set(budget)
    dog = _Watchdog(budget)
    try:
        dog.start()
        yield budget
    finally:
        while True:  # a delivery that arrives while the watchdog is being stopped must not skip the rest
            try:
                dog.stop()
                break
            except WorkLimitExceeded:
                continue
        _CURRENT.reset(token)
        _LAST.budget = budget


def run_bounded(limits: Limits, work: Callable[[], T], exceeded: Callable[[Budget], T]) -> T:
    """`work()` under a fresh budget; `exceeded(budget)` when it runs out."""
    budget = Budget(limits)
    try:
        with bounded(limits, budget):
            return work()
    except WorkLimitExceeded:
        if budget.kind is None:
            budget.kind = "time"
        return exceeded(budget)


# --------------------------------------------------------------------------- sizes


class SizeError(ValueError):
    """A size that cannot be read (`zh`/`en` say why)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh, self.en = zh, en

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?i?b?)?\s*$", re.I)
_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "kib": 1024, "m": 1024**2, "mb": 1024**2, "mib": 1024**2,
          "g": 1024**3, "gb": 1024**3, "gib": 1024**3}


def parse_size(text: str | int) -> int:
    """`10MB`, `512k`, `1048576` → bytes (binary units).  Raises SizeError (a ValueError)."""
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise SizeError(f"{text!r} 不是大小（例如 10MB、512KB、1048576）", f"not a size: {text!r} (examples: 10MB, 512KB, 1048576)")
    if isinstance(text, int):
        n = text
    else:
        m = _SIZE.match(text)
        unit = (m.group(2) or "").lower() if m else ""
        if not m or unit not in _UNITS:
            raise SizeError(f"“{text}”不是大小，应写成 10MB、512KB 或字节数 1048576 这样",
                            f"not a size: {text!r} (examples: 10MB, 512KB, 1048576)")
        n = int(float(m.group(1)) * _UNITS[unit])
    if n <= 0:
        raise SizeError("大小必须大于 0", "size must be positive")
    return n


def human_size(n: int) -> str:
    """1536 → "1.5 KB" (binary units)."""
    for unit, size in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= size:
            v = n / size
            return f"{v:.0f} {unit}" if v == int(v) else f"{v:.1f} {unit}"
    return f"{n} B"
