"""Parallel runs give the same output as serial ones; the result cache hits and misses correctly."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gov_lint.cache import ResultCache, cache_salt
from gov_lint.check import CheckOptions
from gov_lint.cli import app
from gov_lint.runner import Run, WorkerSpec, default_jobs
from gov_lint.synth import generate, generate_series, write_markdown, write_tab_text

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Fifteen files: two bodies over three years (one carry-over break), broken and clean ones."""
    d = tmp_path_factory.mktemp("archive")
    rng = random.Random(42)
    for n, agency in enumerate(("甲县教育局", "乙县财政局")):
        series = generate_series(None, rng, [2020, 2021, 2022], agency=agency)
        if n == 0:
            series[2].set("三", "二", "其他", series[2].get("三", "二", "其他") + 2)
        for r in series:
            (d / f"{agency}-{r.year}.txt").write_text(write_tab_text(r), encoding="utf-8")
    for i in range(8):
        r = generate("2021" if i % 2 else "2019", random.Random(100 + i))
        if i % 3 == 0:
            r.set("三", "三.七", "自然人", r.get("三", "三.七", "自然人") + 1)
        writer = write_markdown if i % 4 == 1 else write_tab_text
        (d / "more" / f"r{i:02d}.{'md' if writer is write_markdown else 'txt'}").parent.mkdir(exist_ok=True)
        (d / "more" / f"r{i:02d}.{'md' if writer is write_markdown else 'txt'}").write_text(writer(r), encoding="utf-8")
    (d / "more" / "empty.txt").write_bytes(b"")
    return d


def run(cwd: Path, *args):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    finally:
        os.chdir(old)


def test_jobs_1_and_2_give_identical_json(archive, tmp_path):
    one = run(tmp_path, "check", archive, "--format", "json", "--jobs", "1", "--no-cache")
    two = run(tmp_path, "check", archive, "--format", "json", "--jobs", "2", "--no-cache")
    assert one.exit_code == two.exit_code == 2  # empty.txt is skipped
    assert one.stdout == two.stdout
    doc = json.loads(one.stdout)
    assert len(doc["files"]) == 15  # one entry per file: the Y101 finding joins 甲县教育局-2022's entry
    assert len({f["path"] for f in doc["files"]}) == 15
    assert [(Path(f_["path"]).name, f["column"]) for f_ in doc["files"] for f in f_["findings"] if f["code"] == "Y101"] == [("甲县教育局-2022.txt", "其他")]


def test_identical_with_cache_cold_and_warm_and_parallel(archive, tmp_path):
    cold = run(tmp_path, "check", archive, "--format", "json", "--jobs", "2", "--cache-dir", tmp_path / "c")
    warm = run(tmp_path, "check", archive, "--format", "json", "--jobs", "1", "--cache-dir", tmp_path / "c")
    fresh = run(tmp_path, "check", archive, "--format", "json", "--jobs", "1", "--no-cache")
    assert cold.stdout == warm.stdout == fresh.stdout
    assert ResultCache(tmp_path / "c", "").entries() == 15  # one per readable file (the empty one too)
    assert (tmp_path / "c" / "CACHEDIR.TAG").is_file()


def test_default_cache_folder_is_in_the_current_folder_and_not_checked(archive, tmp_path):
    res = run(tmp_path, "check", archive / "more", "--format", "json", "--jobs", "1")
    assert (tmp_path / ".gov-lint-cache" / "CACHEDIR.TAG").is_file()
    assert not (archive / "more" / ".gov-lint-cache").exists()
    res2 = run(tmp_path, "check", tmp_path, archive / "more", "--format", "json", "--jobs", "1")
    paths = [f["path"] for f in json.loads(res2.stdout)["files"]]
    assert not any(".gov-lint-cache" in p for p in paths)
    assert res.stdout.count('"path"') == len(paths)


def _run(files, cache_dir, jobs=1):
    opts = CheckOptions()
    spec = WorkerSpec(check=opts, cache_dir=str(cache_dir), cache_salt=cache_salt("test"))
    r = Run(files, spec, jobs=jobs)
    results = [x.to_json() for x in r]
    return results, r.stats


