"""The cache's layout: tables in a column of their own, read only for an output that draws them;
stat keys looked up a block at a time; a database of an older layout started afresh."""

from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gov_lint import runner
from gov_lint.cache import DB_NAME, SCHEMA_VERSION, ResultCache, cache_salt, decode, encode, split
from gov_lint.check import CheckOptions
from gov_lint.cli import app
from gov_lint.runner import Run, WorkerSpec
from gov_lint.synth import generate, write_tab_text


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[str]:
    d = tmp_path_factory.mktemp("layout")
    out = []
    for i in range(7):
        r = generate("2021" if i % 2 else "2019", random.Random(500 + i))
        if i == 3:
            r.set("三", "三.七", "自然人", r.get("三", "三.七", "自然人") + 1)
        p = d / f"r{i}.txt"
        p.write_text(write_tab_text(r), encoding="utf-8")
        out.append(str(p))
    return out


def _spec(cache: Path, tables: bool = True) -> WorkerSpec:
    return WorkerSpec(check=CheckOptions(), cache_dir=str(cache), cache_salt=cache_salt("layout"), tables=tables)


def _results(files, spec, jobs=1):
    run = Run(files, spec, jobs=jobs)
    return [(r.to_json(), {k: len(t.rows) for k, t in r.tables.items()}) for r in run], run.stats


def test_tables_are_read_only_when_wanted(files, tmp_path):
    fresh, _ = _results(files, _spec(tmp_path / "c"))
    assert all(tables for _, tables in fresh)
    with_tables, stats = _results(files, _spec(tmp_path / "c"))
    assert stats.cache_hits == len(files) and with_tables == fresh
    without, stats = _results(files, _spec(tmp_path / "c", tables=False))
    assert stats.cache_hits == len(files)
    assert [j for j, _ in without] == [j for j, _ in fresh]  # the same findings, sources, everything but tables
    assert all(tables == {} for _, tables in without)


def test_encode_splits_into_head_and_tables_and_decodes_either_way(files):
    from gov_lint.check import check_path

    result = check_path(files[3])
    blob = encode(result, None)
    head, tables = split(blob)
    assert head + tables == blob and tables
    a, _ = decode(blob, files[3])
    b, _ = decode(head, files[3])
    assert a.to_json() == b.to_json() == result.to_json()
    assert {k: len(t.rows) for k, t in a.tables.items()} == {k: len(t.rows) for k, t in result.tables.items()}
    assert dict(b.tables) == {}
    assert split(b"stored") == (b"stored", b"")  # bytes of another kind: all head


def test_lookups_in_blocks_keep_order_hits_and_misses(files, tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "LOOKUP_BLOCK", 3)
    _results(files[::2], _spec(tmp_path / "c"))  # every other file cached
    queries: list[int] = []
    real = ResultCache.get_many

    def counting(self, keys):
        queries.append(len(keys))
        return real(self, keys)

    monkeypatch.setattr(ResultCache, "get_many", counting)
    mixed, stats = _results(files, _spec(tmp_path / "c"))
    assert queries == [3, 3, 1]  # one query per block of stat keys
    assert (stats.cache_hits, stats.cache_misses) == (4, 3)
    fresh, _ = _results(files, _spec(tmp_path / "none"))
    assert mixed == fresh


def test_a_database_of_an_older_layout_is_started_afresh(files, tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    con = sqlite3.connect(folder / DB_NAME)
    con.execute("CREATE TABLE result (c BLOB PRIMARY KEY, v BLOB NOT NULL)")  # an older gov-lint's
    con.execute("INSERT INTO result VALUES (x'00', x'01')")
    con.commit()
    con.close()
    first, stats = _results(files, _spec(folder))
    assert stats.cache_misses == len(files)
    second, stats = _results(files, _spec(folder))
    assert stats.cache_hits == len(files) and second == first
    con = sqlite3.connect(folder / DB_NAME)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("SELECT count(*) FROM result").fetchone()[0] == len(files)
    con.close()


def test_cli_reads_tables_from_the_cache_for_html_only(files, tmp_path, monkeypatch):
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        cache = str(tmp_path / "c")
        args = ["check", *files, "--jobs", "1", "--cache-dir", cache, "--exit-zero", "-q"]
        CliRunner().invoke(app, [*args, "--format", "json"], catch_exceptions=False)
        seen: list[bool] = []
        real = ResultCache.get_many

        def watching(self, keys):
            seen.append(self.tables)
            return real(self, keys)

        monkeypatch.setattr(ResultCache, "get_many", watching)
        CliRunner().invoke(app, [*args, "--format", "json"], catch_exceptions=False)
        warm_html = CliRunner().invoke(app, [*args, "--format", "concise", "--output", f"html:{tmp_path}/r.html"],
                                       catch_exceptions=False)
        assert warm_html.exit_code == 0
        assert seen == [False, True]
        os.chdir(old)
        cold = tmp_path / "cold"
        cold.mkdir()
        os.chdir(cold)
        CliRunner().invoke(app, ["check", *files, "--jobs", "1", "--no-cache", "--exit-zero", "-q",
                                 "--format", "concise", "--output", f"html:{cold}/r.html"], catch_exceptions=False)
        assert (tmp_path / "r.html").read_text(encoding="utf-8") == (cold / "r.html").read_text(encoding="utf-8")
    finally:
        os.chdir(old)


def test_a_content_key_that_begins_with_s_is_still_a_content_key(tmp_path):
    """Stat keys are told from content keys by length, not by their first byte."""
    cache = ResultCache(tmp_path, "salt")
    n = next(i for i in range(10_000) if cache.key(str(i).encode())[:1] == b"s")
    key = cache.key(str(n).encode())
    cache.put(key, b"stored", None)
    cache.commit()
    assert cache.get(key) == b"stored"
    cache.close()
