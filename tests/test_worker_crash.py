"""`--jobs N`: a worker process that dies never ends the run and never drops a file.

The worker task is swapped for one that kills its own process (`os._exit`, as the
kernel's out-of-memory killer or a crashing library would): once (the files are
retried and come out exactly as in a serial run), or every time a given file is
checked (that file, and only that one, gets a P902; the rest are checked).  The
tasks are module-level functions, so the worker processes can import them.
"""

from __future__ import annotations

import io
import json
import os
import random
from functools import partial
from pathlib import Path

import pytest

from gov_lint.check import CheckOptions
from gov_lint.output import FORMATS, RenderOptions, Summary
from gov_lint import runner
from gov_lint.runner import WorkerSpec, _work_chunk, iter_outcomes
from gov_lint.synth import generate, write_tab_text

CULPRIT = "r03.txt"


def die_once(marker: str, paths: list[str]) -> list[tuple[bytes, bytes | None]]:
    """The first task anywhere kills its worker; later tasks work."""
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return _work_chunk(paths)
    os.close(fd)
    os._exit(1)


def die_on_culprit(paths: list[str]) -> list[tuple[bytes, bytes | None]]:
    """Any task holding CULPRIT kills its worker, every time."""
    if any(Path(p).name == CULPRIT for p in paths):
        os._exit(1)
    return _work_chunk(paths)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[str]:
    d = tmp_path_factory.mktemp("crash")
    out = []
    for i in range(12):
        r = generate("2021" if i % 2 else "2019", random.Random(300 + i))
        if i % 4 == 0:
            r.set("三", "三.七", "自然人", r.get("三", "三.七", "自然人") + 1)
        p = d / f"r{i:02d}.txt"
        p.write_text(write_tab_text(r), encoding="utf-8")
        out.append(str(p))
    return out


def _json(outcomes) -> list[dict]:
    return [out.result.to_json() for out in outcomes]


def _spec() -> WorkerSpec:
    return WorkerSpec(check=CheckOptions(), facts=False)


@pytest.fixture(autouse=True)
def _chunks_of_four(monkeypatch):
    """Several files per task, so a death takes innocent files with it (they must come back)."""
    monkeypatch.setattr(runner, "chunk_size", lambda n, jobs: 4)


def test_a_worker_that_dies_once_loses_nothing(files, tmp_path):
    serial = _json(iter_outcomes(files, _spec(), 1))
    marker = tmp_path / "died"
    parallel = _json(iter_outcomes(files, _spec(), 2, task=partial(die_once, str(marker))))
    assert marker.exists()  # a worker did die
    assert parallel == serial


def test_a_file_that_kills_its_worker_twice_is_p902_and_the_rest_are_checked(files):
    serial = _json(iter_outcomes(files, _spec(), 1))
    parallel = _json(iter_outcomes(files, _spec(), 2, task=die_on_culprit))
    assert [r["path"] for r in parallel] == files  # every file, in input order
    culprit = files.index(next(p for p in files if Path(p).name == CULPRIT))
    bad = parallel[culprit]
    assert bad["status"] == "error"
    assert [(f["code"], f["message_data"]["id"]) for f in bad["findings"]] == [("P902", "P902-worker")]
    assert "单独重试一次又中止了" in bad["findings"][0]["message"]
    assert parallel[:culprit] + parallel[culprit + 1:] == serial[:culprit] + serial[culprit + 1:]


def test_the_crash_finding_renders_in_both_languages(files):
    outs = list(iter_outcomes(files, _spec(), 2, task=die_on_culprit))
    for lang in ("zh", "en"):
        buf = io.StringIO()
        r = FORMATS["json"](buf, RenderOptions(lang=lang))
        summary = Summary()
        for out in outs:
            r.file(out.result)
            summary.add(out.result)
        r.finish(summary)
        doc = json.loads(buf.getvalue())
        assert doc["summary"]["errors"] >= 1 and len(doc["files"]) == len(files)
        text = next(f["message"] for e in doc["files"] for f in e["findings"] if f["code"] == "P902")
        assert ("retried alone" in text) == (lang == "en")