def test_second_run_hits_the_cache_and_a_changed_file_misses(archive, tmp_path):
    files = [str(p) for p in sorted(archive.glob("*.txt"))]
    first, s1 = _run(files, tmp_path / "c")
    assert (s1.cache_hits, s1.cache_misses) == (0, 6)
    second, s2 = _run(files, tmp_path / "c", jobs=2)
    assert (s2.cache_hits, s2.cache_misses) == (6, 0)
    assert first == second  # cross-year findings come from cached facts too
    changed = Path(files[0])
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("一、总体情况", "一、总体情况\n"), encoding="utf-8")
    try:
        third, s3 = _run(files, tmp_path / "c", jobs=2)
        assert (s3.cache_hits, s3.cache_misses) == (5, 1)
        fresh, _ = _run(files, tmp_path / "fresh", jobs=1)
        assert third == fresh
    finally:
        changed.write_text(text, encoding="utf-8")


def test_renamed_copy_hits_with_its_own_path(archive, tmp_path):
    src = sorted(archive.glob("*.txt"))[0]
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(src.read_bytes())
    a, _ = _run([str(src)], tmp_path / "c")
    b, stats = _run([str(copy)], tmp_path / "c")
    assert stats.cache_hits == 1
    assert b[0]["path"] == str(copy)
    assert [f["fingerprint"] for f in a[0]["findings"]] == [f["fingerprint"] for f in b[0]["findings"]]


def test_other_configuration_misses_and_bad_entries_are_misses(archive, tmp_path):
    cache = ResultCache(tmp_path, cache_salt("a"))
    other = ResultCache(tmp_path, cache_salt("b"))
    assert cache.key(b"x") != other.key(b"x") and cache.key(b"x") != cache.key(b"y")
    cache.put(cache.key(b"x"), b"stored", None)
    cache.commit()
    assert cache.get(cache.key(b"x")) == b"stored" and other.get(other.key(b"x")) is None
    # an entry that is not a result (damaged, or an older format) is a miss, and the file is checked
    f = sorted(archive.glob("*.txt"))[0]
    first, _ = _run([str(f)], tmp_path / "d")
    damaged = ResultCache(tmp_path / "d", cache_salt("test"))
    key = damaged.key(f.read_bytes())
    damaged.put(key, b"\x00not marshal", damaged.stat_key(str(f)))
    damaged.close()
    again, stats = _run([str(f)], tmp_path / "d")
    assert (stats.cache_hits, stats.cache_misses) == (0, 1) and again == first


def test_a_damaged_cache_database_is_a_cache_that_misses(archive, tmp_path):
    f = sorted(archive.glob("*.txt"))[0]
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "results.sqlite").write_bytes(b"this is not a database" * 100)
    a, stats = _run([str(f)], tmp_path / "c")
    fresh, _ = _run([str(f)], tmp_path / "none")
    assert (stats.cache_hits, stats.cache_misses) == (0, 1) and a == fresh


def test_default_jobs():
    assert default_jobs(1) == 1 and default_jobs(8) == 1
    assert default_jobs(100) == min(100, len(os.sched_getaffinity(0)))


def test_progress_bar_only_on_a_terminal_and_not_quiet(monkeypatch):
    import sys

    from gov_lint.runner import want_progress

    class Tty:
        def __init__(self, tty):
            self.tty = tty

        def isatty(self):
            return self.tty

    monkeypatch.setattr(sys, "stderr", Tty(True))
    assert want_progress(quiet=False) is True
    assert want_progress(quiet=True) is False
    monkeypatch.setattr(sys, "stderr", Tty(False))
    assert want_progress(quiet=False) is False


def test_mixed_hits_and_misses_keep_input_order(tmp_path, monkeypatch):
    """Every third file cached, the rest checked by two workers in small chunks: same order, same results."""
    import gov_lint.runner as runner

    d = tmp_path / "many"
    d.mkdir()
    for i in range(40):
        r = generate("2021" if i % 2 else "2019", random.Random(1000 + i))
        if i % 5 == 0:
            r.set("四", "行政复议", "结果纠正", r.get("四", "行政复议", "结果纠正") + 1)
        (d / f"{i:03d}.txt").write_text(write_tab_text(r), encoding="utf-8")
    files = [str(p) for p in sorted(d.glob("*.txt"))]
    _run(files[::3], tmp_path / "c")  # warm a third of them
    monkeypatch.setattr(runner, "WINDOW_PER_JOB", 1)  # a tiny window and buffer: the limits are exercised
    monkeypatch.setattr(runner, "BUFFER_EXTRA", 0)
    mixed, stats = _run(files, tmp_path / "c", jobs=2)
    assert (stats.cache_hits, stats.cache_misses) == (14, 26)
    serial, _ = _run(files, tmp_path / "none", jobs=1)
    assert [r["path"] for r in mixed][: len(files)] == files  # then any cross-year blocks
    assert mixed == serial


