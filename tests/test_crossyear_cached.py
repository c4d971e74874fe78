"""A warm run's cross-year pass: the facts store keeps the result cache's key instead of a copy of
each report's body, reads a body back only for a pair whose quick parts cannot tell, and says so
when the cache can no longer give it."""

from __future__ import annotations

import random

from gov_lint.cache import ResultCache, cache_salt
from gov_lint.check import CheckOptions
from gov_lint.runner import Run, WorkerSpec
from gov_lint.synth import generate_series, write_tab_text

YEARS = [2020, 2021, 2022, 2023]


def _archive(folder) -> list[str]:
    """Three bodies over four years: a carry-over break (Y101), a row copied forward (Y105) and a
    second report of one body and year (Y104)."""
    files = []
    for b, seed in enumerate((5, 43, 77)):
        reports = generate_series(None, random.Random(seed), YEARS, agency=f"青禾县{'甲乙丙'[b]}镇人民政府")
        if b == 0:
            last = reports[-1]
            last.set("三", "二", "自然人", last.get("三", "二", "自然人") + 3)
            last.set("三", "二", "总计", last.get("三", "二", "总计") + 3)
        if b == 1:
            before, after = reports[1], reports[2]
            for col in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"):
                after.set("三", "三.四.1", col, before.get("三", "三.四.1", col))
        for r in reports:
            p = folder / f"{r.year}-{b}.txt"
            p.write_text(write_tab_text(r), encoding="utf-8")
            files.append(str(p))
    dup = folder / "2022-0-copy.txt"
    dup.write_text((folder / "2022-0.txt").read_text(encoding="utf-8"), encoding="utf-8")
    files.append(str(dup))
    return sorted(files)


def _y(results) -> list[tuple]:
    return [(r.path, f.code, f.table, f.row, f.column, f.fingerprint, f.text("zh"), [x.path for x in f.related])
            for r in results for f in r.findings if f.code.startswith("Y") or f.code == "P902"]


def _spec(tmp_path) -> WorkerSpec:
    return WorkerSpec(check=CheckOptions(), cache_dir=str(tmp_path / "cache"), cache_salt=cache_salt("y"))


def test_a_warm_run_reads_bodies_back_only_for_pairs_that_need_them(tmp_path, monkeypatch):
    files = _archive(tmp_path)
    fresh = _y(Run(files, WorkerSpec(check=CheckOptions(), cache_dir=None), jobs=1))
    assert {c for _p, c, *_ in fresh} == {"Y101", "Y104", "Y105"}
    cold = _y(Run(files, _spec(tmp_path), jobs=1))
    read_back: list[bytes] = []
    real = ResultCache.facts_body

    def counting(self, content):
        read_back.append(content)
        return real(self, content)

    monkeypatch.setattr(ResultCache, "facts_body", counting)
    run = Run(files, _spec(tmp_path), jobs=1)
    warm = _y(run)
    assert run.stats.cache_hits == len(files)
    assert warm == cold == fresh
    # the Y101 and Y105 pairs read the stored (earlier) report's body; the quiet pairs read none
    assert 2 <= len(read_back) <= 4, len(read_back)


def test_a_body_the_cache_cannot_give_back_is_named_not_lost(tmp_path, monkeypatch):
    files = _archive(tmp_path)
    for _ in Run(files, _spec(tmp_path), jobs=1):
        pass
    monkeypatch.setattr(ResultCache, "facts_body", lambda self, content: None)  # deleted or damaged meanwhile
    found = _y(Run(files, _spec(tmp_path), jobs=1))
    lost = [f for f in found if f[1] == "P902"]
    assert lost and not any(f[1] in ("Y101", "Y105") for f in found)
    assert all("--no-cache" in text and "结果缓存" in text for *_x, text, _r in lost)
    assert any(c == "Y104" for _p, c, *_ in found)  # a duplicate needs the first report's header only


def test_facts_body_reads_what_the_cache_stored_and_nothing_else(tmp_path):
    files = _archive(tmp_path)
    for _ in Run(files, _spec(tmp_path), jobs=1):
        pass
    cache = ResultCache(tmp_path / "cache", cache_salt("y"))
    try:
        entries = cache.get_many([cache.stat_key(p) for p in files])
        assert len(entries) == len(files)
        content, _blob = next(iter(entries.values()))
        body = cache.facts_body(content)
        assert isinstance(body, bytes) and body
        assert cache.facts_body(b"\0" * 32) is None
    finally:
        cache.close()
