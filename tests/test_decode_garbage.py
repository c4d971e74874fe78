"""The decoder's memoised searches leave no reference cycles behind.

A recursive closure (a nested function that calls itself) is a cycle: the function
holds the cell that holds the function.  Its memo, with every partial reading in it,
then waits for the cyclic garbage collector instead of being freed when the search
returns; on run-together web text that was about 1,600 objects a report and a tenth of
the check's time in the collector.  This checks a run-together report with the
collector off and asks what it would have had to collect.
"""

from __future__ import annotations

import gc
from pathlib import Path

from gov_lint.check import CheckOptions, check_bytes

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _garbage_after(name: str) -> list:
    data = (EXAMPLES / name).read_bytes()
    check_bytes(name, data, CheckOptions(plugins=False))  # caches filled, as in a long run
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        check_bytes(name, data + b"\n", CheckOptions(plugins=False))  # a new text: no per-text cache hit
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()


def _from_decode(obj: object) -> bool:
    if type(obj).__module__ == "gov_lint.parse.decode":
        return True
    code = getattr(obj, "__code__", None)
    return code is not None and code.co_filename.endswith("decode.py")


def test_decoding_run_together_text_leaves_no_cycles():
    for name in ("2021/clean-web.txt", "2019/errors-web.txt"):
        left = [obj for obj in _garbage_after(name) if _from_decode(obj)]
        assert left == [], (name, left[:5])


def test_the_collector_is_paused_only_while_decoding():
    """decode_tables pauses the cyclic collector while it runs (nothing there for it to find),
    then leaves it as it was: on when it was on, off when the caller had turned it off."""
    import gov_lint.parse as parse_mod

    seen: list[bool] = []
    real = parse_mod.decode_tables

    def spy(tables, runs):
        from gov_lint.parse import decode

        inner = decode._decode_tables

        def watch(*args):
            seen.append(gc.isenabled())
            return inner(*args)

        decode._decode_tables = watch
        try:
            return real(tables, runs)
        finally:
            decode._decode_tables = inner

    data = (EXAMPLES / "2021" / "clean-web.txt").read_bytes()
    was_enabled = gc.isenabled()
    parse_mod.decode_tables = spy
    try:
        gc.enable()
        check_bytes("a.txt", data, CheckOptions(plugins=False))
        assert gc.isenabled()
        gc.disable()
        check_bytes("b.txt", data + b"\n", CheckOptions(plugins=False))
        assert not gc.isenabled()
    finally:
        parse_mod.decode_tables = real
        if was_enabled:
            gc.enable()
    assert seen == [False, False]  # paused inside, both times