def test_unchanged_files_are_not_even_read_on_a_warm_run(archive, tmp_path, monkeypatch):
    """The stat key (path, size, mtime) answers a warm run: no file is opened for reading."""
    files = [str(p) for p in sorted(archive.glob("*.txt"))]
    first, _ = _run(files, tmp_path / "c")
    reads: list[str] = []
    real = Path.read_bytes

    def counting(self):
        reads.append(str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    second, stats = _run(files, tmp_path / "c")
    assert (stats.cache_hits, reads) == (len(files), [])
    assert second == first


def test_touched_file_hits_by_content_and_is_remembered_under_its_new_stat(archive, tmp_path):
    src = sorted(archive.glob("*.txt"))[0]
    copy = tmp_path / "r.txt"
    copy.write_bytes(src.read_bytes())
    _run([str(copy)], tmp_path / "c")
    cache = ResultCache(tmp_path / "c", cache_salt("test"))
    old_key = cache.stat_key(str(copy))
    st = copy.stat()
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # touched, same bytes
    new_key = cache.stat_key(str(copy))
    assert new_key != old_key and cache.get(new_key) is None
    _, stats = _run([str(copy)], tmp_path / "c")
    assert stats.cache_hits == 1 and cache.get(new_key) is not None


def test_same_size_edit_with_a_new_mtime_misses(archive, tmp_path):
    src = sorted(archive.glob("*.txt"))[0]
    f = tmp_path / "r.txt"
    text = src.read_text(encoding="utf-8")
    f.write_text(text, encoding="utf-8")
    a, _ = _run([str(f)], tmp_path / "c")
    st = f.stat()
    edited = text.replace("一、总体情况", "一、总体情形", 1)
    assert len(edited.encode()) == len(text.encode()) and edited != text
    f.write_text(edited, encoding="utf-8")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    b, stats = _run([str(f)], tmp_path / "c")
    fresh, _ = _run([str(f)], tmp_path / "fresh")
    assert (stats.cache_hits, stats.cache_misses) == (0, 1) and b == fresh


def _render_all(files, cache_dir) -> dict[str, str]:
    import io

    from gov_lint.output import FORMATS, RenderOptions, Summary
    from gov_lint.rules.registry import all_rules

    out = {}
    for fmt in FORMATS:
        spec = WorkerSpec(check=CheckOptions(), cache_dir=str(cache_dir) if cache_dir else None,
                          cache_salt=cache_salt("test"))
        buf = io.StringIO()
        renderer = FORMATS[fmt](buf, RenderOptions(rules=all_rules()))
        summary = Summary()
        run = Run(files, spec, jobs=1)
        for result in run:
            renderer.file(result)
            summary.add(result)
        renderer.finish(summary)
        assert run.stats.cache_hits == (len(files) if cache_dir else 0)
        out[fmt] = buf.getvalue()
    return out


def test_no_output_format_reads_an_input_again(archive, tmp_path):
    """Warm runs in every format render as a run without cache; then then every input overwritten with same-size garbage under the same
    modification time: the stat key still answers, and every output is unchanged, so no output
    (the source lines of `full`, the tables of `html`, …) came from reading an input again."""
    import shutil

    d = tmp_path / "a"
    shutil.copytree(archive, d)
    files = sorted(str(p) for p in d.rglob("*") if p.is_file() and p.stat().st_size)
    fresh = _render_all(files, None)
    _run(files, tmp_path / "c")  # fill the cache
    before = _render_all(files, tmp_path / "c")
    assert before == fresh  # what the cache gives back renders exactly as a fresh check, in every format
    for f in files:
        st = os.stat(f)
        Path(f).write_bytes(b"#" * st.st_size)
        os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = _render_all(files, tmp_path / "c")
    assert before.keys() == after.keys() and len(before) >= 8
    for fmt in before:
        assert after[fmt] == before[fmt], fmt
    assert "自然人" in before["html"]  # the tables were drawn, from the cache
