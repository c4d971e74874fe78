"""table_blob: the rows findings are about come back without unpacking the compressed tables."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gov_lint import table_blob
from gov_lint.cache import decode, encode
from gov_lint.check import check_bytes, check_path
from gov_lint.synth import generate, write_tab_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _rows(tables) -> dict:
    """Tables as comparable data (what the outputs draw: raw text, kind, spans; not the values)."""
    return {tid: ([table_blob._row_data(r) for r in t.rows.values()], [table_blob._row_data(r) for r in t.unmatched],
                  t.truncated, t.span) for tid, t in tables.items()}


@pytest.fixture()
def no_unzip(monkeypatch):
    """Fail on any use of the compressed part."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("the compressed tables were unpacked")

    monkeypatch.setattr(table_blob.zlib, "decompress", refuse)


@pytest.mark.parametrize("name", ["2021/errors.txt", "2019/errors.txt", "2021/errors.html", "2019/errors.md"])
def test_drawn_rows_come_from_the_uncompressed_part(name, no_unzip):
    result = check_path(EXAMPLES / name)
    only = table_blob.rows_with_findings(result.findings)
    assert only  # the example has findings about table cells
    cached, _ = decode(encode(result), result.path)
    assert isinstance(cached.tables, table_blob.LazyTables)
    # which tables there are, without unpacking
    assert list(cached.tables) == list(result.tables) and len(cached.tables) == len(result.tables)
    assert "三" in cached.tables and "五" not in cached.tables
    picked = table_blob.some_rows(cached.tables, only)
    assert _rows(picked) == _rows(table_blob.some_rows(result.tables, only))
    assert cached.tables._tables is None


def test_rows_not_stored_come_from_the_whole_tables():
    path = EXAMPLES / "2021" / "errors.txt"
    result = check_path(path)
    cached, _ = decode(encode(result), result.path)
    asked = {"二": None, "三": {"一", "三.七"}, "四": None}
    assert not table_blob._covers(cached.tables._head()[1], tuple(result.tables), asked)
    assert _rows(table_blob.some_rows(cached.tables, asked)) == _rows(table_blob.some_rows(result.tables, asked))
    assert cached.tables._tables is None  # the whole tables were read for this answer only
    assert _rows(dict(cached.tables)) == _rows(result.tables)


def test_a_result_without_tables_has_an_empty_blob():
    assert table_blob.pack({}, []) == b""
    empty = table_blob.LazyTables(b"")
    assert len(empty) == 0 and list(empty) == [] and "三" not in empty and empty.some({"三": None}) == {}


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), layout=st.sampled_from(["2019", "2021"]),
       table=st.sampled_from(["二", "三", "四"]), whole=st.booleans())
def test_any_request_gives_the_rows_of_the_fresh_result(seed, layout, table, whole):
    """Whatever rows are asked for (stored or not), the answer is that of the fresh result."""
    rng = random.Random(seed)
    result = check_bytes("r.txt", write_tab_text(generate(layout, rng)).encode("utf-8"))
    cached, _ = decode(encode(result), result.path)
    keys = list(result.tables[table].rows) if table in result.tables else []
    asked = {table: None if whole or not keys else set(rng.sample(keys, min(len(keys), rng.randint(1, 3))))}
    assert _rows(table_blob.some_rows(cached.tables, asked)) == _rows(table_blob.some_rows(result.tables, asked))


def test_the_findings_texts_are_stored_in_chinese():
    result = check_path(EXAMPLES / "2021" / "errors.txt")
    cached, _ = decode(encode(result), result.path)
    stored = table_blob.stored_texts(cached.tables)
    assert stored and table_blob.stored_texts(result.tables) == {}
    for f in result.findings:
        assert stored[(f.fingerprint, f.code)] == (f.text("zh"), tuple(f.note_texts("zh")))
    twice = result.findings + [result.findings[0]]  # a key met twice stores no text (which would it be?)
    assert (twice[0].fingerprint, twice[0].code) not in table_blob._texts(twice)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_of_several_reports_takes_the_stored_texts(lang, monkeypatch):
    import io

    from gov_lint.model import Finding
    from gov_lint.output import RenderOptions, Summary
    from gov_lint.output.html import HtmlRenderer

    results = [check_path(EXAMPLES / "2021" / "errors.txt"), check_path(EXAMPLES / "2019" / "errors.txt")]

    def page(rs) -> str:
        out = io.StringIO()
        r = HtmlRenderer(out, RenderOptions(lang=lang, tool_version="test"))
        for x in rs:
            r.file(x)
        r.finish(Summary())
        return out.getvalue()

    fresh = page(results)
    cached = [decode(encode(r), r.path)[0] for r in results]
    calls = []
    text = Finding.text
    monkeypatch.setattr(Finding, "text", lambda self, lang="zh": calls.append(self.code) or text(self, lang))
    assert page(cached) == fresh
    assert bool(calls) == (lang == "en")  # Chinese: every text as stored; English: rendered


def test_the_page_of_several_cached_reports_unpacks_no_whole_table():
    import io

    from gov_lint.output import RenderOptions, Summary
    from gov_lint.output.html import HtmlRenderer

    results = [check_path(EXAMPLES / "2021" / "errors.txt"), check_path(EXAMPLES / "2019" / "errors.md")]
    cached = [decode(encode(r), r.path)[0] for r in results]

    def page(rs) -> str:
        out = io.StringIO()
        r = HtmlRenderer(out, RenderOptions(tool_version="test"))
        for x in rs:
            r.file(x)
        r.finish(Summary())
        return out.getvalue()

    fresh = page(results)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(table_blob.zlib, "decompress", lambda *a, **k: pytest.fail("a whole table was unpacked"))
        assert page(cached) == fresh
