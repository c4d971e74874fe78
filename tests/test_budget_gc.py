"""The CPU-time watchdog is never swallowed by the garbage collector.

A signal handler's exception raised while a gc callback or a finaliser runs is
"ignored" by Python (an unraisable-exception warning) and the check would run on
past its limit.  The watchdog holds its fire while the collector runs and fires
again until the exception lands in the check itself.
"""

from __future__ import annotations

import gc
import sys
import time

from gov_lint.budget import Limits, run_bounded


def test_time_limit_is_not_lost_in_a_gc_callback(monkeypatch):
    swallowed: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: swallowed.append(u.exc_type.__name__))

    def busy_callback(phase, info):  # a gc callback that takes a large share of the CPU time
        if phase == "start":
            x = 0
            for i in range(5000):
                x += i

    def garbage_maker():
        junk = []
        for n in range(2_000_000):  # many seconds of work: far past the limit below
            junk.append([[] for _ in range(100)])  # containers: the collector runs all the time
            if len(junk) > 500:
                junk.clear()
            if n % 1000 == 0 and time.process_time() - start > 20:
                break  # a safety net for this test only
        return "ran to the end"

    start = time.process_time()
    gc.callbacks.append(busy_callback)
    try:
        outcome = run_bounded(Limits(max_seconds=0.2), garbage_maker, lambda b: f"stopped: {b.kind}")
    finally:
        gc.callbacks.remove(busy_callback)
    assert outcome == "stopped: time"
    assert swallowed == []


def test_kept_handlers_still_stop_a_runaway_check_and_are_put_back():
    """A pool worker installs the watchdog's handlers once (`kept_handlers`): each file still gets
    its own timer, a file past its limit is still stopped, the next file is not, and the handlers
    in place before are back after the block."""
    import signal

    from gov_lint.budget import kept_handlers

    def spin():
        start = time.process_time()
        while time.process_time() - start < 10:  # far past the limit below (a safety net for this test)
            pass
        return "ran to the end"

    before = {sig: signal.getsignal(sig) for sig in (signal.SIGPROF, signal.SIGALRM)}
    with kept_handlers():
        installed = signal.getsignal(signal.SIGPROF)
        first = run_bounded(Limits(max_seconds=0.2), spin, lambda b: f"stopped: {b.kind}")
        second = run_bounded(Limits(max_seconds=5), lambda: "done", lambda b: f"stopped: {b.kind}")
        third = run_bounded(Limits(max_seconds=0.2), spin, lambda b: f"stopped: {b.kind}")
        assert signal.getsignal(signal.SIGPROF) is installed  # not put back around each file
    assert (first, second, third) == ("stopped: time", "done", "stopped: time")
    assert installed not in before.values()
    assert {sig: signal.getsignal(sig) for sig in before} == before
